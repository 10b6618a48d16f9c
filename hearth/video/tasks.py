from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def video_media_sweep() -> None:
    """Media tokens of people disconnected past the reconnect grace stop opening the call."""
    services.media_sweep()
