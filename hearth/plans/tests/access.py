import datetime

from django.utils import timezone

from hearth.plans.models import PlanVersion, TreatmentPlan
from hearth.tests.authz import CARE_TEAM, LOGIN_REDIRECT, SIGNED_IN, only, rule, signed_in


def world_plan(world) -> TreatmentPlan:
    plan, created = TreatmentPlan.objects.get_or_create(person=world.participant, program=world.program)
    if created:
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            problems="Sleep",
            goals="Sleep 7 hours",
            next_review_on=timezone.localdate() + datetime.timedelta(days=30),
            author=world.clinician,
        )
    return plan


def _readers(**options):
    """The person and their care team; anyone else may not know the plan exists."""
    expect = dict.fromkeys(SIGNED_IN, 404)
    expect.update(participant=200, clinician=200, admin=200, anonymous=LOGIN_REDIRECT)
    return rule(expect, anonymous_to_login=True, **options)


def _history(world):
    world_plan(world)
    return {"person_id": world.participant.pk, "program_id": world.program.pk}


ACCESS = {
    "plans:mine": signed_in(302),
    "plans:plan": _readers(kwargs=lambda w: {"person_id": w.participant.pk}),
    "plans:history": _readers(kwargs=_history),
    "plans:edit": rule(
        {**only(CARE_TEAM).expect, "other_clinician": 404, "other_admin": 404},
        anonymous_to_login=True,
        kwargs=lambda w: {"person_id": w.participant.pk, "program_id": w.program.pk},
    ),
}
