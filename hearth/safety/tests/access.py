from hearth.tests.authz import CARE_TEAM, LOGIN_REDIRECT, PARTICIPANTS, SIGNED_IN, only, rule

PLAN_READERS = {"participant", "clinician", "admin", "family_with_consent"}


def _denied(code: int) -> dict:
    return {**dict.fromkeys(SIGNED_IN, code), "anonymous": LOGIN_REDIRECT}


def _person(w):
    return {"person_id": w.participant.pk}


ACCESS = {
    # A participant's own plan (redirects to it); nobody else has one.
    "safety_plan_mine": only(PARTICIPANTS, ok=302),
    # The person, their care team, and family they shared it with ("safety plan" consent). Anyone
    # else may not learn that the person or the plan exists.
    "safety_plan": only(PLAN_READERS, denied=404, kwargs=_person),
    # Written by the person and their care team; consented family may read, never write.
    "safety_plan_edit": rule(
        {**_denied(404), "participant": 200, "clinician": 200, "admin": 200, "family_with_consent": 403},
        anonymous_to_login=True,
        kwargs=_person,
    ),
    "safety_plan_review": rule(
        {**_denied(404), "clinician": 302, "admin": 302, "participant": 403, "family_with_consent": 403},
        anonymous_to_login=True,
        method="post",
        kwargs=_person,
    ),
    "signal_detail": only(CARE_TEAM, denied=404, kwargs=lambda w: {"signal_id": w.signal.pk}),
    "signal_acknowledge": only(
        CARE_TEAM, ok=302, denied={403, 404}, method="post", kwargs=lambda w: {"signal_id": w.signal.pk}
    ),
}
