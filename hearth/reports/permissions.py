"""Who may open the program report: clinicians and admins, and only for the programs they staff
(the selectors scope every figure to those programs)."""

import rules

from hearth.programs.permissions import is_staff_member

rules.add_perm("reports.view_program_report", is_staff_member)
