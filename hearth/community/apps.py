from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "hearth.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self):
        from hearth.core.encryption import register_rotation
        from hearth.programs.services import on_role_ended

        from . import permissions  # noqa: F401  (registers the rules)
        from .services import community_leave_for_ended_role, search_index_rebuild

        # A discharge (or a role ending) takes the person out of the program's groups at once;
        # staff may then keep them in the alumni groups with an alumni grant.
        on_role_ended(community_leave_for_ended_role)

        # The search digests are keyed from SECRET_KEY: re-derive them when keys are rotated.
        register_rotation("community.PostTerm", search_index_rebuild)
