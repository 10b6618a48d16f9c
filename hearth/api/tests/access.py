from hearth.tests.authz import PERSONAS, SIGNED_IN, everyone, only, rule, signed_in

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
    # A program admin's integrations (other program's admins see theirs: an empty list).
    "api:client_list": only(("admin",)),
    "api:client_revoke": only(("admin",), ok=404, method="post", kwargs=lambda w: {"client_pk": 999999}),
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
    # The token endpoint takes no session and no bearer: an empty form is RFC 6749's 400 for anyone.
    "api_v1:oauth_token": everyone(400, method="post"),
    "api_v1:fhir_group_export": rule(dict.fromkeys(PERSONAS, 401), kwargs=lambda w: {"program_id": str(w.program.pk)}),
    "api_v1:fhir_export_status": rule(
        dict.fromkeys(PERSONAS, 401), kwargs=lambda w: {"export_id": "00000000-0000-0000-0000-000000000000"}
    ),
    "api_v1:fhir_export_file": rule(
        dict.fromkeys(PERSONAS, 401), kwargs=lambda w: {"file_id": "00000000-0000-0000-0000-000000000000"}
    ),
    "api_v1:fhir_patient_everything": rule(
        dict.fromkeys(PERSONAS, 401), kwargs=lambda w: {"person_id": str(w.participant.pk)}
    ),
}
