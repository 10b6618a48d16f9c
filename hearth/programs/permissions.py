"""Who may do what, in one place (django-rules). Views and templates ask these, never roles directly."""

import rules

from .models import MFA_REQUIRED_ROLES, STAFF_ROLES, Role
from .selectors import has_finished_care, role_names_of
from .selectors import is_care_team_of as _is_care_team_of


@rules.predicate
def is_program_admin(user) -> bool:
    return Role.ADMIN in role_names_of(user)


@rules.predicate
def may_create_programs(user) -> bool:
    """A site-level grant of the installation (``manage.py site_admin``), not a program role."""
    return user.is_authenticated and user.is_active and user.has_perm("programs.add_program")


@rules.predicate
def is_clinician(user) -> bool:
    return Role.CLINICIAN in role_names_of(user)


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(role_names_of(user) & set(STAFF_ROLES))


@rules.predicate
def is_participant(user) -> bool:
    return Role.PARTICIPANT in role_names_of(user)


@rules.predicate
def is_mentor(user) -> bool:
    return Role.MENTOR in role_names_of(user)


@rules.predicate
def is_family(user) -> bool:
    return Role.FAMILY in role_names_of(user)


@rules.predicate
def needs_mfa(user) -> bool:
    return bool(role_names_of(user) & set(MFA_REQUIRED_ROLES))


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and user.pk == person.pk


@rules.predicate
def is_care_team_of(user, person) -> bool:
    return _is_care_team_of(user, person)


rules.add_perm("programs.administer", is_program_admin)
rules.add_perm("programs.list", is_program_admin | may_create_programs)
rules.add_perm("programs.view_caseload", is_staff_member)
rules.add_perm("accounts.view_clinical_identity", is_self | is_care_team_of)
rules.add_perm("accounts.invite_staff", is_program_admin)
rules.add_perm("accounts.invite_family", is_participant)
rules.add_perm("accounts.end_any_session", is_program_admin)
rules.add_perm("audit.search", is_program_admin)
rules.add_perm("consent.manage_own", is_participant)


@rules.predicate
def finished_care(user) -> bool:
    return user.is_authenticated and has_finished_care(user)


# A former participant still sees and can stop the sharing they consented to (42 CFR Part 2 lets a
# person revoke at any time); starting new sharing needs a current participant role.
rules.add_perm("consent.review_own", is_participant | finished_care)
rules.add_perm("safety.view_signals", is_staff_member)
