"""The program report and the isolation radar in Chromium at desktop and phone widths: saved to
var/screenshots/ for people to look at, each page checked by axe and for CSP errors."""

import datetime
import random

import pytest
from django.utils import timezone

from hearth.checkins.models import CheckIn, MeasureResponse
from hearth.messaging.models import Conversation, Kind, Message
from hearth.programs.models import Enrolment, EnrolmentTransition, Role
from hearth.scheduling.models import Attendance, Occurrence, SessionKind
from hearth.tests.factories import UserFactory, grant_role

from .conftest import DESKTOP, PHONE, SCREENSHOT_DIR, session_cookie_for

pytestmark = pytest.mark.browser

NAMES = ["Alex R.", "Bea", "Carmen", "Dev", "Eli", "Fran", "Gus", "Hana", "Ivo", "June"]


def _believable_program(world) -> None:
    """Twelve weeks of a small program: admissions, a completion, a drop-out, groups, check-ins,
    chat and questionnaires, with a few people drifting away lately."""
    rng = random.Random(7)
    now = timezone.now().replace(microsecond=0)
    group = Conversation.objects.create(program=world.program, kind=Kind.COHORT, title="Cohort chat")
    seq = 0
    occurrences = []
    for days_ago in range(84, 0, -1):
        start = now - datetime.timedelta(days=days_ago)
        if start.weekday() in (0, 2, 3):
            occurrences.append(
                Occurrence.objects.create(
                    program=world.program,
                    kind=SessionKind.GROUP_THERAPY,
                    title="Evening group",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=3),
                    cohort=world.cohort,
                )
            )
    for index, name in enumerate(NAMES):
        person = UserFactory(display_name=name)
        membership = grant_role(person, world.program, Role.PARTICIPANT, cohort=world.cohort)
        admitted = now - datetime.timedelta(days=80 - index * 7)
        state = "completed" if index == 0 else "discharged" if index == 3 else "active"
        enrolment = Enrolment.objects.create(membership=membership, state=state)
        moves = [("", "intake", admitted - datetime.timedelta(days=3)), ("intake", "active", admitted)]
        if state == "completed":
            moves.append(("active", "completed", now - datetime.timedelta(days=10)))
        if state == "discharged":
            moves.append(("active", "discharged", admitted + datetime.timedelta(days=20)))
        for from_state, to_state, at in moves:
            EnrolmentTransition.objects.create(enrolment=enrolment, from_state=from_state, to_state=to_state, at=at)
        left = now - datetime.timedelta(days=10) if index == 0 else admitted + datetime.timedelta(days=20)
        end = left if state != "active" else now
        drifting = index in (5, 8)  # lately quiet
        day = admitted
        while day < end:
            quiet = drifting and (now - day).days < 20
            if rng.random() < (0.3 if quiet else 0.75):
                CheckIn.objects.create(
                    person=person,
                    local_date=day.date(),
                    mood=rng.randint(3, 8),
                    craving=rng.randint(0, 6),
                    sleep_hours=7,
                    sleep_quality="good",
                    connections=["no_one"]
                    if quiet or rng.random() < 0.15
                    else [rng.choice(["peer", "group", "family"])],
                )
            if not quiet and rng.random() < 0.35:
                seq += 1
                Message.objects.create(
                    conversation=group, seq=seq, sender=person, client_msg_id=f"m{seq}", body="hi", created_at=day
                )
            day += datetime.timedelta(days=1)
        for occurrence in occurrences:
            if admitted <= occurrence.starts_at < end:
                quiet = drifting and (now - occurrence.starts_at).days < 20
                status = "absent" if quiet or rng.random() < 0.15 else "present"
                Attendance.objects.create(occurrence=occurrence, person=person, status=status)
        for code, base, step in (
            ("phq9", 14 + index % 4, -3),
            ("gad7", 11 + index % 3, -2),
            ("barc10", 32 + index, 4),
            ("ucla3", 6 + index % 3, -1),
        ):
            for k in range(0, max(1, (end - admitted).days // 14 + 1)):
                when = admitted + datetime.timedelta(days=14 * k + 1)
                if when >= end:
                    break
                total = base + step * k + (2 if drifting and code in ("ucla3",) and k > 2 else 0)
                low, high = {"phq9": (0, 27), "gad7": (0, 21), "barc10": (10, 60), "ucla3": (3, 9)}[code]
                MeasureResponse.objects.create(
                    person=person,
                    measure=code,
                    instance_date=when.date(),
                    answers=[],
                    total=min(max(total, low), high),
                    band="",
                    level="ok",
                    submitted_at=when,
                )


@pytest.fixture
def staff_session(world, live_server):
    _believable_program(world)
    return session_cookie_for(world.clinician, live_server.url)


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_report_screenshots(world, staff_session, open_tab, size, viewport):
    tab = open_tab(viewport=viewport, session=staff_session)
    tab.visit(f"/reports/program/?program={world.program.pk}", check=False)
    # census, in care, attendance, adherence, retention, measures, engagement
    assert tab.page.locator("svg.chart").count() == 7
    tab.screenshot(f"program-report-{size}")
    tab.visit(f"/reports/isolation/?program={world.program.pk}", check=False)
    assert tab.page.locator("svg.dots").count() >= 8
    tab.screenshot(f"isolation-radar-{size}")


def test_report_pdf_for_people_to_look_at(world, live_server, client_for):
    """Saves var/screenshots/program-report[-shared].pdf (render with pdftoppm to look at it)."""
    _believable_program(world)
    client = client_for(world.clinician)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for suffix, extra in (("", ""), ("-shared", "&shared=1")):
        response = client.get(f"/reports/program/report.pdf?program={world.program.pk}{extra}")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        (SCREENSHOT_DIR / f"program-report{suffix}.pdf").write_bytes(response.content)
