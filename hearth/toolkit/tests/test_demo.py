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


def test_demo_links_goals_to_plans_and_jordan_gets_a_gentle_reminder(db):
    from hearth.notifications.models import Notification
    from hearth.notifications.reminders import reminders_send_due
    from hearth.plans import demo as plans_demo
    from hearth.scheduling import demo as scheduling_demo

    people = accounts_demo.seed_people()
    scheduling_demo.seed(people)
    plans_demo.seed(people)
    demo.seed(people)
    demo.seed(people)
    alex, luis, jordan = (people.participants[k] for k in ("alex", "luis", "jordan"))
    linked = {g.person_id: g.plan_goal for g in Goal.objects.filter(plan__isnull=False)}
    assert linked == {
        alex.pk: "Stay alcohol-free; rebuild evening routine with partner.",
        luis.pk: "Mantener la abstinencia; volver a conectar con la familia.",
    }
    assert Notification.objects.filter(recipient=luis, kind="toolkit.homework").exists()
    reminders_send_due()
    assert Notification.objects.filter(recipient=jordan, kind="toolkit.homework_reminder").count() == 1
