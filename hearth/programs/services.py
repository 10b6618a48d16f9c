"""Every write to programs: settings, tracks, cohorts, staff roles and the enrolment lifecycle."""

import zoneinfo
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.core.sockets import access_changed_publish

from .models import (
    ENROLMENT_TRANSITIONS,
    STAFF_ROLES,
    Cohort,
    Enrolment,
    EnrolmentState,
    EnrolmentTransition,
    Membership,
    Program,
    Role,
    Track,
)
from .selectors import program_ids_where

ASSIGNABLE_STAFF_ROLES = (Role.CLINICIAN, Role.ADMIN, Role.MENTOR)
PROGRAM_FIELDS = (
    "name",
    "time_zone",
    "on_call_phone",
    "allow_peer_private_messages",
    "escalation_minutes",
    "chat_retention_years",
)


# Features that hold access a role gave (conversation memberships, …) register a handler here in
# their AppConfig.ready(): programs may not import them. Each is called inside the transaction
# that ends the role, with the membership (for a discharge or completion it is still open: the
# enrolment ended).
ROLE_ENDED_HANDLERS: list[Callable[..., None]] = []


def on_role_ended(handler: Callable[..., None]) -> Callable[..., None]:
    if handler not in ROLE_ENDED_HANDLERS:
        ROLE_ENDED_HANDLERS.append(handler)
    return handler


def _role_ended(*, actor, membership: Membership) -> None:
    """What the role gave ends with it, at once: features drop it in this transaction, and the
    person's open sockets re-read their access as soon as it commits."""
    membership.user.__dict__.pop("_hearth_roles", None)
    for handler in ROLE_ENDED_HANDLERS:
        handler(actor=actor, membership=membership)
    user_id = membership.user_id
    transaction.on_commit(lambda: access_changed_publish(user_id))


class EnrolmentError(ValidationError):
    """A lifecycle move the rules do not allow; the message is safe to show."""


def _require_admin(actor, program: Program) -> None:
    if program.pk not in program_ids_where(actor, Role.ADMIN):
        raise PermissionDenied


def _check_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Choose a time zone from the list.")})


def program_create(
    *, actor, name: str, slug: str, time_zone: str, on_call_phone: str = "", allow_peer_private_messages=False
) -> Program:
    """Someone the installation lets create programs (``programs.add_program``, granted with
    ``manage.py site_admin``) starts a program and becomes its first admin. Being an admin of
    one program is not enough: the new program's admin could then give themself reach into
    anyone's record by a role there."""
    if not actor.is_active or not actor.has_perm("programs.add_program"):
        raise PermissionDenied
    _check_time_zone(time_zone)
    if Program.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Another program already uses this short name.")})
    with transaction.atomic():
        program = Program(
            name=name.strip(),
            slug=slug,
            time_zone=time_zone,
            on_call_phone=on_call_phone.strip(),
            allow_peer_private_messages=allow_peer_private_messages,
        )
        program.full_clean()
        program.save()
        Membership.objects.create(user=actor, program=program, role=Role.ADMIN)
        actor.__dict__.pop("_hearth_roles", None)
        audit_record(actor=actor, action="programs.program.created", obj=program, program=program)
    return program


def program_update(*, actor, program: Program, **changes) -> Program:
    _require_admin(actor, program)
    unknown = set(changes) - set(PROGRAM_FIELDS)
    if unknown:
        raise ValueError(f"Not program settings: {sorted(unknown)}")
    if "time_zone" in changes:
        _check_time_zone(changes["time_zone"])
    changed = [name for name, value in changes.items() if getattr(program, name) != value]
    for name in changed:
        setattr(program, name, changes[name])
    program.full_clean()
    with transaction.atomic():
        if changed:
            program.save(update_fields=changed)
            audit_record(
                actor=actor, action="programs.program.updated", obj=program, program=program, data={"fields": changed}
            )
    return program


def track_create(*, actor, program: Program, name: str, order: int, description: str = "") -> Track:
    _require_admin(actor, program)
    if program.tracks.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("This program already has a track with that name.")})
    with transaction.atomic():
        track = Track(program=program, name=name.strip(), order=order, description=description.strip())
        track.full_clean()
        track.save()
        audit_record(
            actor=actor, action="programs.track.created", obj=track, program=program, data={"program": program.pk}
        )
    return track


def cohort_create(*, actor, program: Program, name: str, kind: str = Cohort.Kind.COHORT) -> Cohort:
    _require_admin(actor, program)
    if program.cohorts.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("This program already has a cohort with that name.")})
    with transaction.atomic():
        cohort = Cohort(program=program, name=name.strip(), kind=kind)
        cohort.full_clean()
        cohort.save()
        audit_record(
            actor=actor,
            action="programs.cohort.created",
            obj=cohort,
            program=program,
            data={"program": program.pk, "kind": kind},
        )
    return cohort


