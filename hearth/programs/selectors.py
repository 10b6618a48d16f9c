"""Reads of who holds which role where, and of people scoped to the viewer."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from hearth.audit.models import AuditEntry

from .models import STAFF_ROLES, Cohort, EnrolmentState, Membership, Program, Role

User = get_user_model()


def active_memberships(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, ended_at__isnull=True)


def roles_of(user) -> frozenset[tuple[int, str]]:
    """(program_id, role) pairs the person holds now; cached on the user object for the request.

    A participant whose enrolment completed or was discharged no longer acts as a participant: the
    membership row stays open for the care team's record (and retention), but the person's own
    clinical pages close. Community access after care is community's alumni grant."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_hearth_roles", None)
    if cached is None:
        cached = frozenset(active_memberships(user=user).exclude(finished_care()).values_list("program_id", "role"))
        user._hearth_roles = cached
    return cached


def finished_care() -> Q:
    """Participant memberships whose enrolment completed or was discharged: kept open for the care
    team's record, no longer the person's own (docs/decisions.md 59)."""
    return Q(role=Role.PARTICIPANT, enrolment__state__in=(EnrolmentState.COMPLETED, EnrolmentState.DISCHARGED))


def has_finished_care(user) -> bool:
    """The person was a participant whose enrolment completed or was discharged (any program)."""
    return Membership.objects.filter(finished_care(), user=user).exists()


def _unwrapped(user):
    # A socket's user is channels' lazy wrapper: its own __dict__ holds only the wrapped user.
    return getattr(user, "_wrapped", user)


def roles_loaded(user) -> bool:
    """Whether roles_of would answer from the cache, with no query."""
    return "_hearth_roles" in vars(_unwrapped(user))


def roles_forget(user) -> None:
    """Drop the cached roles: the next roles_of reads them again (a long-lived socket)."""
    vars(_unwrapped(user)).pop("_hearth_roles", None)


def role_names_of(user) -> set[str]:
    return {role for _, role in roles_of(user)}


def program_ids_where(user, *roles: str) -> set[int]:
    return {program_id for program_id, role in roles_of(user) if role in roles}


def programs_for_viewer(*, viewer) -> QuerySet[Program]:
    return Program.objects.filter(pk__in={program_id for program_id, _ in roles_of(viewer)}).order_by("name")


def program_for_admin(*, viewer, program_id: int) -> Program:
    if program_id not in program_ids_where(viewer, Role.ADMIN):
        raise Http404
    return Program.objects.get(pk=program_id)


def cohorts_for_admin(*, viewer) -> QuerySet[Cohort]:
    return Cohort.objects.filter(program_id__in=program_ids_where(viewer, Role.ADMIN)).select_related("program")


def participants_for_viewer(*, viewer) -> QuerySet:
    """Participants whose care team the viewer is on (clinician or admin of their program)."""
    program_ids = program_ids_where(viewer, *STAFF_ROLES)
    # IN (subquery), not a correlated EXISTS: SQLite would run the EXISTS once per user through the
    # (program, role) index, i.e. users × program size (seconds at 5,000 participants).
    in_program = Membership.objects.filter(
        program_id__in=program_ids, role=Role.PARTICIPANT, ended_at__isnull=True
    ).values("user_id")
    return User.objects.filter(pk__in=in_program).order_by("display_name", "pk")


def care_program_ids(viewer, person) -> set[int]:
    """Programs where the viewer is staff and the person an active participant: the care team is
    per program, so what the viewer may see of the person is what belongs to these programs."""
    if not viewer.is_authenticated or person is None:
        return set()
    program_ids = program_ids_where(viewer, *STAFF_ROLES)
    if not program_ids:
        return set()
    return set(
        Membership.objects.filter(
            user=person, program_id__in=program_ids, role=Role.PARTICIPANT, ended_at__isnull=True
        ).values_list("program_id", flat=True)
    )


def is_care_team_of(viewer, person, *, program_id: int | None = None) -> bool:
    """On the person's care team in some program, or (``program_id``) in that program."""
    programs = care_program_ids(viewer, person)
    return bool(programs) if program_id is None else program_id in programs


def person_for_care_team(*, viewer, person_id: int):
    """A participant the viewer cares for, or 404 (never reveal that the person exists)."""
    try:
        return participants_for_viewer(viewer=viewer).get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def care_team_for(*, person) -> QuerySet:
    """Clinicians and admins of every program the person takes part in."""
    program_ids = Membership.objects.filter(user=person, role=Role.PARTICIPANT, ended_at__isnull=True).values(
        "program_id"
    )
    staff = Membership.objects.filter(program_id__in=program_ids, role__in=STAFF_ROLES, ended_at__isnull=True).values(
        "user_id"
    )
    return User.objects.filter(pk__in=staff, is_active=True)


def programs_of_participant(*, person) -> QuerySet[Program]:
    """Programs the person takes part in now (for program settings that apply to them)."""
    return Program.objects.filter(
        pk__in=Membership.objects.filter(user=person, role=Role.PARTICIPANT, ended_at__isnull=True).values("program_id")
    )


def home_program_id_of(person) -> int | None:
    """The program a person's own records (check-ins, safety signals) belong to when nothing says
    otherwise: the participant program they joined first among those still active."""
    return (
        Membership.objects.filter(user=person, role=Role.PARTICIPANT, ended_at__isnull=True)
        .order_by("pk")
        .values_list("program_id", flat=True)
        .first()
    )


