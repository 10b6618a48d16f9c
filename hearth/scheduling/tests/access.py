import datetime

from django.utils import timezone

from hearth.scheduling.models import Occurrence, SessionKind, SessionSeries
from hearth.tests.authz import LOGIN_REDIRECT, STAFF, everyone, only, rule, signed_in


def world_session(world) -> Occurrence:
    """A group session of the world's cohort tomorrow, hosted by its clinician (made once per world)."""
    occurrence = getattr(world, "_session", None)
    if occurrence is None:
        start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
        occurrence = Occurrence.objects.create(
            program=world.program,
            kind=SessionKind.GROUP_THERAPY,
            title="Evening group",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            cohort=world.cohort,
        )
        occurrence.hosts.add(world.clinician)
        world._session = occurrence
    return occurrence


def world_series(world) -> SessionSeries:
    series = getattr(world, "_series", None)
    if series is None:
        series = SessionSeries.objects.create(
            program=world.program,
            kind=SessionKind.GROUP_THERAPY,
            title="Evening group",
            time_zone="America/Chicago",
            start_time=datetime.time(18, 0),
            duration_minutes=180,
            rrule="FREQ=WEEKLY;BYDAY=MO,WE,TH",
            dtstart=datetime.date(2026, 3, 2),
            cohort=world.cohort,
        )
        world._series = series
    return series


def _session(world) -> dict:
    return {"occurrence_id": world_session(world).pk}


def _by_persona(**codes) -> dict:
    """Personas not named get 404: they may not know the session (or person) exists."""
    expect = dict.fromkeys(
        (
            "participant",
            "other_participant",
            "clinician",
            "other_clinician",
            "mentor",
            "family_with_consent",
            "family_without",
            "admin",
        ),
        404,
    )
    expect.update(codes)
    expect["anonymous"] = LOGIN_REDIRECT
    return expect


# Staff pages for one session: the care team of its program works there; another program's
# clinician may not know it exists (404); everyone else lacks the permission (403).
_STAFF_ON_SESSION = _by_persona(
    clinician=200,
    admin=200,
    participant=403,
    other_participant=403,
    mentor=403,
    family_with_consent=403,
    family_without=403,
)

ACCESS = {
    "scheduling:calendar": signed_in(),
    "scheduling:calendar_week": signed_in(),
    "scheduling:feed_settings": signed_in(),
    # The token is the only credential: a wrong one is 404 for everyone, signed in or not.
    "scheduling:feed_ics": everyone(404, kwargs=lambda w: {"token": "tampered-or-unknown-token"}),
    "scheduling:occurrence_detail": rule(
        _by_persona(participant=200, other_participant=200, clinician=200, admin=200),
        anonymous_to_login=True,
        kwargs=_session,
    ),
    # People who may see the session get a redirect (with an error message for staff who are
    # not on the roster); anyone else never learns the session exists.
    "scheduling:occurrence_rsvp": rule(
        _by_persona(participant=302, other_participant=302, clinician=302, admin=302),
        anonymous_to_login=True,
        method="post",
        kwargs=_session,
        # htmx gets the session's line back, or the error in it (400), instead of a redirect.
        htmx={302: {200, 400}},
    ),
    "scheduling:occurrence_rsvp_cancel": rule(
        _by_persona(participant=302, other_participant=302, clinician=302, admin=302),
        anonymous_to_login=True,
        method="post",
        kwargs=_session,
        # htmx gets the session's line back, or the error in it (400), instead of a redirect.
        htmx={302: {200, 400}},
    ),
    "scheduling:occurrence_move": rule(_STAFF_ON_SESSION, anonymous_to_login=True, kwargs=_session),
    "scheduling:occurrence_cancel": rule(
        {**_STAFF_ON_SESSION, "clinician": 302, "admin": 302}, anonymous_to_login=True, method="post", kwargs=_session
    ),
    "scheduling:attendance_sheet": rule(_STAFF_ON_SESSION, anonymous_to_login=True, kwargs=_session),
    "scheduling:session_notes": rule(_STAFF_ON_SESSION, anonymous_to_login=True, kwargs=_session),
    "scheduling:occurrence_capacity": rule(
        {**_STAFF_ON_SESSION, "clinician": 302, "admin": 302},
        anonymous_to_login=True,
        method="post",
        kwargs=_session,
        data=lambda w: {"capacity": "12"},
    ),
    "scheduling:series_new": only(STAFF),
    "scheduling:series_list": only(STAFF),
    "scheduling:series_edit": rule(
        _STAFF_ON_SESSION, anonymous_to_login=True, kwargs=lambda w: {"series_id": world_series(w).pk}
    ),
    "scheduling:occurrence_new": only(STAFF),
    # Another program's clinician may not know the series exists.
    "scheduling:series_end": rule(
        {**_STAFF_ON_SESSION, "clinician": 302, "admin": 302},
        anonymous_to_login=True,
        method="post",
        kwargs=lambda w: {"series_id": world_series(w).pk},
        data=lambda w: {"last_date": "2026-04-01"},
    ),
    "scheduling:hours_report": only(STAFF),
    "scheduling:hours_report_csv": only(STAFF),
    # The participant, their care team, and family holding a consent for attendance; others 404.
    "scheduling:person_attendance": rule(
        _by_persona(participant=200, clinician=200, admin=200, family_with_consent=200),
        anonymous_to_login=True,
        kwargs=lambda w: {"person_id": w.participant.pk},
    ),
}
