import pytest
from django.core.management import call_command

from hearth.consent.models import Consent
from hearth.messaging.models import Message
from hearth.programs.models import Cohort, Membership, Program, Role
from hearth.scheduling.models import Occurrence

pytestmark = pytest.mark.django_db


def _counts():
    roles = {role: Membership.objects.filter(role=role).count() for role in Role.values}
    return (
        Program.objects.count(),
        Cohort.objects.count(),
        roles,
        Consent.objects.count(),
        Occurrence.objects.count(),
        Message.objects.count(),
    )


def test_seed_demo_builds_the_demo_program_once(capsys):
    call_command("seed_demo")
    first = _counts()
    programs, cohorts, roles, consents, occurrences, messages = first
    assert (programs, cohorts) == (1, 2)
    assert roles == {"participant": 12, "clinician": 3, "mentor": 2, "family": 3, "admin": 1}
    assert consents == 3
    assert occurrences > 10 and messages > 10
    assert "dana.admin@hearth.example" in capsys.readouterr().out

    call_command("seed_demo")
    assert _counts() == first
