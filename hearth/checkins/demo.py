"""Six weeks of daily check-ins and fortnightly questionnaires for the demo participants, each
with a pattern a clinician would recognise: Alex steady and improving, Jordan with cravings
rising (and a PHQ-9 item 9 today), Kim drifting toward isolation, Marcus who stopped checking
in six days ago, the others regular with ordinary ups and downs.

Everything goes through ``checkin_submit`` and ``measure_submit`` with ``now`` set to the past
evening the person answered, so audit entries, encryption and safety detection all happen.
Dates are relative to today in the person's own time zone. Idempotent per person."""

import datetime
import random
import zoneinfo

import time_machine
from django.utils import timezone

from .coping import coping_choices
from .measures import MEASURES, Measure
from .models import CheckIn, Connection, MeasureSchedule, SleepQuality, Trigger
from .services import checkin_submit, measure_schedule_set, measure_submit

DAYS = 42
MEASURE_EVERY_DAYS = 14

# key -> (mood at the start, mood today, craving at the start, craving today, days skipped in 100)
CHECKIN_TRENDS = {
    "alex": (5, 8, 5, 1, 3),
    "jordan": (6, 5, 3, 8, 8),
    "luis": (5, 7, 4, 3, 15),
    "kim": (7, 4, 3, 5, 6),
    "marcus": (6, 4, 3, 5, 20),
    "ana": (6, 7, 4, 2, 10),
    "devon": (5, 6, 6, 4, 18),
    "grace": (7, 8, 2, 1, 5),
    "omar": (5, 6, 5, 4, 22),
    "tess": (6, 7, 4, 3, 12),
    "ray": (5, 6, 5, 3, 14),
    "nina": (6, 7, 3, 2, 10),
}
MARCUS_LAST_CHECKIN_DAYS_AGO = 6
KIM_ALONE_DAYS = 8
DEVON_USE_DAYS_AGO = 20

NOTES_EN = [
    "Went to a meeting with my sponsor after work. Good talk.",
    "Long shift. Used the breathing exercise on the drive home.",
    "Cooked dinner with my sister. Felt normal for a change.",
    "Hard afternoon at work, but I called someone instead of stewing.",
    "Slept badly. Going to bed earlier tonight.",
    "Walked the dog twice today. Helps more than I expected.",
    "Tried the urge-surfing thing from group. It passed after 20 minutes.",
    "Quiet day. Read for an hour.",
]
NOTES_ES = [
    "Fui a una reunión después del trabajo. Me ayudó mucho.",
    "Día largo en el trabajo, pero hice los ejercicios de respiración.",
    "Cené con mi familia. Me sentí tranquilo.",
    "Dormí mal anoche. Hoy me acuesto más temprano.",
    "Hablé con mi mentor por teléfono. Buena conversación.",
    "Salí a caminar por la tarde. Me despejó la cabeza.",
]
SPANISH_SPEAKERS = {"luis", "ana", "ray"}
KIM_NOTES = [
    "Didn't feel like talking to anyone today.",
    "Stayed in again. Skipped the call with my friend.",
    "Tired. Just want to be left alone for a bit.",
]
JORDAN_NOTES = [
    "Cravings stronger after work this week. Stress at home.",
    "Ran into an old friend I used to use with. Shook me up.",
    "Rough night. Hard to stop thinking about it.",
]

# Questionnaire totals at the four fortnightly instances (six weeks ago ... today); None: not answered.
# Every participant not listed here follows DEFAULT_TRENDS.
MEASURE_TRENDS = {
    "alex": {"phq9": (14, 10, 7, 5), "gad7": (12, 9, 7, 5), "barc10": (36, 42, 47, 51), "ucla3": (7, 6, 5, 4)},
    "jordan": {"phq9": (13, 14, 16, 17), "gad7": (11, 12, 14, 15), "barc10": (40, 39, 36, 34), "ucla3": (6, 6, 7, 7)},
    "kim": {"phq9": (7, 8, 11, None), "gad7": (6, 7, 10, None), "barc10": (46, 44, 38, None), "ucla3": (4, 6, 8, None)},
    "marcus": {
        "phq9": (9, 11, 12, None),
        "gad7": (8, 9, 11, None),
        "barc10": (42, 40, 38, None),
        "ucla3": (5, 6, 6, None),
    },
}
DEFAULT_TRENDS = {
    "phq9": (12, 10, 9, None),
    "gad7": (10, 9, 7, None),
    "barc10": (38, 41, 44, None),
    "ucla3": (6, 5, 5, None),
}
# Who already answered today's instance (the rest see it waiting on their home page).
ANSWERED_TODAY = {"alex", "jordan", "grace"}


