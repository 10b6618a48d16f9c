from hearth.accounts import demo as accounts_demo
from hearth.practice import demo
from hearth.practice.models import PracticeAssignment, PracticeRun, Scene


def test_demo_seed_is_idempotent(db):
    people = accounts_demo.seed_people()
    demo.seed(people)
    counts = (Scene.objects.count(), PracticeRun.objects.count(), PracticeAssignment.objects.count())
    demo.seed(people)
    assert (Scene.objects.count(), PracticeRun.objects.count(), PracticeAssignment.objects.count()) == counts
    assert counts == (3, 4, 1)
    alex = people.participants["alex"]
    assert sorted(PracticeRun.objects.filter(person=alex).values_list("ending_kind", flat=True)) == ["good", "teaches"]
    assert PracticeAssignment.objects.get().completed_at is None
    luis_run = PracticeRun.objects.get(person=people.participants["luis"])
    assert luis_run.language == "es" and luis_run.record["answers"]
