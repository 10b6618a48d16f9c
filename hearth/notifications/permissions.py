"""Who may do what with notifications (django-rules)."""

import rules

from hearth.programs.permissions import is_program_admin

rules.add_perm("notifications.view_delivery_log", is_program_admin)
