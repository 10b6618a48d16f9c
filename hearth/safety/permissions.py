"""Who may use which safety page. Reading a plan is decided per person by
``selectors.person_for_plan_viewer`` (the person, their care team, or consent "safety plan")."""

import rules

from hearth.programs.permissions import is_participant

rules.add_perm("safety.keep_own_plan", is_participant)
