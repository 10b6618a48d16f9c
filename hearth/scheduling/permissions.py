"""Who may do what in scheduling (django-rules). Object-level checks live in the selectors."""

import rules

from hearth.programs.permissions import is_staff_member

# Clinicians and program admins build schedules, mark attendance and write session notes
# for the programs they work in.
rules.add_perm("scheduling.manage_sessions", is_staff_member)
