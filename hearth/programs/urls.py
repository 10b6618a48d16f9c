from django.urls import path

from . import admin_views

urlpatterns = [
    path("audit/", admin_views.audit_search, name="audit_search"),
    path("programs/", admin_views.program_list, name="program_list"),
    path("programs/<int:program_id>/", admin_views.program_settings, name="program_settings"),
    path("programs/<int:program_id>/tracks/", admin_views.track_add, name="program_track_add"),
    path("programs/<int:program_id>/cohorts/", admin_views.cohort_add, name="program_cohort_add"),
    path("programs/<int:program_id>/staff/", admin_views.staff, name="program_staff"),
    path("programs/staff/<int:membership_id>/end/", admin_views.staff_end, name="program_staff_end"),
    path("programs/<int:program_id>/enrolments/", admin_views.enrolment_list, name="enrolment_list"),
    path("programs/memberships/<int:membership_id>/enrol/", admin_views.enrolment_open, name="enrolment_open"),
    path("programs/enrolments/<int:enrolment_id>/", admin_views.enrolment_detail, name="enrolment_detail"),
    path("programs/enrolments/<int:enrolment_id>/track/", admin_views.enrolment_track, name="enrolment_track"),
]
