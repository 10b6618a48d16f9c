import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.checkins.models import CheckIn
from hearth.community.models import Group, Post, Thread
from hearth.mentorship.models import ContactLog, MentorRequest, Mentorship
from hearth.programs.models import Enrolment, EnrolmentTransition, Role
from hearth.reports.services import report_snapshot_refresh
from hearth.reports.tables import SUPPRESSED
from hearth.scheduling.models import Attendance, Occurrence, SessionKind
from hearth.tests.factories import UserFactory, enrol_mfa, grant_role

from .data import NOW, build_fixed

pytestmark = pytest.mark.django_db
QUERY = "?program={pk}&start=2026-03-02&end=2026-03-29"


@pytest.fixture
def fixed():
    data = build_fixed()
    enrol_mfa(data.clinician)
    return data


@time_machine.travel(NOW, tick=False)
def test_dashboard_shows_figures_charts_and_tables(fixed, client_for):
    response = client_for(fixed.clinician).get(reverse("reports:program_report") + QUERY.format(pk=fixed.program.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="chart') == 7
    assert html.count("<table") == 6
    assert "Admissions, completions and discharges per week" in html  # the charts' text alternative
    assert "Engagement per person per week in care: quartiles, median and most" in html
    assert "Community posts and replies" in html and "Mentor contacts" in html
    assert AuditEntry.objects.filter(action="reports.program_report.viewed", actor=fixed.clinician).count() == 1


@time_machine.travel(NOW, tick=False)
def test_radar_page_ranks_people(fixed, client_for):
    response = client_for(fixed.clinician).get(reverse("reports:isolation_radar") + f"?program={fixed.program.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Fay") < html.index("Ben") < html.index("Ana")
    assert "said “no one” in 3 check-ins" in html
    assert AuditEntry.objects.filter(action="reports.isolation_radar.viewed").count() == 1


def test_other_programs_staff_gets_404(world, client_for):
    client = client_for(world.other_clinician)
    for name in ("reports:program_report", "reports:isolation_radar", "reports:program_report_pdf"):
        assert client.get(reverse(name) + f"?program={world.program.pk}").status_code == 404
    url = reverse("reports:table_csv", kwargs={"table": "census"}) + f"?program={world.program.pk}"
    assert client.get(url).status_code == 404
    # A cohort of another program is refused too.
    assert client.get(reverse("reports:program_report") + f"?cohort={world.cohort.pk}").status_code == 400


@pytest.mark.parametrize("persona", ["participant", "mentor", "family_with_consent"])
def test_participants_mentors_and_family_are_refused(world, client_for, persona):
    client = client_for(getattr(world, persona))
    assert client.get(reverse("reports:program_report")).status_code == 403
    assert client.get(reverse("reports:isolation_radar")).status_code == 403


def test_bad_dates_are_a_clear_error(world, client_for):
    client = client_for(world.clinician)
    response = client.get(reverse("reports:program_report") + "?start=2026-03-10&end=2026-03-01")
    assert response.status_code == 400
    assert "The end comes before the start." in response.content.decode()
    assert client.get(reverse("reports:program_report") + "?start=junk").status_code == 400
    assert client.get(reverse("reports:table_csv", kwargs={"table": "nope"})).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_csv_export_is_audited_and_suppresses_small_numbers_when_shared(fixed, client_for):
    client = client_for(fixed.clinician)
    url = reverse("reports:table_csv", kwargs={"table": "census"}) + QUERY.format(pk=fixed.program.pk)
    team = client.get(url)
    assert team.status_code == 200 and team["Content-Type"].startswith("text/csv")
    lines = team.content.decode().splitlines()
    assert lines[0] == "Week of,Admissions,Completions,Discharges,Drop-outs,In care"
    assert lines[1] == "2026-03-02,2,0,0,0,4"
    shared = client.get(url + "&shared=1").content.decode().splitlines()
    assert shared[1] == f"2026-03-02,{SUPPRESSED},0,0,0,{SUPPRESSED}"
    entries = AuditEntry.objects.filter(action="reports.census.exported").order_by("pk")
    assert [e.data["shared"] for e in entries] == [False, True]


@time_machine.travel(NOW, tick=False)
def test_every_table_exports(fixed, client_for):
    client = client_for(fixed.clinician)
    for table in ("attendance", "adherence", "retention", "measures", "engagement", "radar"):
        url = reverse("reports:table_csv", kwargs={"table": table}) + QUERY.format(pk=fixed.program.pk)
        response = client.get(url)
        assert response.status_code == 200, table
        assert AuditEntry.objects.filter(action=f"reports.{table}.exported").count() == 1
    radar = client.get(
        reverse("reports:table_csv", kwargs={"table": "radar"}) + QUERY.format(pk=fixed.program.pk)
    ).content.decode()
    assert radar.splitlines()[1].startswith("1,Fay,0,")
    # The radar names people: it is never shared outside the care team.
    url = reverse("reports:table_csv", kwargs={"table": "radar"}) + QUERY.format(pk=fixed.program.pk) + "&shared=1"
    assert client.get(url).status_code == 400


@time_machine.travel(NOW, tick=False)
def test_engagement_csv_with_hand_computed_quartiles(fixed, client_for):
    url = reverse("reports:table_csv", kwargs={"table": "engagement"}) + QUERY.format(pk=fixed.program.pk)
    lines = client_for(fixed.clinician).get(url).content.decode().splitlines()
    assert lines[0] == "Activity,People,Lower quartile,Median,Upper quartile,Most,Total in range"
    assert lines[1:] == [
        "Sessions attended,4,0,0.25,0.57,0.78,5",
        "Messages sent,4,0,0,0.19,0.78,3",
        "Community posts and replies,4,0,0,0.12,0.5,2",
        "Mentor contacts,4,0,0,0.12,0.5,2",
    ]


@time_machine.travel(NOW, tick=False)
def test_track_filter_narrows_the_page_and_keeps_its_exports(fixed, client_for):
    client = client_for(fixed.clinician)
    track = fixed.tracks["skills"]
    response = client.get(reverse("reports:program_report") + QUERY.format(pk=fixed.program.pk) + f"&track={track.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "All cohorts, Build skills, 2 Mar 2026 to 29 Mar 2026." in html
    assert f"track={track.pk}" in html  # the CSV and PDF links keep the filter
    assert response.context["report"].people_in_care == 1  # Di
    assert AuditEntry.objects.get(action="reports.program_report.viewed").data["track"] == track.pk
    radar = client.get(reverse("reports:isolation_radar") + f"?program={fixed.program.pk}&track={track.pk}")
    assert radar.status_code == 200 and radar.context["rows"] == []  # Di completed


def test_unknown_track_is_a_clear_error(world, client_for):
    client = client_for(world.clinician)
    response = client.get(reverse("reports:program_report") + f"?program={world.program.pk}&track=99999999")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert client.get(reverse("reports:program_report") + "?track=junk").status_code == 400


@time_machine.travel(NOW, tick=False)
def test_pdf_export(fixed, client_for):
    client = client_for(fixed.clinician)
    response = client.get(reverse("reports:program_report_pdf") + QUERY.format(pk=fixed.program.pk) + "&shared=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="reports.program_report.exported")
    assert entry.data["shared"] is True


def _program_with(count: int, world):
    """``count`` participants in the world's program, each with an enrolment, check-ins,
    attendance, a community post and a mentor contact, so every query of the pages has rows."""
    occurrence = Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GROUP_THERAPY,
        title="Group",
        starts_at=NOW - datetime.timedelta(days=3),
        ends_at=NOW - datetime.timedelta(days=3, hours=-3),
    )
    group, _created = Group.objects.get_or_create(program=world.program, name="Evenings")
    thread, _created = Thread.objects.get_or_create(group=group, title="Hello")
    for index in range(count):
        person = UserFactory()
        membership = grant_role(person, world.program, Role.PARTICIPANT, cohort=world.cohort)
        enrolment = Enrolment.objects.create(membership=membership, state="active")
        EnrolmentTransition.objects.create(
            enrolment=enrolment, from_state="intake", to_state="active", at=NOW - datetime.timedelta(days=40)
        )
        for days in (1, 2):
            CheckIn.objects.create(
                person=person,
                local_date=(NOW - datetime.timedelta(days=days)).date(),
                mood=5,
                craving=1,
                sleep_hours=7,
                sleep_quality="good",
                connections=["no_one"] if index % 2 else ["peer"],
            )
        Attendance.objects.create(occurrence=occurrence, person=person, status="present")
        Post.objects.create(thread=thread, author=person, body="hello", created_at=NOW - datetime.timedelta(days=2))
        request = MentorRequest.objects.create(participant=person, program=world.program, status="matched")
        mentorship = Mentorship.objects.create(
            request=request, program=world.program, mentor=world.mentor, mentee=person, status="active"
        )
        ContactLog.objects.create(
            mentorship=mentorship,
            happened_at=NOW - datetime.timedelta(days=1),
            channel="call",
            minutes=15,
            how_it_went="good",
        )


@pytest.mark.parametrize("url_name", ["reports:program_report", "reports:isolation_radar"])
@time_machine.travel(NOW, tick=False)
def test_query_count_does_not_grow_with_participants(world, client_for, url_name, django_assert_max_num_queries):
    client = client_for(world.admin)
    url = reverse(url_name) + f"?program={world.program.pk}"
    counts = []
    for count in (2, 6):  # 2 participants, then 8
        _program_with(count, world)
        client.get(url)  # warm: session and translation caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[0]):
        client.get(url)


@time_machine.travel(NOW, tick=False)
def test_query_count_with_figures_computed_ahead_does_not_grow(world, client_for):
    client = client_for(world.admin)
    url = reverse("reports:program_report") + f"?program={world.program.pk}"
    counts = []
    for count in (2, 6):
        _program_with(count, world)
        report_snapshot_refresh(actor=None, program=world.program)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.context["snapshot"] is not None
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


@time_machine.travel(NOW, tick=False)
def test_radar_page_lists_the_most_alone_and_points_to_the_csv_for_the_rest(fixed, client_for, monkeypatch):
    monkeypatch.setattr("hearth.reports.views.RADAR_SHOWN", 1)
    html = client_for(fixed.clinician).get(reverse("reports:isolation_radar") + f"?program={fixed.program.pk}")
    html = html.content.decode()
    assert "Fay" in html and "Ben" not in html
    assert "2 more people are in the CSV." in html