def integration_role_add(*, actor, program: Program, user) -> Membership:
    """The role of an integration client's service account (api): a clinician of the program, so
    every selector scopes the integration exactly as it scopes a clinician there."""
    _require_admin(actor, program)
    with transaction.atomic():
        membership = Membership.objects.create(user=user, program=program, role=Role.CLINICIAN)
        audit_record(
            actor=actor,
            action="programs.membership.added",
            subject=user,
            program=program.pk,
            obj=membership,
            data={"role": membership.role, "integration": True},
        )
    return membership


def staff_end(*, actor, membership: Membership) -> Membership:
    _require_admin(actor, membership.program)
    if membership.role not in ASSIGNABLE_STAFF_ROLES:
        raise ValidationError(_("Only staff and mentor roles are ended here."))
    if membership.ended_at is not None:
        raise ValidationError(_("This role has already ended."))
    if membership.user_id == actor.pk and membership.role == Role.ADMIN:
        raise ValidationError(_("You cannot remove your own admin role. Ask another admin."))
    with transaction.atomic():
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at"])
        audit_record(
            actor=actor,
            action="programs.membership.ended",
            subject=membership.user,
            program=membership.program_id,
            obj=membership,
            data={"role": membership.role},
        )
        _role_ended(actor=actor, membership=membership)
    return membership


def enrolment_open(*, actor, membership: Membership) -> Enrolment:
    """The enrolment of a participant membership, created at "referred" the first time."""
    if membership.program_id not in program_ids_where(actor, *STAFF_ROLES):
        raise PermissionDenied
    if membership.role != Role.PARTICIPANT:
        raise ValidationError(_("Only participants are enrolled."))
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(membership=membership)
        if created:
            EnrolmentTransition.objects.create(enrolment=enrolment, to_state=enrolment.state, by=actor)
            audit_record(
                actor=actor,
                action="programs.enrolment.created",
                subject=membership.user,
                program=membership.program_id,
                obj=enrolment,
                data={"state": enrolment.state},
            )
    return enrolment


def enrolment_transition(*, actor, enrolment: Enrolment, to_state: str, reason: str = "") -> Enrolment:
    """Move the enrolment along the lifecycle; anything the lifecycle does not allow is refused."""
    membership = enrolment.membership
    if membership.program_id not in program_ids_where(actor, *STAFF_ROLES):
        raise PermissionDenied
    if to_state not in EnrolmentState.values:
        raise EnrolmentError(_("Choose a state from the list."))
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        from_state = enrolment.state
        if to_state not in ENROLMENT_TRANSITIONS[from_state]:
            raise EnrolmentError(
                _("An enrolment cannot go from “%(from)s” to “%(to)s”.")
                % {"from": EnrolmentState(from_state).label, "to": EnrolmentState(to_state).label}
            )
        if to_state == EnrolmentState.DISCHARGED and not reason.strip():
            raise EnrolmentError(_("Say why the person is discharged."))
        now = timezone.now()
        enrolment.state = to_state
        enrolment.changed_at = now
        enrolment.save(update_fields=["state", "changed_at"])
        EnrolmentTransition.objects.create(
            enrolment=enrolment, from_state=from_state, to_state=to_state, at=now, by=actor, reason=reason.strip()
        )
        audit_record(
            actor=actor,
            action="programs.enrolment.transitioned",
            subject=membership.user,
            program=membership.program_id,
            obj=enrolment,
            data={"from": from_state, "to": to_state},
        )
        if to_state in (EnrolmentState.DISCHARGED, EnrolmentState.COMPLETED):
            # Care has ended either way: the person no longer acts as a participant (roles_of).
            _role_ended(actor=actor, membership=membership)
    return enrolment


def enrolment_track_set(*, actor, enrolment: Enrolment, track: Track | None) -> Enrolment:
    """Put the participant on a track or phase of their program (or none)."""
    membership = enrolment.membership
    if membership.program_id not in program_ids_where(actor, *STAFF_ROLES):
        raise PermissionDenied
    if track is not None and track.program_id != membership.program_id:
        raise ValidationError({"track": _("Choose a track of this program.")})
    with transaction.atomic():
        enrolment.track = track
        enrolment.save(update_fields=["track"])
        audit_record(
            actor=actor,
            action="programs.enrolment.track_set",
            subject=membership.user,
            program=membership.program_id,
            obj=enrolment,
            data={"track": track.pk if track else None},
        )
    return enrolment
