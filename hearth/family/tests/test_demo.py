from hearth.accounts import demo as accounts_demo
from hearth.consent import demo as consent_demo
from hearth.family import demo as family_demo
from hearth.family.models import (
    ActivityStatus,
    CaringNote,
    ContractAgreement,
    ContractDay,
    CourseProgress,
    SharedActivity,
)


def test_demo_seeds_the_couple_and_is_idempotent(db):
    people = accounts_demo.seed_people()
    consent_demo.seed(people)
    for _ in range(2):
        family_demo.seed(people)
    alex, chris = people.participants["alex"], people.family["chris"]
    assert ContractDay.objects.filter(participant=alex).count() == family_demo.CONTRACT_DAYS - 1
    assert ContractDay.objects.filter(participant=alex, acknowledged_at__isnull=False).count() == 20
    assert CaringNote.objects.filter(participant=alex).count() == len(family_demo.NOTES)
    assert CourseProgress.objects.filter(person=chris).count() == 3
    term = ContractAgreement.objects.get(participant=alex, partner=chris)
    assert term.in_force
    activities = SharedActivity.objects.filter(participant=alex)
    assert activities.count() == len(family_demo.ACTIVITIES)
    assert activities.filter(status=ActivityStatus.NOT_DONE).count() == 1
    assert activities.filter(status=ActivityStatus.PROPOSED, proposed_by=chris).count() == 1
