"""Background jobs for messaging. They take ids and call services."""

from huey.contrib.djhuey import db_task

from .services import unread_notice_send


@db_task()
def unread_notice(conversation_id: int, seq: int) -> int:
    return unread_notice_send(conversation_id=conversation_id, seq=seq)
