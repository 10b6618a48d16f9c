"""Demo toolkit: counters (one with a lapse, one off for a harm-reduction pathway), goals, homework
assigned / handed in / reviewed, saved resources, a journal entry and a thought record.

Then, each once: Alex's and Luis's own goals linked by their clinicians to a goal of their
treatment plans, and Jordan's overdue homework with its gentle reminder due (the reminder job
sends it). Assigning homework notifies each person in the app (notifications).

Idempotent: nothing is made twice (it stops if Alex already has goals)."""

import datetime

from django.utils import timezone

from hearth.checkins.services import local_today
from hearth.notifications.models import Reminder
from hearth.plans.selectors import plan_goals_for_care_team

from .models import Assignment, Goal, Resource
from .services import (
    HOMEWORK_REMINDER_KIND,
    assignment_complete,
    assignment_create,
    assignment_review,
    counter_start,
    goal_create,
    goal_plan_link,
    goal_step_toggle,
    journal_entry_create,
    lapse_record,
    resource_favourite_toggle,
    thought_record_create,
)

DAY = datetime.timedelta(days=1)


def _starter(slug: str, language: str = "en") -> Resource:
    return Resource.objects.get(program=None, slug=slug, language=language)


def seed(people) -> None:
    _seed_toolkit(people)
    _seed_plan_links(people)


def _seed_plan_links(people) -> None:
    """A clinician links a personal goal to the plan goal it serves (once per person)."""
    maria, _james, priya = people.clinicians
    luis = people.participants["luis"]
    if not Goal.objects.filter(person=luis).exists():
        goal_create(
            actor=luis,
            title="Caminar veinte minutos después del trabajo",
            steps=["Dejar los tenis junto a la puerta", "Caminar lunes, miércoles y viernes", "Invitar a mi primo"],
            target_date=local_today(luis) + 21 * DAY,
        )
    for clinician, key in ((maria, "alex"), (priya, "luis")):
        person = people.participants[key]
        goal = Goal.objects.filter(person=person, completed_at__isnull=True).order_by("created_at").first()
        plans = plan_goals_for_care_team(viewer=clinician, person=person)
        if goal is None or goal.plan_id is not None or not plans or not plans[0][2]:
            continue
        plan, version, _lines = plans[0]
        goal_plan_link(actor=clinician, goal=goal, plan_id=plan.pk, version=version.number, line=0)


def _seed_toolkit(people) -> None:
    alex, jordan, luis, kim = (people.participants[k] for k in ("alex", "jordan", "luis", "kim"))
    if Goal.objects.filter(person=alex).exists():
        return
    maria, james, priya = people.clinicians
    today = local_today(alex)

    # Alex: 120 days on the journey, a return to use 75 days ago (shared with the care team).
    counter_start(actor=alex, start_date=today - 120 * DAY)
    lapse_record(
        actor=alex,
        local_date=today - 75 * DAY,
        note="Work party, old friends, no plan to leave. Next time I drive myself so I can go early.",
        share=True,
    )
    goal = goal_create(
        actor=alex,
        title="Build a steady morning routine",
        steps=["Set one alarm and get up with it", "Drink water before coffee", "Ten-minute walk", "Text my mentor"],
        target_date=today + 14 * DAY,
    )
    for step in list(goal.steps.all())[:2]:
        goal_step_toggle(actor=alex, step=step)
    journal_entry_create(
        actor=alex,
        body="Group tonight helped. Hearing that others find weekends hard too made me feel less alone.",
    )
    thought_record_create(
        actor=alex,
        situation="My manager asked to talk tomorrow.",
        thought="I am going to be fired.",
        feeling="Worried, 8 out of 10",
        evidence="Last review was good. She asks everyone for one-on-ones.",
        balanced="It is probably a normal check-in. I can ask what it is about.",
    )
    [done] = assignment_create(
        actor=maria, resource=_starter("riding-out-a-craving"), person=alex, due_date=today, instructions=""
    )
    assignment_complete(
        actor=alex,
        assignment=done,
        answers=[
            "Sunday afternoon, bored at home.",
            "Going for a walk and calling my sister.",
            "Set a timer and ride it out before deciding anything.",
        ],
    )
    assignment_review(actor=maria, assignment=done, comment="This is a strong plan, Alex. Let's talk about Sundays.")
    assignment_create(
        actor=maria,
        resource=_starter("high-risk-plan"),
        person=alex,
        due_date=today + 3 * DAY,
        instructions="Bring it to our session on Thursday.",
    )
    resource_favourite_toggle(actor=alex, resource=_starter("halt"))

    # Jordan: no counter (a harm-reduction pathway); homework a little past its date.
    [late] = assignment_create(actor=james, resource=_starter("halt"), person=jordan, due_date=today)
    Assignment.objects.filter(pk=late.pk).update(due_date=today - 2 * DAY)
    # Its gentle reminder was due the morning after: the reminder job sends it at once.
    Reminder.objects.filter(kind=HOMEWORK_REMINDER_KIND, source_id=late.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    goal_create(actor=jordan, title="Go to one meeting outside the program", steps=["Pick a meeting", "Go"])

    # Luis, in Spanish: 30 days today, handed in homework waiting for Priya's comment.
    counter_start(actor=luis, start_date=local_today(luis) - 30 * DAY)
    [waiting] = assignment_create(
        actor=priya, resource=_starter("riding-out-a-craving", "es"), person=luis, due_date=today + DAY
    )
    assignment_complete(
        actor=luis,
        assignment=waiting,
        answers=["Anoche, después del trabajo.", "Salí a caminar.", "Llamar a mi mamá."],
    )
    resource_favourite_toggle(actor=luis, resource=_starter("mutual-help-meetings", "es"))

    # Kim: a goal reached, and a cohort-wide reading from Maria.
    goal = goal_create(actor=kim, title="Sleep before midnight", steps=["Phone out of the bedroom", "Tea at 10"])
    for step in goal.steps.all():
        goal_step_toggle(actor=kim, step=step)
    assignment_create(
        actor=maria, resource=_starter("mutual-help-meetings"), cohort=people.cohorts[0], due_date=today + 7 * DAY
    )
