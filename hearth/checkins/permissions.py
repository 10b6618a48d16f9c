"""Who may do what with check-ins and questionnaires (django-rules). Reading someone's data is
decided by consent_allows in the selectors."""

import rules

from hearth.programs.permissions import is_participant, is_staff_member

rules.add_perm("checkins.check_in", is_participant)
rules.add_perm("checkins.answer_measure", is_participant)
rules.add_perm("checkins.schedule_measures", is_staff_member)
