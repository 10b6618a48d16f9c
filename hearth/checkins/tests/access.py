import datetime

from django.utils import timezone

from hearth.checkins.models import MeasureResponse
from hearth.tests.authz import LOGIN_REDIRECT, PARTICIPANTS, only, rule, signed_in


def _participant(world) -> dict:
    return {"person_id": world.participant.pk}


def _response(world) -> dict:
    response = getattr(world, "_gad7", None)
    if response is None:
        response = MeasureResponse.objects.create(
            person=world.participant,
            measure="gad7",
            instance_date=timezone.now().date() - datetime.timedelta(days=3),
            answers=[1] * 7,
            total=7,
            band="Mild",
            level="ok",
        )
        world._gad7 = response
    return {"response_id": response.pk}


def _by_persona(**codes) -> dict:
    """Personas not named get 404: they may not know whose data exists."""
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


ACCESS = {
    "checkins:checkin": only(PARTICIPANTS),
    "checkins:progress": signed_in(),
    "checkins:measure_answer": only(PARTICIPANTS, kwargs=lambda w: {"code": "phq9"}),
    "checkins:measure_result": rule(_by_persona(participant=200), kwargs=_response, anonymous_to_login=True),
    # The world's family member has a consent naming check-ins (and attendance), not measures.
    "checkins:person_checkins": rule(
        _by_persona(participant=200, clinician=200, admin=200, family_with_consent=200),
        kwargs=_participant,
        anonymous_to_login=True,
    ),
    "checkins:person_measures": rule(
        _by_persona(participant=200, clinician=200, admin=200), kwargs=_participant, anonymous_to_login=True
    ),
    "checkins:measure_schedule": rule(
        {
            **dict.fromkeys(
                ("participant", "other_participant", "mentor", "family_with_consent", "family_without"), 403
            ),
            "clinician": 302,
            "admin": 302,
            "other_clinician": 404,
            "anonymous": LOGIN_REDIRECT,
        },
        kwargs=_participant,
        method="post",
        data=lambda w: {"measure": "phq9", "every_days": "14", "starts_on": "2026-01-05"},
        anonymous_to_login=True,
    ),
}
