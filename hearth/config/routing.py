from django.urls import path

from hearth.notifications.consumers import UnreadBadgeConsumer

websocket_urlpatterns = [
    path("ws/notifications/", UnreadBadgeConsumer.as_asgi(), name="ws_notifications"),
]
