"""Who may use which toolkit pages (django-rules). Whose records a person may read is decided in
the selectors: private records by their author, homework by the participant and the care team."""

import rules

from hearth.programs.permissions import is_participant, is_staff_member

rules.add_perm("toolkit.use", is_participant)
rules.add_perm("toolkit.assign_homework", is_staff_member)
