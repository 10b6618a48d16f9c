import datetime

import pytest
from django.utils import timezone

from hearth.accounts import demo as accounts_demo
from hearth.programs.models import Enrolment, EnrolmentTransition
from hearth.reports import demo
from hearth.reports.selectors import program_report, scope_for_viewer

pytestmark = pytest.mark.django_db


def test_demo_enrols_everyone_with_dated_history_once():
    people = accounts_demo.seed_people()
    demo.seed(people)
    demo.seed(people)  # idempotent
    enrolments = Enrolment.objects.filter(membership__program=people.program)
    assert enrolments.count() == 12
    assert sorted(enrolments.values_list("state", flat=True)) == ["active"] * 10 + ["step_down"] * 2
    assert dict(enrolments.values_list("membership__user__display_name", "track__name"))["Nina"] == "Stabilise"
    assert EnrolmentTransition.objects.filter(enrolment__in=enrolments).count() == 12 * 3 + 2
    oldest = EnrolmentTransition.objects.order_by("at").first().at
    assert timezone.now() - oldest > datetime.timedelta(days=50)  # referral a week before intake

    today = timezone.now().date()
    scope = scope_for_viewer(
        viewer=people.admin, program=people.program, cohort=None, start=today - datetime.timedelta(days=83), end=today
    )
    report = program_report(scope=scope)
    assert report.people_in_care == 12
    assert report.totals.admissions == 12
