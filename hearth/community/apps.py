from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "hearth.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self):
        from hearth.core.encryption import register_rotation

        from . import permissions  # noqa: F401  (registers the rules)
        from .services import search_index_rebuild

        # The search digests are keyed from SECRET_KEY: re-derive them when keys are rotated.
        register_rotation("community.PostTerm", search_index_rebuild)
