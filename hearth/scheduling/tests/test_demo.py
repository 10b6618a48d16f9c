import datetime

import time_machine

from hearth.scheduling.demo import seed_demo_schedule
from hearth.scheduling.models import Attendance, Occurrence, SessionNote
from hearth.scheduling.selectors import weekly_hours_report
from hearth.tests.factories import CohortFactory, Role, UserFactory, grant_role


@time_machine.travel(datetime.datetime(2026, 3, 11, 15, 0, tzinfo=datetime.UTC), tick=False)
def test_demo_schedule_seeds_a_usable_week(world):
    cohort_b = CohortFactory(program=world.program)
    grant_role(world.mentor, world.program, Role.PARTICIPANT, cohort=cohort_b)
    steady = UserFactory(display_name="Steady")
    grant_role(steady, world.program, Role.PARTICIPANT, cohort=world.cohort)
    result = seed_demo_schedule(
        admin=world.admin,
        program=world.program,
        cohorts=[world.cohort, cohort_b],
        clinicians=[world.clinician],
        participants={"p": world.participant, "o": world.other_participant},
    )
    assert len(result["series"]) == 2
    assert Occurrence.objects.filter(kind="game_night").count() == 1
    assert Attendance.objects.exists() and SessionNote.objects.exists()
    rows = weekly_hours_report(viewer=world.admin, program=world.program, week_start=datetime.date(2026, 3, 2))
    below = {r.person.display_name for r in rows if r.below_target}
    assert "Steady" not in below and "Participant" in below