def answers_for(measure: Measure, total: int, rng: random.Random, *, fixed: dict[int, int] | None = None) -> list[int]:
    """Answers (option values) whose points add up to ``total``; ``fixed`` pins some items' points."""
    fixed = fixed or {}
    ranked = [
        sorted((v for v, _l in measure.options_for(i)), key=lambda v, i=i: measure.points(i, v))
        for i in range(len(measure.items))
    ]
    levels = [fixed.get(i, 0) for i in range(len(ranked))]
    points = sum(measure.points(i, ranked[i][levels[i]]) for i in range(len(ranked)))
    free = [i for i in range(len(ranked)) if i not in fixed]
    while points < total:
        room = [i for i in free if levels[i] < len(ranked[i]) - 1]
        if not room:
            break
        i = rng.choice(room)
        levels[i] += 1
        points = sum(measure.points(k, ranked[k][levels[k]]) for k in range(len(ranked)))
    return [ranked[i][levels[i]] for i in range(len(ranked))]


def _zone(person) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(person.time_zone)


def _at(day: datetime.date, tz, hour: int, minute: int, now: datetime.datetime) -> datetime.datetime:
    """That local time on that day, never later than a few minutes ago."""
    moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)
    return min(moment, now - datetime.timedelta(minutes=5))


def _checkin_values(key: str, days_ago: int, rng: random.Random) -> dict | None:
    mood0, mood1, crave0, crave1, skip = CHECKIN_TRENDS[key]
    progress = (DAYS - days_ago) / DAYS
    if key == "marcus" and days_ago < MARCUS_LAST_CHECKIN_DAYS_AGO:
        return None
    if days_ago > 1 and rng.randrange(100) < skip:
        return None
    mood = round(mood0 + (mood1 - mood0) * progress + rng.choice((-1, 0, 0, 0, 1)))
    craving = round(crave0 + (crave1 - crave0) * progress + rng.choice((-1, 0, 0, 1)))
    if key == "jordan" and days_ago <= 1:
        craving = 8 + (1 - days_ago)
    if key == "omar" and days_ago == 1:
        craving = 8  # a hard day: the one flag on Dr. Priya's queue tonight
    sleep = round(rng.uniform(5.5, 8.5) - (1.5 if mood <= 4 else 0), 1)
    values = {
        "mood": max(1, min(10, mood)),
        "craving": max(0, min(10, craving)),
        "sleep_hours": max(3.0, sleep),
        "sleep_quality": SleepQuality.GOOD if sleep >= 7 else SleepQuality.FAIR if sleep >= 5.5 else SleepQuality.POOR,
        "triggers": [],
        "connections": [],
        "note": "",
    }
    if values["craving"] >= 4:
        pool = {
            "jordan": [Trigger.STRESS, Trigger.PEOPLE, Trigger.CONFLICT],
            "kim": [Trigger.LONELINESS, Trigger.BOREDOM],
        }.get(key, [Trigger.STRESS, Trigger.TIRED, Trigger.BOREDOM, Trigger.PLACES])
        values["triggers"] = rng.sample(pool, k=min(len(pool), rng.randint(1, 2)))
    if key == "kim" and days_ago < KIM_ALONE_DAYS:
        values["connections"] = [Connection.NO_ONE]
        values["triggers"] = sorted({*values["triggers"], Trigger.LONELINESS})
        if rng.random() < 0.4:
            values["note"] = rng.choice(KIM_NOTES)
        return values
    social = [Connection.PEER, Connection.GROUP, Connection.FAMILY, Connection.MENTOR]
    if key == "alex":
        values["connections"] = sorted(rng.sample(social, k=rng.randint(2, 3)))
    elif rng.random() < 0.85:
        values["connections"] = sorted(rng.sample(social, k=rng.randint(1, 2)))
    else:
        values["connections"] = [Connection.NO_ONE]
    if key == "omar" and days_ago == 1:
        values["note"] = "Rough day at work, wanted to go by the old spot. Called my mentor instead."
    elif key == "jordan" and days_ago <= 10 and rng.random() < 0.5:
        values["note"] = rng.choice(JORDAN_NOTES)
    elif rng.random() < 0.2:
        values["note"] = rng.choice(NOTES_ES if key in SPANISH_SPEAKERS else NOTES_EN)
    return values


