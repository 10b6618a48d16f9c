from hearth.tests.authz import CARE_TEAM, STAFF, everyone, only, signed_in

ACCESS = {
    "home": everyone({200, 302}),
    "dashboard": signed_in(),
    # Each person puts away their own first-day steps; there is nobody else's to touch.
    "next_step_dismiss": signed_in(302, method="post", data=lambda w: {"step": "profile"}),
    "crisis": everyone(200),
    "healthz": everyone(200),
    "readyz": everyone(200),
    # Everyone signed in may have a copy of their own record (the POST downloads it).
    "my_record": signed_in(),
    "people_list": only(STAFF),
    # Another program's clinician may not know this person exists.
    "person_detail": only(CARE_TEAM, denied={403, 404}, kwargs=lambda w: {"person_id": w.participant.pk}),
    # Browsers post reports without a session or CSRF token; the body here is not a report.
    "csp_report": everyone(400, method="post", data=lambda w: {"x": "y"}),
    "set_language": everyone(302, method="post", data=lambda w: {"language": "es", "next": "/"}),
}
