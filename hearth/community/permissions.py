"""Who may use the community and who moderates it (django-rules). Family members take part only in
family groups, never in the participants' groups; staff of a program moderate every group of that
program; alumni (an open grant after care) take part only in alumni groups."""

import rules

from hearth.programs.permissions import is_family, is_mentor, is_participant, is_staff_member

from .selectors import is_alumnus as _is_alumnus


@rules.predicate
def is_alumnus(user) -> bool:
    return _is_alumnus(user)


# Family members use the community too, but only its family groups (selectors.community_program_ids).
rules.add_perm("community.use", is_participant | is_mentor | is_staff_member | is_family | is_alumnus)
rules.add_perm("community.moderate", is_staff_member)