def primary_clinicians_of(*, person) -> QuerySet:
    """The clinicians who own the person's care (one per program they take part in)."""
    ids = Membership.objects.filter(
        user=person, role=Role.PARTICIPANT, ended_at__isnull=True, primary_clinician__isnull=False
    ).values("primary_clinician_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def care_team_with_role(*, person, role: str) -> QuerySet:
    """The clinicians (or admins) of every program the person takes part in."""
    staff = Membership.objects.filter(
        program__in=programs_of_participant(person=person), role=role, ended_at__isnull=True
    ).values("user_id")
    return User.objects.filter(pk__in=staff, is_active=True)


def people_for_program_admin(*, viewer) -> QuerySet:
    """Everyone holding a role now in a program the viewer administers (an ended role is no
    longer this program's business)."""
    in_program = Membership.objects.filter(
        program_id__in=program_ids_where(viewer, Role.ADMIN), ended_at__isnull=True
    ).values("user_id")
    return User.objects.filter(pk__in=in_program).order_by("display_name", "pk")


def person_for_program_admin(*, viewer, person_id: int):
    try:
        return people_for_program_admin(viewer=viewer).get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def person_for_staff(*, viewer, person_id: int):
    """A participant on the viewer's caseload, or anyone in a program the viewer administers."""
    try:
        return (
            (participants_for_viewer(viewer=viewer) | people_for_program_admin(viewer=viewer))
            .distinct()
            .get(pk=person_id)
        )
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def memberships_for_program_admin(*, viewer) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(program_id__in=program_ids_where(viewer, Role.ADMIN), ended_at__isnull=True)
        .select_related("user", "program", "cohort")
        .order_by("program__name", "role", "user__display_name")
    )


def family_of(*, participant) -> QuerySet[Membership]:
    return Membership.objects.filter(
        related_participant=participant, role=Role.FAMILY, ended_at__isnull=True
    ).select_related("user")


def memberships_of_person(*, viewer, person) -> list[Membership]:
    """The person's roles in programs the viewer works in (staff roles)."""
    program_ids = program_ids_where(viewer, *STAFF_ROLES)
    return list(Membership.objects.filter(user=person, program_id__in=program_ids).select_related("program", "cohort"))


def programs_for_admin(*, viewer) -> QuerySet[Program]:
    return Program.objects.filter(pk__in=program_ids_where(viewer, Role.ADMIN)).order_by("name")


def staff_of_program(*, viewer, program: Program) -> QuerySet[Membership]:
    if program.pk not in program_ids_where(viewer, Role.ADMIN):
        raise Http404
    return (
        Membership.objects.filter(
            program=program, role__in=(Role.CLINICIAN, Role.ADMIN, Role.MENTOR), ended_at__isnull=True
        )
        .select_related("user")
        .order_by("role", "user__display_name", "pk")
    )


def staff_membership_for_admin(*, viewer, membership_id: int) -> Membership:
    try:
        return Membership.objects.select_related("program", "user").get(
            pk=membership_id, program_id__in=program_ids_where(viewer, Role.ADMIN)
        )
    except (Membership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def participant_memberships_for_staff(*, viewer, program: Program) -> QuerySet[Membership]:
    """Participants of a program the viewer works in, with their enrolment (one query)."""
    if program.pk not in program_ids_where(viewer, *STAFF_ROLES):
        raise Http404
    return (
        Membership.objects.filter(program=program, role=Role.PARTICIPANT, ended_at__isnull=True)
        .select_related("user", "cohort", "enrolment", "enrolment__track")
        .order_by("user__display_name", "pk")
    )


def program_for_staff_member(*, viewer, program_id: int) -> Program:
    if program_id not in program_ids_where(viewer, *STAFF_ROLES):
        raise Http404
    return Program.objects.get(pk=program_id)


def enrolment_for_staff(*, viewer, enrolment_id: int):
    from .models import Enrolment

    try:
        return Enrolment.objects.select_related("membership__user", "membership__program", "track").get(
            pk=enrolment_id, membership__program_id__in=program_ids_where(viewer, *STAFF_ROLES)
        )
    except (Enrolment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def membership_for_staff(*, viewer, membership_id: int) -> Membership:
    try:
        return Membership.objects.select_related("program", "user").get(
            pk=membership_id, role=Role.PARTICIPANT, program_id__in=program_ids_where(viewer, *STAFF_ROLES)
        )
    except (Membership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def audit_entries_for_admin(
    *,
    viewer,
    action_prefix: str = "",
    subject_id: int | None = None,
    actor_id: int | None = None,
    since=None,
    until=None,
) -> QuerySet[AuditEntry]:
    """Entries of the programs the viewer administers.

    An entry that names its program is shown to that program's admins only. An entry without a
    program (older entries, and reads that concern the person rather than one program) is shown
    when its subject holds a role in one of the viewer's programs. Being the actor is not enough:
    what a person did in another program is none of this program's business.
    """
    program_ids = program_ids_where(viewer, Role.ADMIN)
    subject_in_programs = Membership.objects.filter(user=OuterRef("subject_id"), program_id__in=program_ids)
    entries = AuditEntry.objects.filter(
        Q(program_id__in=program_ids) | Q(program__isnull=True, subject__isnull=False) & Q(Exists(subject_in_programs))
    )
    if action_prefix:
        entries = entries.filter(action__startswith=action_prefix)
    if subject_id is not None:
        entries = entries.filter(subject_id=subject_id)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries.select_related("actor", "subject")
