from hearth.tests.authz import PARTICIPANTS, only, signed_in

ACCESS = {
    "consent_list": only(PARTICIPANTS),
    "consent_new": only(PARTICIPANTS),
    # Only the participant who gave the consent can withdraw it; anyone else never learns it exists.
    "consent_revoke": only(
        {"participant"},
        ok=302,
        denied={403, 404},
        method="post",
        kwargs=lambda w: {"consent_id": w.consent.pk},
    ),
    "family_shared": signed_in(),
}
