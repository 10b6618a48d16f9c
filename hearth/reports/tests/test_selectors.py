"""Each figure against values worked out by hand from tests/data.py (see its docstring)."""

import datetime

import pytest
import time_machine
from django.http import Http404

from hearth.family.models import ContractDay
from hearth.programs.models import Role, Track
from hearth.reports import radar
from hearth.reports.selectors import isolation_radar, program_report, scope_for_viewer
from hearth.reports.tables import SUPPRESSED, cell_text, report_tables
from hearth.tests.factories import CohortFactory, ProgramFactory, UserFactory, grant_role

from .data import END, NOW, START, build_fixed

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def fixed():
    return build_fixed()


def _report(fixed, start=START, end=END, now=NOW, cohort=None, track=None):
    scope = scope_for_viewer(
        viewer=fixed.clinician, program=fixed.program, cohort=cohort, track=track, start=start, end=end, now=now
    )
    return program_report(scope=scope)


def test_census_by_week(fixed):
    report = _report(fixed)
    rows = [(w.week, w.admissions, w.completions, w.discharges, w.dropouts, w.in_care) for w in report.census]
    assert rows == [
        (D(2026, 3, 2), 2, 0, 0, 0, 4),  # Ben and Cy admitted; Ana, Ben, Cy, Di in care on Sunday
        (D(2026, 3, 9), 0, 0, 2, 1, 3),  # Ed (never admitted) and Cy (a drop-out) discharged
        (D(2026, 3, 16), 0, 1, 0, 0, 2),  # Di completed
        (D(2026, 3, 23), 0, 0, 0, 0, 2),
    ]
    totals = report.totals
    assert (totals.admissions, totals.completions, totals.discharges, totals.dropouts) == (2, 1, 2, 1)
    assert report.people_in_care == 4


def test_attendance_rate(fixed):
    report = _report(fixed)
    # 4 Mar: 2 of 3 (Di excused, left out); 11 Mar: 1 of 2; 18 Mar: nothing marked; 25 Mar: 1 of 1.
    assert [(w.numerator, w.denominator) for w in report.attendance] == [(2, 3), (1, 2), (0, 0), (1, 1)]
    assert [w.rate.percent for w in report.attendance] == [66.7, 50.0, None, 100.0]
    assert report.attendance_total.percent == 66.7  # 4 of 6
    assert report.attendance_total.n == 3  # Ana, Ben, Cy


def test_checkin_adherence(fixed):
    report = _report(fixed)
    # Days in care per week: Ana 7+7+7+7, Ben 6+7+7+7, Cy 5+3, Di 7+7+2 -> 25, 24, 16, 14.
    # Check-ins counted: Ana 7, Ben 6 of 7 (2 March was before his admission); Cy 2.
    assert [(w.numerator, w.denominator) for w in report.adherence] == [(13, 25), (2, 24), (0, 16), (0, 14)]
    assert [w.rate.percent for w in report.adherence] == [52.0, 8.3, 0.0, 0.0]
    assert report.adherence_total.percent == 19.0  # 15 of 79
    assert report.adherence_total.n == 4


def test_retention_too_early_to_tell(fixed):
    # Admitted in March (Ben 3rd, Cy 4th) and "now" 30 March: nobody is 30 days past admission.
    assert [(r.days, r.eligible, r.retained, r.rate.value) for r in _report(fixed).retention] == [
        (30, 0, 0, None),
        (60, 0, 0, None),
        (90, 0, 0, None),
    ]


def test_retention_at_30_60_90(fixed):
    later = datetime.datetime(2026, 6, 15, 18, tzinfo=datetime.UTC)
    report = _report(fixed, start=D(2026, 1, 1), end=END, now=later)
    # Admitted 1 Jan - 29 Mar: Di 1 Jan, Ana 2 Feb, Ben 3 Mar, Cy 4 Mar; Cy left on day 8.
    assert [(r.days, r.eligible, r.retained, r.rate.percent) for r in report.retention] == [
        (30, 4, 3, 75.0),
        (60, 4, 3, 75.0),
        (90, 4, 3, 75.0),
    ]
    on_30_march = _report(fixed, start=D(2026, 1, 1), end=END)
    # 30 March: 30 days reached by Di and Ana, 60 by Di, 90 by nobody; all still in care or done.
    assert [(r.eligible, r.retained) for r in on_30_march.retention] == [(2, 2), (1, 1), (0, 0)]


