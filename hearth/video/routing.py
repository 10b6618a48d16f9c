from django.urls import path

from .consumers import VideoConsumer

websocket_urlpatterns = [
    path("ws/video/<int:occurrence_id>/", VideoConsumer.as_asgi(), name="ws_video"),
]
