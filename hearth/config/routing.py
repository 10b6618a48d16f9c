from django.urls import path

from hearth.messaging.consumers import ChatConsumer
from hearth.notifications.consumers import UnreadBadgeConsumer

websocket_urlpatterns = [
    path("ws/notifications/", UnreadBadgeConsumer.as_asgi(), name="ws_notifications"),
    path("ws/chat/", ChatConsumer.as_asgi(), name="ws_chat"),
]