def test_measure_change(fixed):
    measures = {m.rule.measure.code: m for m in _report(fixed).measures}
    phq9 = measures["phq9"]
    # Ana 15 -> 8 (-7, reliable), Ben 12 -> 10 (-2); Cy one answer; Ed never in care;
    # Ana's April answer is after the range.
    assert (phq9.answered, phq9.compared) == (3, 2)
    assert (phq9.mean_first, phq9.mean_latest, phq9.mean_change) == (13.5, 9.0, -4.5)
    assert (phq9.improved, phq9.improved_share.percent) == (1, 50.0)
    gad7 = measures["gad7"]  # one answer only: no change to report
    assert (gad7.answered, gad7.compared, gad7.mean_change, gad7.improved_share.value) == (1, 0, None, None)
    barc = measures["barc10"]  # higher is better: 30 -> 36 is a reliable improvement
    assert (barc.compared, barc.mean_change, barc.improved_share.percent) == (1, 6.0, 100.0)
    ucla = measures["ucla3"]  # Ana answered once: counted as answered, not compared
    assert (ucla.answered, ucla.compared, ucla.mean_change) == (1, 0, None)


def test_nobody_enrolled():
    program = ProgramFactory(time_zone="America/Chicago")
    admin = UserFactory()
    grant_role(admin, program, "admin")
    scope = scope_for_viewer(viewer=admin, program=program, cohort=None, start=START, end=END, now=NOW)
    report = program_report(scope=scope)
    assert report.people_in_care == 0
    assert [w.in_care for w in report.census] == [0, 0, 0, 0]
    assert all(w.rate.value is None for w in report.attendance + report.adherence)
    assert report.attendance_total.value is None and report.adherence_total.value is None
    assert all(r.eligible == 0 for r in report.retention)
    assert all(m.answered == 0 and m.mean_change is None for m in report.measures)
    assert isolation_radar(scope=scope) == []
    tables = report_tables(report)
    assert cell_text(tables["measures"].rows[0][5], shared=True) == ""


def test_cohort_filter(fixed):
    other = CohortFactory(program=fixed.program, name="Summer")
    report = _report(fixed, cohort=other)
    assert report.people_in_care == 0
    assert _report(fixed, cohort=fixed.cohort).people_in_care == 4


def test_scope_refuses_other_programs(fixed):
    stranger = UserFactory()
    grant_role(stranger, ProgramFactory(), "clinician")
    with pytest.raises(Http404):
        scope_for_viewer(viewer=stranger, program=fixed.program, cohort=None, start=START, end=END)
    with pytest.raises(Http404):
        scope_for_viewer(viewer=fixed.clinician, program=fixed.program, cohort=CohortFactory(), start=START, end=END)


def test_small_numbers_suppressed_only_when_shared(fixed):
    tables = report_tables(_report(fixed))
    census_first_week = tables["census"].rows[0]  # admissions 2, in care 4
    assert cell_text(census_first_week[1], shared=False) == "2"
    assert cell_text(census_first_week[1], shared=True) == SUPPRESSED
    assert cell_text(census_first_week[3], shared=True) == "0"  # zero names nobody
    attendance_first_week = tables["attendance"].rows[0]
    assert [cell_text(c, shared=True) for c in attendance_first_week[1:]] == [SUPPRESSED] * 3
    assert cell_text(attendance_first_week[3], shared=False) == "66.7"


