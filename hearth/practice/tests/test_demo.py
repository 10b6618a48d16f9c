from hearth.accounts import demo as accounts_demo
from hearth.practice import demo
from hearth.practice.models import PracticeRun, Scene
from hearth.toolkit.models import Assignment


def _scene_homework():
    return Assignment.objects.filter(activity_kind="practice.scene")


def test_demo_seed_is_idempotent(db):
    people = accounts_demo.seed_people()
    demo.seed(people)
    counts = (
        Scene.objects.count(),
        PracticeRun.objects.count(),
        _scene_homework().count(),
    )
    demo.seed(people)
    assert (
        Scene.objects.count(),
        PracticeRun.objects.count(),
        _scene_homework().count(),
    ) == counts
    assert counts == (3, 4, 1)
    alex = people.participants["alex"]
    assert sorted(PracticeRun.objects.filter(person=alex).values_list("ending_kind", flat=True)) == ["good", "teaches"]
    homework = _scene_homework().get()
    assert homework.person == alex and homework.completed_at is None
    assert homework.activity_id == Scene.objects.get(slug="old-friend-call").pk
    luis_run = PracticeRun.objects.get(person=people.participants["luis"])
    assert luis_run.language == "es" and luis_run.record["answers"]
