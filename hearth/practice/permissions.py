"""Who may use which practice pages (django-rules). Whose runs a viewer may read is decided in
the selectors: the person themself and their care team."""

import rules

from hearth.programs.permissions import is_participant, is_staff_member

rules.add_perm("practice.play", is_participant)
rules.add_perm("practice.manage_scenes", is_staff_member)
