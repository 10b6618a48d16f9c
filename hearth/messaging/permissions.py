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


def _program_roles(user, program_id: int) -> set[str]:
    return {role for pid, role in roles_of(user) if pid == program_id}


def _family_only(program_roles) -> bool:
    return Role.FAMILY in program_roles and program_roles <= {Role.FAMILY}


def messaging_consents(user) -> set[tuple[int, int]]:
    """(participant id, program id) of the consents in force naming ``user`` that cover the family
    conversation with the care team (the messaging category; consent to see attendance is not
    enough). A consent is given to one program: it opens that program's conversations only."""
    return {
        (participant_id, program_id)
        for participant_id, program_id, categories in consents_received(viewer=user).values_list(
            "participant_id", "program_id", "categories"
        )
        if Category.MESSAGING in categories
    }


def family_may_talk_to_staff(user, program_id: int, consents=None) -> bool:
    """A family member talks privately with the program's staff only while a participant of that
    program consents to it: what the care team says to them is the participant's information."""
    consents = messaging_consents(user) if consents is None else consents
    return any(program == program_id for _participant, program in consents)


# Features above messaging that open private conversations of their own (an active mentorship lets
# mentor and mentee talk) register a check here: (first, second, program) -> bool.
_DIRECT_ALLOWANCES: list = []


def direct_allowance_register(check) -> None:
    if check not in _DIRECT_ALLOWANCES:
        _DIRECT_ALLOWANCES.append(check)


def may_message_directly(first, second, program, *, first_roles=None) -> bool:
    """Participants and their program's clinicians may always talk; staff with staff and mentors of
    their program, and with a family member who holds a participant's consent to it; two
    participants only where the program allows it and both opted in. ``first_roles``: the roles
    to judge ``first`` by (default: those they hold in the program now)."""
    if first.pk == second.pk or not (first.is_active and second.is_active):
        return False
    # Whoever a registered allowance lets talk (a mentor and their mentee while it is active).
    if any(allows(first, second, program) for allows in _DIRECT_ALLOWANCES):
        return True
    if first_roles is None:
        first_roles = _program_roles(first, program.pk)
    second_roles = _program_roles(second, program.pk)
    staff = set(STAFF_ROLES)
    if (first_roles & staff and second_roles) or (second_roles & staff and first_roles):
        # Staff talk with anyone in their program: participants, mentors, colleagues, and family
        # under consent.
        for user, roles in ((first, first_roles), (second, second_roles)):
            if _family_only(roles) and not family_may_talk_to_staff(user, program.pk):
                return False
        return True
    if Role.PARTICIPANT in first_roles and Role.PARTICIPANT in second_roles:
        return program.allow_peer_private_messages and accepts_peer_messages(first) and accepts_peer_messages(second)
    return False


def may_belong_to(user, conversation, *, program_roles=None) -> bool:
    """May this person be a member of this (group) conversation at all? ``program_roles``: the
    roles to judge by (default: the roles the person holds in the program now)."""
    if not user.is_active:
        return False
    if program_roles is None:
        program_roles = _program_roles(user, conversation.program_id)
    if not program_roles:
        return False
    if program_roles & set(STAFF_ROLES):
        return True
    if conversation.kind == Kind.FAMILY:
        # The participant's family conversation is their treatment information: the participant,
        # the program's staff, and whoever holds the participant's consent to this program for it,
        # whatever other role they hold in the program.
        return conversation.participant_id == user.pk or family_consent_in_force(user, conversation)
    return not _family_only(program_roles)


def may_see_as_member(user, *, program_roles, kind, program_id, participant_id, consents) -> bool:
    """Whether an active member may see a conversation now (checked on every read and frame, so a
    consent withdrawn or a role ended takes effect at once). ``consents`` is a callable returning
    messaging_consents(user), called only when it matters."""
    if not program_roles:
        return False  # no role left in the program: the membership outlived it
    if program_roles & set(STAFF_ROLES):
        return True
    if kind == Kind.FAMILY:
        return participant_id == user.pk or (participant_id, program_id) in consents()
    if kind == Kind.DIRECT and _family_only(program_roles):
        return family_may_talk_to_staff(user, program_id, consents())
    return True


def family_consent_in_force(user, conversation) -> bool:
    """A consent in force from the conversation's participant to this person, given to the
    conversation's program, that covers the family conversation."""
    if conversation.participant_id is None:
        return False
    return (conversation.participant_id, conversation.program_id) in messaging_consents(user)


@rules.predicate
def may_moderate(user, conversation) -> bool:
    return conversation is not None and is_program_staff(user, conversation.program_id)


rules.add_perm("messaging.moderate", may_moderate)
rules.add_perm("messaging.moderate_any", is_staff_member)
rules.add_perm("messaging.set_preferences", is_participant)
