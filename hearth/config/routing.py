from django.urls import path

from hearth.messaging.consumers import ChatConsumer
from hearth.notifications.consumers import UnreadBadgeConsumer
from hearth.video.routing import websocket_urlpatterns as video_websocket_urlpatterns

websocket_urlpatterns = [
    path("ws/notifications/", UnreadBadgeConsumer.as_asgi(), name="ws_notifications"),
    path("ws/chat/", ChatConsumer.as_asgi(), name="ws_chat"),
    *video_websocket_urlpatterns,
]
