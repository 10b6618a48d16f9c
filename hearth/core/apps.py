import logging

from django.apps import AppConfig

# The ASGI servers' access loggers have handlers of their own (not from settings.LOGGING).
SERVER_ACCESS_LOGGERS = ("uvicorn.access", "uvicorn.error", "gunicorn.access", "gunicorn.error")


class CoreConfig(AppConfig):
    name = "hearth.core"
    label = "core"

    def ready(self) -> None:
        from .log_redaction import RedactSecretsFilter

        for name in SERVER_ACCESS_LOGGERS:
            logger = logging.getLogger(name)
            if not any(isinstance(f, RedactSecretsFilter) for f in logger.filters):
                logger.addFilter(RedactSecretsFilter())
