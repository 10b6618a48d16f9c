"""Who may use the community and who moderates it (django-rules). Family members take part only in
family groups, never in the participants' groups; staff of a program moderate every group of that
program."""

import rules

from hearth.programs.permissions import is_family, is_mentor, is_participant, is_staff_member

# Family members use the community too, but only its family groups (selectors.community_program_ids).
rules.add_perm("community.use", is_participant | is_mentor | is_staff_member | is_family)
rules.add_perm("community.moderate", is_staff_member)
