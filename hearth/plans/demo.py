"""A treatment plan for every demo participant: written by their primary clinician after intake
and revised at the two-week review (so the plan page has a history). Assigned to their cohort's
evening group with a weekly hours target.

Written through ``plan_save`` as of the past day (``time_machine``). Idempotent per person."""

import datetime
import zoneinfo
from decimal import Decimal

import time_machine
from django.utils import timezone

from hearth.scheduling.models import SessionKind, SessionSeries

from .models import TreatmentPlan
from .services import plan_save

PLAN_DAYS_AGO = 41
REVIEW_DAYS_AGO = 13

COMMON_INTERVENTIONS = (
    "Group therapy three evenings a week (CBT and relapse-prevention skills).\n"
    "Weekly one-to-one with the primary clinician.\n"
    "Daily check-in; PHQ-9, GAD-7, BARC-10 and UCLA-3 every two weeks."
)

# key -> (problems, goals, objectives, extra interventions, weekly hours, revised objectives at review)
PLANS = {
    "alex": (
        "Alcohol use disorder, moderate. Low mood after work; drinking to unwind.",
        "Stay alcohol-free; rebuild evening routine with partner.",
        "Attend 9 hours of group a week.\nPractise one coping skill each evening.\nPlan weekends with Chris.",
        "Partner session once a month with Chris.",
        "9",
        "Keep 9 hours a week; lead a check-in round in group once a week.\nPlan step-down in four weeks.",
    ),
    "jordan": (
        "Opioid use disorder in early remission on buprenorphine. Depressive symptoms; "
        "thoughts of death reported at intake. Stress at home.",
        "Stay safe; keep taking medication as prescribed; manage cravings without using.",
        "Review safety plan at every contact.\nUse craving log and call a peer when craving is 6 or more.",
        "Safety plan (Stanley-Brown) reviewed weekly; MOUD prescriber coordination.",
        "9",
        "Safety plan reviewed weekly and after any PHQ-9 item 9 above 0.\n"
        "Craving log daily; call mentor when craving is 6 or more.\nTwo peer contacts a week.",
    ),
    "luis": (
        "Trastorno por consumo de alcohol, moderado. Aislamiento después de mudarse.",
        "Mantener la abstinencia; volver a conectar con la familia.",
        "Asistir al grupo tres noches por semana.\nLlamar a su madre dos veces por semana.",
        "Sesión familiar con Elena una vez al mes.",
        "9",
        "",
    ),
    "kim": (
        "Stimulant use disorder, moderate. Lives alone; few supports nearby.",
        "Stay in recovery; build a support network outside group.",
        "Talk with a peer or mentor at least three times a week.\nAttend all group sessions.",
        "Peer mentor (Rosa) weekly; social-connection homework.",
        "9",
        "Contact with a peer or mentor every other day.\nJoin one community event a week.\n"
        "Clinician to reach out if two sessions are missed.",
    ),
    "marcus": (
        "Alcohol use disorder, severe. Evening shift work clashes with group.",
        "Stay alcohol-free; keep work and treatment both going.",
        "Attend at least two of three group evenings.\nDaily check-in, including on work nights.",
        "Family involvement with sister Pat (check-ins shared with consent).",
        "9",
        "",
    ),
}
DEFAULT_PLAN = (
    "Substance use disorder; stress and sleep problems.",
    "Stay in recovery; build a daily routine that supports it.",
    "Attend group three evenings a week.\nDaily check-in.\nOne new coping skill a week.",
    "",
    "9",
    "Keep attending; add one peer contact a week between sessions.",
)
STEP_DOWN = {"grace": "6"}


def _series_for(person, program) -> list:
    cohort_ids = person.memberships.filter(program=program, role="participant").values_list("cohort_id", flat=True)
    return list(SessionSeries.objects.filter(program=program, cohort_id__in=cohort_ids, kind=SessionKind.GROUP_THERAPY))


def seed(people) -> None:
    for key, person in people.participants.items():
        if TreatmentPlan.objects.filter(person=person, program=people.program).exists():
            continue
        membership = person.memberships.filter(program=people.program, role="participant").first()
        clinician = membership.primary_clinician
        tz = zoneinfo.ZoneInfo(person.time_zone)
        today = timezone.now().astimezone(tz).date()
        problems, goals, objectives, extra, hours, revised = PLANS.get(key, DEFAULT_PLAN)
        interventions = COMMON_INTERVENTIONS + (f"\n{extra}" if extra else "")
        groups = _series_for(person, people.program)
        written = datetime.datetime.combine(today - datetime.timedelta(days=PLAN_DAYS_AGO), datetime.time(11), tz)
        with time_machine.travel(written, tick=False):
            plan_save(
                actor=clinician,
                person=person,
                program=people.program,
                problems=problems,
                goals=goals,
                objectives=objectives,
                interventions=interventions,
                groups=groups,
                weekly_hours_target=Decimal(hours),
                # Those not yet revised are due for review this week.
                next_review_on=today - datetime.timedelta(days=REVIEW_DAYS_AGO)
                if revised
                else today + datetime.timedelta(days=2),
            )
        if not revised and key not in STEP_DOWN:
            continue
        reviewed = datetime.datetime.combine(today - datetime.timedelta(days=REVIEW_DAYS_AGO), datetime.time(15), tz)
        with time_machine.travel(reviewed, tick=False):
            plan_save(
                actor=clinician,
                person=person,
                program=people.program,
                problems=problems,
                goals=goals,
                objectives=revised or objectives,
                interventions=interventions,
                groups=groups,
                weekly_hours_target=Decimal(STEP_DOWN.get(key, hours)),
                next_review_on=today + datetime.timedelta(days=30 - REVIEW_DAYS_AGO),
            )
