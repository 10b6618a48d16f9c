"""Who may use which mentorship pages, in one place."""

import rules

from hearth.programs.permissions import is_mentor, is_participant, is_staff_member

rules.add_perm("mentorship.ask", is_participant)
rules.add_perm("mentorship.mentor", is_mentor)
rules.add_perm("mentorship.manage", is_staff_member)
