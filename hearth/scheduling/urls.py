from django.urls import path

from . import views

app_name = "scheduling"

urlpatterns = [
    path("calendar/", views.calendar_agenda, name="calendar"),
    path("calendar/week/", views.calendar_week, name="calendar_week"),
    path("calendar/feed/", views.feed_settings, name="feed_settings"),
    path("calendar/feed/<str:token>.ics", views.feed_ics, name="feed_ics"),
    path("sessions/<int:occurrence_id>/", views.occurrence_detail, name="occurrence_detail"),
    path("sessions/<int:occurrence_id>/rsvp/", views.occurrence_rsvp, name="occurrence_rsvp"),
    path("sessions/<int:occurrence_id>/rsvp/cancel/", views.occurrence_rsvp_cancel, name="occurrence_rsvp_cancel"),
    path("sessions/<int:occurrence_id>/move/", views.occurrence_move_view, name="occurrence_move"),
    path("sessions/<int:occurrence_id>/cancel/", views.occurrence_cancel_view, name="occurrence_cancel"),
    path("sessions/<int:occurrence_id>/attendance/", views.attendance_sheet, name="attendance_sheet"),
    path("sessions/<int:occurrence_id>/notes/", views.session_notes, name="session_notes"),
    path("sessions/<int:occurrence_id>/capacity/", views.occurrence_capacity_view, name="occurrence_capacity"),
    path("schedule/series/", views.series_list, name="series_list"),
    path("schedule/series/new/", views.series_new, name="series_new"),
    path("schedule/series/<int:series_id>/", views.series_edit, name="series_edit"),
    path("schedule/series/<int:series_id>/end/", views.series_end_view, name="series_end"),
    path("schedule/sessions/new/", views.occurrence_new, name="occurrence_new"),
    path("schedule/hours/", views.hours_report, name="hours_report"),
    path("schedule/hours.csv", views.hours_report_csv, name="hours_report_csv"),
    path("people/<int:person_id>/attendance/", views.person_attendance, name="person_attendance"),
]
