from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("community/", views.group_list, name="group_list"),
    path("community/groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("community/groups/<int:group_id>/join/", views.group_join_view, name="group_join"),
    path("community/groups/<int:group_id>/leave/", views.group_leave_view, name="group_leave"),
    path("community/groups/<int:group_id>/threads/new/", views.thread_new, name="thread_new"),
    path("community/groups/<int:group_id>/watch/", views.group_watch, name="group_watch"),
    path("community/search/", views.search, name="search"),
    path("community/digest/", views.digest_choose, name="digest"),
    path("community/requests/<int:member_id>/", views.member_decide_view, name="member_decide"),
    path("community/threads/<int:thread_id>/", views.thread_detail, name="thread_detail"),
    path("community/threads/<int:thread_id>/reply/", views.post_reply_view, name="post_reply"),
    path("community/threads/<int:thread_id>/pin/", views.thread_pin_view, name="thread_pin"),
    path("community/threads/<int:thread_id>/watch/", views.thread_watch, name="thread_watch"),
    path("community/posts/<int:post_id>/helpful/", views.post_helpful, name="post_helpful"),
    path("community/posts/<int:post_id>/edit/", views.post_edit_view, name="post_edit"),
    path("community/posts/<int:post_id>/delete/", views.post_delete_view, name="post_delete"),
    path("community/posts/<int:post_id>/react/", views.post_react, name="post_react"),
    path("community/posts/<int:post_id>/flag/", views.post_flag_view, name="post_flag"),
    path("community/posts/<int:post_id>/moderate/", views.post_moderate, name="post_moderate"),
    path("community/posts/<int:post_id>/mute-author/", views.member_mute_view, name="member_mute"),
    path("community/posts/<int:post_id>/history/", views.post_history, name="post_history"),
    path("community/moderation/", views.moderation_queue, name="moderation_queue"),
    path("community/programs/<int:program_id>/settings/", views.community_settings, name="settings"),
    path("community/notices/", views.notices, name="notices"),
    path("community/my-posts/", views.my_posts, name="my_posts"),
    path("community/programs/<int:program_id>/alumni/", views.alumni, name="alumni"),
    path("community/alumni/<int:access_id>/end/", views.alumni_end, name="alumni_end"),
    path("community/events/", views.events, name="events"),
    path("community/events/<int:occurrence_id>/rsvp/", views.event_rsvp, name="event_rsvp"),
    path("community/events/<int:occurrence_id>/calendar.ics", views.event_ics, name="event_ics"),
    path("community/events/propose/", views.event_propose_view, name="event_propose"),
    path("community/events/proposals/<int:proposal_id>/decide/", views.proposal_decide, name="proposal_decide"),
]
