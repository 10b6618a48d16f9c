"""Scheduling and attendance.

Model: a SessionSeries (RFC 5545 rule, local start time, its own time zone) is written out as
Occurrences (UTC) up to 182 days ahead; a nightly job (tasks.extend_series_nightly) keeps it
going. Occurrences of a series take hosts and roster from the series; one-offs carry their own.
Moving or cancelling one occurrence never touches the series (``original_start`` keeps the
rule's instant). Rosters: a cohort's participants and/or named people.

Entry points for other apps:
- video: ``services.attendance_record_presence(occurrence=, person=, joined_at=, left_at=)``
  merges stretches of presence into minutes and a status; staff corrections win.
- reminders live in notifications; services call ``reminders_sync_for_occurrence`` on commit.
- outreach / dashboards: ``selectors.upcoming_for_viewer``, ``missed_sessions_for_care_team``,
  ``weekly_hours_report`` and ``weekly_target_minutes`` (the ASAM 2.1 floor: 9 h adults, 6 h
  under 18). A treatment-plan target, when plans exist, belongs in ``weekly_hours_report``.
- family: ``selectors.schedule_shared_with_viewer`` (needs a consent for the session schedule).
- demo data: ``demo.seed_demo_schedule`` for ``manage.py seed_demo``.
"""