@time_machine.travel(NOW, tick=False)
def test_isolation_radar_ranks_and_explains(fixed):
    scope = scope_for_viewer(viewer=fixed.clinician, program=fixed.program, cohort=None, start=START, end=END)
    rows = isolation_radar(scope=scope)
    # Cy (discharged), Di (completed) and Ed (discharged) are no longer in the program.
    # Ben: 6 days in touch; Ana: 8 (her posts and her mentor count as contact).
    assert [r.person.display_name for r in rows] == ["Fay", "Ben", "Ana"]
    fay, ben, ana = rows
    # Window 3-30 March, weeks 3-9, 10-16, 17-23, 24-30.
    assert ana.weeks == {
        "peers": [0, 0, 0, 0],
        "community": [0, 0, 1, 1],  # posted 20 March, replied 26 March; the deleted post is not counted
        "groups": [1, 0, 0, 1],
        "events": [0, 0, 0, 0],
        "mentor": [0, 0, 0, 1],  # two calls on 24 March are one day; 27 March did not reach her
        "family": [0, 0, 0, 0],
        "checkins": [3, 0, 0, 0],
    }
    assert (ana.contact_days, ana.days_since_contact, ana.missed_groups, ana.no_one_answers) == (8, 4, 1, 3)
    assert (ana.ucla_total, ana.ucla_on) == (7, D(2026, 3, 20))
    assert ben.weeks == {
        "peers": [0, 1, 0, 1],
        "community": [0, 0, 0, 0],
        "groups": [1, 1, 0, 0],
        "events": [0, 1, 0, 0],  # game night 14 March; the missed film night is not a missed group
        "mentor": [0, 0, 0, 0],
        "family": [0, 0, 1, 0],
        "checkins": [0, 0, 0, 0],
    }
    assert (ben.contact_days, ben.days_since_contact, ben.last_peer_chat, ben.missed_groups) == (
        6,
        2,
        D(2026, 3, 28),
        0,
    )
    assert (fay.contact_days, fay.days_since_contact) == (0, None)
    assert radar.summary(fay) == "no chat with peers yet · no check-ins in 4 weeks · no family conversation in 4 weeks"
    assert radar.summary(ana) == (
        "no chat with peers yet · missed 1 group · said “no one” in 3 check-ins · feels lonely on the UCLA-3 (7 of 9)"
    )
    assert radar.summary(ben) == "in touch with people this month"
    assert 'role="img"' in radar.picture(ana) and "Chat with peers: 0, 0, 0, 0" in radar.picture(ana)


@time_machine.travel(NOW, tick=False)
def test_radar_puts_this_weeks_newcomers_last_and_counts_the_couples_contract(fixed):
    gus = UserFactory(display_name="Gus")
    grant_role(gus, fixed.program, Role.PARTICIPANT)  # joined today: no history yet
    ana = fixed.people["Ana"]
    partner = UserFactory(display_name="Ana's partner")
    for day in (D(2026, 3, 26), D(2026, 3, 27)):
        ContractDay.objects.create(participant=ana, partner=partner, program=fixed.program, day=day)
    scope = scope_for_viewer(viewer=fixed.clinician, program=fixed.program, cohort=None, start=START, end=END)
    rows = isolation_radar(scope=scope)
    assert [r.person.display_name for r in rows] == ["Fay", "Ben", "Ana", "Gus"]
    gus_row, ana_row = rows[-1], rows[-2]
    assert (gus_row.is_new, gus_row.days_in_window, gus_row.contact_days) == (True, 1, 0)
    assert radar.summary(gus_row).startswith("new: 1 day in the program · no chat with peers yet · no check-ins yet")
    # 26 March was a contact day already (her community reply); 27 March is new.
    assert ana_row.weeks["family"] == [0, 0, 0, 2] and ana_row.contact_days == 9


@time_machine.travel(datetime.datetime(2026, 4, 8, 18, tzinfo=datetime.UTC), tick=False)
def test_radar_counts_days_without_peer_chat(fixed):
    scope = scope_for_viewer(viewer=fixed.clinician, program=fixed.program, cohort=None, start=START, end=END)
    ben = next(r for r in isolation_radar(scope=scope) if r.person.display_name == "Ben")
    assert radar.reasons(ben)[0] == "no chat with peers for 11 days"  # last on 28 March


