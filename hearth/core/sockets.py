"""What every websocket consumer of Hearth shares."""

import logging

logger = logging.getLogger(__name__)


class PeerMayBeGone:
    """Mix in before channels' websocket consumer class.

    A client may close its socket while the server is still answering it (the video page sends
    "leave" and closes at once). uvicorn then raises ClientDisconnected (an OSError) from the send
    or close, and swallows it when it leaves the application: the consumer would end without
    running ``disconnect``, and the seat or subscription it was to release would stay taken
    (a person shown present after leaving). Such a send is dropped instead; the disconnect event is
    already queued and runs ``disconnect`` as usual."""

    async def __call__(self, scope, receive, send):
        async def send_unless_gone(message):
            try:
                await send(message)
            except OSError:
                pass

        await super().__call__(scope, receive, send_unless_gone)


def access_group(user_id: int) -> str:
    """The channel-layer group of every socket of one person that shows them someone's data."""
    return f"access.user.{user_id}"


def access_changed_publish(user_id: int) -> None:
    """Tell the person's open sockets that what they may see changed (a consent withdrawn, a role
    ended): each re-reads its own access at once instead of at its next periodic check. Call it
    from ``transaction.on_commit``; a failed publish never undoes the write (the periodic check
    still catches it)."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(access_group(user_id), {"type": "access.changed"})
    except Exception:
        logger.exception("sockets: telling person %s's sockets that their access changed failed", user_id)
