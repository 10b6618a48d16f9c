"""What every websocket consumer of Hearth shares."""


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
