from hearth.tests.authz import PERSONAS, SIGNED_IN, everyone, rule, signed_in

# The API authenticates with Bearer tokens only, never the session cookie: every persona,
# signed in or not, is answered 401 with a JSON body.
_TOKEN_ONLY = everyone(401)

ACCESS = {
    "api:manifest": everyone(),
    # The one service worker and the offline page: no personal data, reachable by anyone.
    "api:service_worker": everyone(),
    "api:offline": everyone(),
    # The device's send of an offline check-in answers JSON, never a login page: a POST with no
    # Idempotency-Key is refused (400) for anyone signed in, and a signed-out device gets 401.
    "api:checkin_send": rule({**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401}, method="post"),
    "api:token_list": signed_in(),
    # A token of someone else, or none: 404 (the matrix's world has no tokens).
    "api:token_revoke": signed_in(404, method="post", kwargs=lambda w: {"token_id": 999999}),
    "api_v1:openapi-json": everyone(),
    "api_v1:openapi-view": everyone(),
    # ninja's root of the API: nothing is there (404 JSON).
    "api_v1:api-root": everyone(404),
    "api_v1:me": _TOKEN_ONLY,
    "api_v1:schedule": _TOKEN_ONLY,
    "api_v1:checkins": _TOKEN_ONLY,
    "api_v1:caseload": _TOKEN_ONLY,
    "api_v1:notifications": _TOKEN_ONLY,
    "api_v1:attendance": _TOKEN_ONLY,
    "api_v1:rsvp": rule(dict.fromkeys(PERSONAS, 401), method="post", kwargs=lambda w: {"session_id": 1}),
    "api_v1:fhir_patient_everything": rule(
        dict.fromkeys(PERSONAS, 401), kwargs=lambda w: {"person_id": str(w.participant.pk)}
    ),
}
