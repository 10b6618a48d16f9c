"""Demo family data: Chris and Alex agreed to the daily recovery contract and keep it (three weeks,
one open day), write caring notes and plan a shared activity each week; Chris is halfway through
the family course; Elena sees Luis's attendance and schedule."""

import datetime

import time_machine
from django.utils import timezone

from hearth.consent.models import Category, Consent, RecipientKind
from hearth.consent.services import consent_grant
from hearth.scheduling.selectors import monday_of

from .course import modules
from .models import CaringNote, ContractAgreement, ContractDay, SharedActivity
from .selectors import Couple, local_today
from .services import (
    activity_agree,
    activity_mark,
    activity_propose,
    caring_note_write,
    contract_agree,
    contract_day_acknowledge,
    contract_day_state,
    course_module_complete,
)

CONTRACT_DAYS = 21
MISSED_DAY_AGO = 9
NOTES = [
    ("alex", "Chris made coffee before my early group. It helped."),
    ("chris", "Alex called to say they would be late. Thank you."),
    ("alex", "Chris listened without fixing anything tonight."),
    ("chris", "Alex cooked dinner and we ate together."),
]
# (weeks ago, who proposes, what, happened?) — None: agreed, not marked yet; "proposed": waiting.
ACTIVITIES = [
    (3, "chris", "Sunday walk by the river", True),
    (2, "alex", "Cook a new recipe together", True),
    (1, "chris", "Board games with the neighbours", False),
    (1, "alex", "Film night at home", True),
    (0, "alex", "Breakfast at the market on Saturday", None),
    (0, "chris", "Call my sister together", "proposed"),
]


def _grant(participant, recipient, program, kind, categories, purpose):
    given = Consent.objects.filter(participant=participant, recipient_user=recipient, revoked_at__isnull=True)
    if any(set(categories) <= set(c) for c in given.values_list("categories", flat=True)):
        return
    consent_grant(
        actor=participant,
        program=program,
        recipient_kind=kind,
        recipient_user=recipient,
        recipient_name=recipient.display_name,
        categories=categories,
        purpose=purpose,
        expires_at=timezone.now() + datetime.timedelta(days=180),
        signature=participant.clinical_identity.legal_name,
    )


def seed(people) -> None:
    alex, chris = people.participants["alex"], people.family["chris"]
    luis, elena = people.participants["luis"], people.family["elena"]
    _grant(
        alex, chris, people.program, RecipientKind.PARTNER, [Category.COUPLES_CONTRACT], "Our daily recovery contract"
    )
    _grant(luis, elena, people.program, RecipientKind.FAMILY, [Category.SCHEDULE], "So my mother knows my sessions")
    couple = Couple(alex, chris, people.program)
    who = {"alex": alex, "chris": chris}
    if not ContractAgreement.objects.filter(participant=alex, partner=chris).exists():
        with time_machine.travel(timezone.now() - datetime.timedelta(days=CONTRACT_DAYS + 1), tick=False):
            contract_agree(actor=alex, couple=couple)
            contract_agree(actor=chris, couple=couple)
    if not ContractDay.objects.filter(participant=alex).exists():
        for ago in range(CONTRACT_DAYS, 0, -1):
            if ago == MISSED_DAY_AGO:
                continue  # an open day: neutral on the calendar
            # Evening in Alex's zone on that day, so "today" is that day for the service.
            with time_machine.travel(timezone.now() - datetime.timedelta(days=ago), tick=False):
                day = local_today(alex)
                contract_day_state(actor=alex, couple=couple, day=day)
                contract_day_acknowledge(actor=chris, couple=couple, day=day, medication_observed=ago % 2 == 0)
    if not CaringNote.objects.filter(participant=alex).exists():
        for key, text in NOTES:
            caring_note_write(actor=who[key], couple=couple, text=text)
    if not SharedActivity.objects.filter(participant=alex).exists():
        for weeks_ago, key, title, happened in ACTIVITIES:
            with time_machine.travel(timezone.now() - datetime.timedelta(weeks=weeks_ago), tick=False):
                proposer = who[key]
                other = chris if proposer == alex else alex
                week = monday_of(local_today(alex))
                activity = activity_propose(actor=proposer, couple=couple, week_start=week, title=title)
                if happened == "proposed":
                    continue
                activity = activity_agree(actor=other, couple=couple, activity_id=activity.pk, version=activity.version)
                if happened is not None:
                    activity_mark(
                        actor=other, couple=couple, activity_id=activity.pk, version=activity.version, done=happened
                    )
    for module in modules()[: len(modules()) // 2]:
        course_module_complete(actor=chris, slug=module.slug)