def _spread(report) -> dict:
    return {e.name: (e.people, e.total, e.low, e.median, e.high, e.most) for e in report.engagement}


def test_engagement_distribution(fixed):
    # Weeks in care 2-29 March: Ana 28/7 = 4, Ben 27/7, Cy 8/7, Di 16/7 (Ed never in care).
    # Sessions: Ana 2 (0.5 a week), Ben 3 with the game night (3 * 7 / 27 = 0.78), Cy 0, Di 0 (excused)
    #   -> sorted 0, 0, 0.5, 0.78: quartiles by linear interpolation 0, 0.25, 0.5 + 0.25 * 0.28 = 0.57.
    # Messages: Ben 3 (0.78; 2 March was before his admission), the rest 0 -> 0, 0, 0.25 * 0.78 = 0.19.
    # His sister's message is hers.
    # Posts: Ana 2 (0.5; the deleted one is not counted) -> 0, 0, 0.125. Mentor: Ana reached twice.
    assert _spread(_report(fixed)) == {
        "sessions": (4, 5, 0.0, 0.25, 0.57, 0.78),
        "messages": (4, 3, 0.0, 0.0, 0.19, 0.78),
        "posts": (4, 2, 0.0, 0.0, 0.12, 0.5),
        "mentor": (4, 2, 0.0, 0.0, 0.12, 0.5),
    }


def test_engagement_leaves_out_people_in_care_under_a_week(fixed):
    # 2-8 March: Ana 7 days and Di 7 days count; Ben (6 days) and Cy (5 days) are left out.
    report = _report(fixed, end=D(2026, 3, 8))
    sessions = next(e for e in report.engagement if e.name == "sessions")
    # Ana attended on 4 March (1 a week), Di was excused (0): sorted 0, 1.
    assert (sessions.people, sessions.total, sessions.low, sessions.median, sessions.high, sessions.most) == (
        2,
        1,
        0.25,
        0.5,
        0.75,
        1.0,
    )


def test_engagement_with_nobody_in_care():
    program = ProgramFactory(time_zone="America/Chicago")
    admin = UserFactory()
    grant_role(admin, program, "admin")
    scope = scope_for_viewer(viewer=admin, program=program, cohort=None, start=START, end=END, now=NOW)
    assert [(e.name, e.people, e.median) for e in program_report(scope=scope).engagement] == [
        ("sessions", 0, None),
        ("messages", 0, None),
        ("posts", 0, None),
        ("mentor", 0, None),
    ]


def test_track_filter(fixed):
    stabilise = _report(fixed, track=fixed.tracks["stabilise"])  # Ana and Ben
    assert stabilise.people_in_care == 2
    assert (stabilise.totals.admissions, stabilise.totals.completions, stabilise.totals.dropouts) == (1, 0, 0)
    assert [(w.numerator, w.denominator) for w in stabilise.attendance] == [(2, 2), (1, 2), (0, 0), (1, 1)]
    sessions = next(e for e in stabilise.engagement if e.name == "sessions")
    # Ana 0.5, Ben 0.78 a week: quartiles 0.5 + (0.25, 0.5, 0.75) * 0.28.
    assert (sessions.people, sessions.low, sessions.median, sessions.high) == (2, 0.57, 0.64, 0.71)
    skills = _report(fixed, track=fixed.tracks["skills"])  # Di, who completed on 18 March
    assert (skills.people_in_care, skills.totals.completions) == (1, 1)
    both = _report(fixed, track=fixed.tracks["stabilise"], cohort=fixed.cohort)
    assert both.people_in_care == 2


def test_scope_refuses_a_track_of_another_program(fixed):
    elsewhere = Track.objects.create(program=ProgramFactory(), name="Elsewhere")
    with pytest.raises(Http404):
        scope_for_viewer(
            viewer=fixed.clinician, program=fixed.program, cohort=None, track=elsewhere, start=START, end=END
        )
