from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "hearth.api"
    label = "api"
    verbose_name = _("API and data export")

    def ready(self):
        # A requested bulk export runs as a Huey job once its row is committed.
        from .services import on_bulk_export_requested
        from .tasks import bulk_export_run_task

        on_bulk_export_requested(bulk_export_run_task)
