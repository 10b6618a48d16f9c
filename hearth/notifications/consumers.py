from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from hearth.accounts.sockets import session_recheck, session_still_valid
from hearth.core.sockets import PeerMayBeGone, access_group

from .services import unread_count, user_group


class UnreadBadgeConsumer(PeerMayBeGone, AsyncJsonWebsocketConsumer):
    """Pushes the signed-in person's unread notification count and urgent alerts (generic words and a
    link, never clinical content); accepts nothing from the client."""

    async def connect(self):
        user = self.scope.get("user")
        session_key = getattr(self.scope.get("session"), "session_key", None)
        # The page rules hold here too: signed out, timed out or a second factor still missing → no socket.
        if user is None or not await database_sync_to_async(session_still_valid)(user=user, session_key=session_key):
            await self.close(code=4401)
            return
        self.user, self.session_key = user, session_key
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        # A new password or a deactivated account closes this socket at once.
        await self.channel_layer.group_add(access_group(user.pk), self.channel_name)
        await self.accept()
        await self.send_json({"type": "unread", "count": await database_sync_to_async(unread_count)(user.pk)})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.channel_layer.group_discard(access_group(self.user.pk), self.channel_name)

    async def access_changed(self, event):
        if not await database_sync_to_async(session_recheck)(user=self.user, session_key=self.session_key):
            await self.close(code=4401)

    async def receive_json(self, content, **kwargs):
        await self.send_json({"type": "error", "code": "read_only", "message": "This channel only sends."})

    async def notification_unread(self, event):
        await self.send_json({"type": "unread", "count": event["count"]})

    async def notification_urgent(self, event):
        await self.send_json({"type": "urgent", "title": event["title"], "url": event["url"]})
