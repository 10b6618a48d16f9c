"""The report computed ahead: stored as JSON and read back equal, written by the periodic job and by
"Count again now", shown with its age, and left alone when it is stale or for another view."""

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.reports import snapshots
from hearth.reports.models import ReportSnapshot
from hearth.reports.selectors import program_report, scope_for_snapshot, scope_for_viewer
from hearth.reports.tasks import program_reports_compute
from hearth.tests.factories import ProgramFactory, UserFactory, enrol_mfa, grant_role

from .data import END, NOW, START, build_fixed

pytestmark = pytest.mark.django_db
LATER = NOW + datetime.timedelta(minutes=14)


@pytest.fixture
def fixed():
    data = build_fixed()
    enrol_mfa(data.clinician)
    return data


def test_json_round_trip_gives_the_same_report(fixed):
    scope = scope_for_viewer(viewer=fixed.clinician, program=fixed.program, cohort=None, start=START, end=END, now=NOW)
    report = program_report(scope=scope)
    stored = json.loads(json.dumps(snapshots.encode(report)))  # as the JSON column gives it back
    assert snapshots.decode(stored, scope=scope) == report


@time_machine.travel(NOW, tick=False)
def test_periodic_job_stores_the_default_view(fixed):
    assert program_reports_compute.call_local() == 1
    snapshot = ReportSnapshot.objects.get(program=fixed.program)
    # The program's "today" is 30 March in Chicago; the default view is the 12 weeks to it.
    assert (snapshot.start, snapshot.end) == (datetime.date(2026, 1, 6), datetime.date(2026, 3, 30))
    live = program_report(scope=scope_for_snapshot(program=fixed.program, now=NOW))
    assert snapshot.figures == json.loads(json.dumps(snapshots.encode(live)))
    entry = AuditEntry.objects.get(action="reports.snapshot.computed")
    assert entry.actor is None and entry.program_id == fixed.program.pk
    program_reports_compute.call_local()  # again: one snapshot per program, updated in place
    assert ReportSnapshot.objects.count() == 1


def test_page_reads_the_snapshot_and_says_how_old_it_is(fixed, client_for):
    with time_machine.travel(NOW, tick=False):
        program_reports_compute.call_local()
    ReportSnapshot.objects.filter(program=fixed.program).update(
        figures={**ReportSnapshot.objects.get().figures, "people_in_care": 99}
    )
    client = client_for(fixed.clinician)
    url = reverse("reports:program_report") + f"?program={fixed.program.pk}"
    with time_machine.travel(LATER, tick=False):
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as stored:
            response = client.get(url)
        html = response.content.decode()
        assert "Figures as of 14\xa0minutes ago" in html
        assert response.context["report"].people_in_care == 99  # read from the snapshot, not counted
        with CaptureQueriesContext(connection) as counted:
            client.get(url + "&start=2026-01-06&end=2026-03-29")  # another range: counted on request
    assert len(stored.captured_queries) < len(counted.captured_queries)
    # The job stopped: figures two hours old are not shown; the page counts them itself.
    ReportSnapshot.objects.update(computed_at=LATER - datetime.timedelta(hours=2))
    with time_machine.travel(LATER, tick=False):
        stale = client.get(url)
    assert "Figures counted just now." in stale.content.decode()
    assert stale.context["report"].people_in_care != 99


def test_count_again_now_stores_fresh_figures_for_staff_only(fixed, client_for):
    url = reverse("reports:program_report") + f"?program={fixed.program.pk}"
    with time_machine.travel(NOW, tick=False):
        response = client_for(fixed.clinician).post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("reports:program_report"))
    snapshot = ReportSnapshot.objects.get(program=fixed.program)
    assert snapshot.computed_at == NOW
    assert AuditEntry.objects.get(action="reports.snapshot.computed").actor == fixed.clinician

    stranger = UserFactory()
    grant_role(stranger, ProgramFactory(), "clinician")
    enrol_mfa(stranger)
    assert client_for(stranger).post(url).status_code == 404
    assert client_for(fixed.people["Ana"]).post(url).status_code == 403
    assert ReportSnapshot.objects.count() == 1
