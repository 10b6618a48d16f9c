from hearth.tests.authz import CARE_TEAM, STAFF, only

ACCESS = {
    "people_list": only(STAFF),
    # Another program's clinician may not know this person exists.
    "person_detail": only(CARE_TEAM, denied={403, 404}, kwargs=lambda w: {"person_id": w.participant.pk}),
}
