from django.urls import path

from . import views

urlpatterns = [
    path("messages/", views.conversation_list, name="conversation_list"),
    path("messages/new/", views.conversation_new, name="conversation_new"),
    path("messages/<int:conversation_id>/", views.conversation_detail, name="conversation_detail"),
    path("messages/groups/new/", views.group_new, name="group_new"),
    path("messages/<int:conversation_id>/members/", views.conversation_members, name="conversation_members"),
    path("messages/<int:conversation_id>/older/", views.conversation_older, name="conversation_older"),
    path("messages/<int:conversation_id>/send/", views.conversation_send, name="conversation_send"),
    path("messages/<int:conversation_id>/<int:seq>/report/", views.message_report_view, name="message_report"),
    path("messages/moderation/", views.moderation_queue, name="moderation_queue"),
    path("messages/moderation/<int:report_id>/", views.moderation_decide, name="moderation_decide"),
    path("messages/settings/", views.messaging_preferences, name="messaging_preferences"),
]
