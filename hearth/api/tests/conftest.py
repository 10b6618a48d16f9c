import datetime

import pytest
from django.utils import timezone

from hearth.api.services import api_token_create
from hearth.checkins.services import measure_submit
from hearth.intake.services import intake_packet_start, intake_screening_submit
from hearth.plans.services import plan_save
from hearth.scheduling.models import Occurrence, SessionKind
from hearth.scheduling.services import attendance_mark

# The browser fixtures (Debian's Chromium via Playwright, axe and CSP checks) for the integrations page.
from hearth.tests.browser.conftest import (  # noqa: F401
    axe_source,
    browser,
    open_tab,
    pytest_fixture_setup,
)


@pytest.fixture
def token_for(db):
    """token_for(user, *scopes) -> (ApiToken, Authorization header kwargs for the test client)."""

    def _token_for(user, *scopes, days=30):
        token, raw = api_token_create(actor=user, name="test", scopes=list(scopes), expires_in_days=days)
        return token, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _token_for


@pytest.fixture
def record(world):
    """The world's participant with a session attended, one upcoming, questionnaires, screeners and a plan."""
    p = world.participant
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    past = Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GROUP_THERAPY,
        title="Evening group",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        cohort=world.cohort,
    )
    attendance_mark(actor=world.clinician, occurrence=past, person=p, status="present")
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GROUP_THERAPY,
        title="Evening group",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=3),
        cohort=world.cohort,
    )
    measure_submit(actor=p, person=p, measure="phq9", answers=[1, 1, 0, 2, 1, 0, 1, 0, 0])
    measure_submit(actor=p, person=p, measure="gad7", answers=[1, 0, 1, 0, 1, 0, 1])
    packet = intake_packet_start(actor=p, program=world.program)
    intake_screening_submit(actor=p, packet=packet, measure_code="auditc", answers=[1, 1, 0])
    intake_screening_submit(actor=p, packet=packet, measure_code="dast10", answers=[1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    plan_save(
        actor=world.clinician,
        person=p,
        program=world.program,
        problems="Alcohol use disorder, moderate",
        goals="Ninety days without return to use",
        objectives="Attend three groups a week",
        next_review_on=timezone.now().date() + datetime.timedelta(days=30),
    )
    return world
