"""Who may use the community and who moderates it (django-rules). Family members do not take part in
the participants' groups; staff of a program moderate every group of that program."""

import rules

from hearth.programs.permissions import is_mentor, is_participant, is_staff_member

rules.add_perm("community.use", is_participant | is_mentor | is_staff_member)
rules.add_perm("community.moderate", is_staff_member)
