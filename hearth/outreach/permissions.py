"""Who may do what with outreach (django-rules). Task-level checks live in the selectors."""

import rules

from hearth.programs.permissions import is_staff_member

rules.add_perm("outreach.work_queue", is_staff_member)
