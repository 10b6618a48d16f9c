from hearth.programs.models import Enrolment, Membership, Role
from hearth.tests.authz import CARE_TEAM, only, rule

ADMIN = ("admin",)


def _participant_membership(world) -> Membership:
    return Membership.objects.get(user=world.participant, program=world.program, role=Role.PARTICIPANT)


def _enrolment(world) -> Enrolment:
    enrolment, _created = Enrolment.objects.get_or_create(membership=_participant_membership(world))
    return enrolment


def _care_team_only(ok=200, **options):
    """Clinician and admin of the world's program; another program's clinician may not know it exists."""
    return rule(
        {
            **only(CARE_TEAM, ok=ok).expect,
            "other_clinician": 404,
            "other_admin": 404,
        },
        anonymous_to_login=True,
        **options,
    )


ACCESS = {
    "program_list": only(ADMIN),
    "program_settings": only(ADMIN, kwargs=lambda w: {"program_id": w.program.pk}),
    "program_track_add": only(
        ADMIN,
        ok=302,
        method="post",
        kwargs=lambda w: {"program_id": w.program.pk},
        data=lambda w: {"name": "Phase A", "order": 1},
    ),
    "program_cohort_add": only(
        ADMIN, ok=302, method="post", kwargs=lambda w: {"program_id": w.program.pk}, data=lambda w: {"name": "Cohort Z"}
    ),
    "program_staff": only(ADMIN, kwargs=lambda w: {"program_id": w.program.pk}),
    "program_staff_end": only(
        ADMIN,
        ok=302,
        method="post",
        kwargs=lambda w: {"membership_id": Membership.objects.get(user=w.mentor, program=w.program).pk},
    ),
    "enrolment_list": _care_team_only(kwargs=lambda w: {"program_id": w.program.pk}),
    "enrolment_open": _care_team_only(
        ok=302, method="post", kwargs=lambda w: {"membership_id": _participant_membership(w).pk}
    ),
    "enrolment_detail": _care_team_only(kwargs=lambda w: {"enrolment_id": _enrolment(w).pk}),
    "enrolment_track": _care_team_only(
        ok=302, method="post", kwargs=lambda w: {"enrolment_id": _enrolment(w).pk}, data=lambda w: {"track": ""}
    ),
}