def _coping_for(key: str, days_ago: int, craving: int) -> list[str]:
    """On harder days people tick a tool or two that helped (options registered by other apps, e.g.
    the toolkit's breathing or urge surfing). Its own random stream leaves the other values alone."""
    options = [option for option, _label in coping_choices()]
    rng = random.Random(f"coping:{key}:{days_ago}")  # noqa: S311 - seeded demo noise, not security
    if not options or craving < 3 or rng.random() < 0.4:
        return []
    return sorted(rng.sample(options, k=min(len(options), rng.randint(1, 2))))


def _seed_checkins(key: str, person, now: datetime.datetime) -> None:
    tz = _zone(person)
    today = now.astimezone(tz).date()
    rng = random.Random(f"checkins:{key}")  # noqa: S311 - seeded demo noise, not security
    for days_ago in range(DAYS, -1, -1):
        day = today - datetime.timedelta(days=days_ago)
        values = _checkin_values(key, days_ago, rng)
        if values is None:
            continue
        at = _at(day, tz, 19 + rng.randint(0, 2), rng.randint(0, 59), now)
        if at.astimezone(tz).date() != day:
            continue  # too early today to have checked in
        values["coping"] = _coping_for(key, days_ago, values["craving"])
        used = key == "devon" and days_ago == DEVON_USE_DAYS_AGO
        if used:
            values["note"] = "Had a few drinks at a cousin's party. Told my mentor the next morning."
        with time_machine.travel(at, tick=False):  # the signals and audit entries fall on that evening too
            checkin_submit(
                actor=person,
                person=person,
                local_date=day,
                used=used,
                used_what="Alcohol" if used else "",
                now=at,
                **values,
            )


def _seed_measures(key: str, person, clinician, now: datetime.datetime) -> None:
    tz = _zone(person)
    today = now.astimezone(tz).date()
    starts_on = today - datetime.timedelta(days=3 * MEASURE_EVERY_DAYS)
    rng = random.Random(f"measures:{key}")  # noqa: S311 - seeded demo noise
    trends = MEASURE_TRENDS.get(key, DEFAULT_TRENDS)
    for code, measure in MEASURES.items():
        measure_schedule_set(
            actor=clinician, person=person, measure=code, every_days=MEASURE_EVERY_DAYS, starts_on=starts_on
        )
        for instance, total in enumerate(trends[code]):
            if instance == 3 and key not in ANSWERED_TODAY:
                total = None
            if total is None:
                continue
            due = starts_on + datetime.timedelta(days=instance * MEASURE_EVERY_DAYS)
            answered = due + datetime.timedelta(days=0 if instance == 3 else rng.randint(0, 2))
            at = _at(answered, tz, 20, rng.randint(0, 59), now)
            if at.astimezone(tz).date() != answered:
                continue  # too early today
            fixed = {8: 0} if code == "phq9" else None
            if code == "phq9" and key == "jordan" and instance == 3:
                fixed = {8: 1}  # "several days": the safety protocol starts today
            jitter = 0 if instance == 3 else rng.choice((-1, 0, 1))
            answers = answers_for(measure, max(measure.min_total, total + jitter), rng, fixed=fixed)
            with time_machine.travel(at, tick=False):
                measure_submit(actor=person, person=person, measure=code, answers=answers, instance_date=due, now=at)


def seed(people) -> None:
    now = timezone.now()
    for key, person in people.participants.items():
        membership = person.memberships.filter(program=people.program, role="participant").first()
        clinician = membership.primary_clinician if membership else people.clinicians[0]
        if not CheckIn.objects.filter(person=person).exists():
            _seed_checkins(key, person, now)
        if not MeasureSchedule.objects.filter(person=person).exists():
            _seed_measures(key, person, clinician, now)
