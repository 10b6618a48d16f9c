"""Who may talk with whom, in one place."""

import rules

from hearth.consent.models import Category
from hearth.consent.selectors import consents_received
from hearth.programs.models import STAFF_ROLES, Role
from hearth.programs.permissions import is_participant, is_staff_member
from hearth.programs.selectors import program_ids_where, roles_of

from .models import Kind, MessagingPreference


def is_program_staff(user, program_id: int) -> bool:
    return program_id in program_ids_where(user, *STAFF_ROLES)


def holds_role_in(user, program_id: int) -> bool:
    return any(pid == program_id for pid, _role in roles_of(user))


def accepts_peer_messages(user) -> bool:
    return MessagingPreference.objects.filter(user=user, accepts_peer_private_messages=True).exists()


# Features above messaging that open private conversations of their own (an active mentorship lets
# mentor and mentee talk) register a check here: (first, second, program) -> bool.
_DIRECT_ALLOWANCES: list = []


def direct_allowance_register(check) -> None:
    if check not in _DIRECT_ALLOWANCES:
        _DIRECT_ALLOWANCES.append(check)


def may_message_directly(first, second, program) -> bool:
    """Participants and their program's clinicians may always talk; staff with staff of their program;
    two participants only where the program allows it and both opted in; and whoever a registered
    allowance lets talk (a mentor and their mentee while the mentorship is active)."""
    if first.pk == second.pk or not (first.is_active and second.is_active):
        return False
    if any(allows(first, second, program) for allows in _DIRECT_ALLOWANCES):
        return True
    first_roles = {role for pid, role in roles_of(first) if pid == program.pk}
    second_roles = {role for pid, role in roles_of(second) if pid == program.pk}
    staff = set(STAFF_ROLES)
    if (first_roles & staff and second_roles) or (second_roles & staff and first_roles):
        # Staff talk with anyone in their program: participants, mentors, family, colleagues.
        return True
    if Role.PARTICIPANT in first_roles and Role.PARTICIPANT in second_roles:
        return program.allow_peer_private_messages and accepts_peer_messages(first) and accepts_peer_messages(second)
    return False


def may_belong_to(user, conversation) -> bool:
    """May this person be a member of this (group) conversation at all?"""
    if not user.is_active:
        return False
    program_roles = {role for pid, role in roles_of(user) if pid == conversation.program_id}
    if not program_roles:
        return False
    if program_roles & set(STAFF_ROLES):
        return True
    if Role.FAMILY in program_roles and program_roles <= {Role.FAMILY}:
        # Family take part only in their participant's family conversation, while a consent is in force.
        return conversation.kind == Kind.FAMILY and family_consent_in_force(user, conversation)
    return True


def family_consent_in_force(user, conversation) -> bool:
    """A consent in force from the conversation's participant to this person that covers the
    family conversation (the messaging category; consent to see attendance is not enough)."""
    if conversation.participant_id is None:
        return False
    in_force = consents_received(viewer=user).filter(participant_id=conversation.participant_id)
    return any(Category.MESSAGING in categories for categories in in_force.values_list("categories", flat=True))


@rules.predicate
def may_moderate(user, conversation) -> bool:
    return conversation is not None and is_program_staff(user, conversation.program_id)


rules.add_perm("messaging.moderate", may_moderate)
rules.add_perm("messaging.moderate_any", is_staff_member)
rules.add_perm("messaging.set_preferences", is_participant)
