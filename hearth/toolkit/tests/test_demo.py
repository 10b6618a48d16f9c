from hearth.accounts import demo as accounts_demo
from hearth.safety.models import SafetySignal
from hearth.toolkit import demo
from hearth.toolkit.models import Assignment, Goal, JournalEntry, Lapse, ResourceFavourite, SoberCounter


def test_demo_seeds_every_part_once(db, django_capture_on_commit_callbacks):
    people = accounts_demo.seed_people()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(people)
    counts = [m.objects.count() for m in (SoberCounter, Lapse, Goal, Assignment, JournalEntry, ResourceFavourite)]
    assert all(counts), counts
    assert Assignment.objects.filter(reviewed_at__isnull=False).exists()
    assert Assignment.objects.filter(completed_at__isnull=False, reviewed_at__isnull=True).exists()
    assert not SafetySignal.objects.filter(source__startswith="toolkit.").exists()
    demo.seed(people)
    assert counts == [
        m.objects.count() for m in (SoberCounter, Lapse, Goal, Assignment, JournalEntry, ResourceFavourite)
    ]
