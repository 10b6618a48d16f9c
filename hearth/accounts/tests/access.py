from hearth.tests.authz import PERSONAS, everyone, only, rule, signed_in

# allauth's own pages: reachable as allauth designs them (login pages for the signed-out,
# account pages for the signed-in). What matters here is that none fails or leaks.
SIGNED_OUT_PAGE = everyone({200, 302})
ACCOUNT_PAGE = signed_in({200, 302})
# allauth answers 404 for a factor the person does not have (e.g. no authenticator to deactivate).
FACTOR_PAGE = signed_in({200, 302, 404})

ACCESS = {
    "account_login": SIGNED_OUT_PAGE,
    "account_logout": everyone({200, 302}),
    "account_inactive": everyone(200),
    "account_signup": everyone({200, 302}),  # shows "sign-up is closed": invitation only
    "account_reauthenticate": ACCOUNT_PAGE,
    "account_request_reauthentication_code": ACCOUNT_PAGE,
    "account_confirm_reauthentication_code": ACCOUNT_PAGE,
    "account_email": ACCOUNT_PAGE,
    "account_email_verification_sent": everyone({200, 302}),
    "account_change_password": ACCOUNT_PAGE,
    "account_set_password": ACCOUNT_PAGE,
    "account_reset_password": SIGNED_OUT_PAGE,
    "account_confirm_login_code": everyone({200, 302}),
    "account_confirm_email": everyone({200, 302, 404}, kwargs=lambda w: {"key": "not-a-real-key"}),
    "account_reset_password_from_key_done": everyone({200, 302}),
    "account_reset_password_from_key": everyone({200, 302}, kwargs=lambda w: {"uidb36": "zz", "key": "not-a-real-key"}),
    "account_reset_password_done": everyone({200, 302}),
    "mfa_index": ACCOUNT_PAGE,
    "mfa_authenticate": everyone({200, 302}),
    "mfa_reauthenticate": ACCOUNT_PAGE,
    "mfa_activate_totp": ACCOUNT_PAGE,
    "mfa_deactivate_totp": FACTOR_PAGE,
    "mfa_view_recovery_codes": FACTOR_PAGE,
    "mfa_generate_recovery_codes": FACTOR_PAGE,
    "mfa_download_recovery_codes": FACTOR_PAGE,
    "mfa_list_webauthn": FACTOR_PAGE,
    "mfa_add_webauthn": ACCOUNT_PAGE,
    "mfa_reauthenticate_webauthn": FACTOR_PAGE,
    # Someone else's (or a missing) security key: never found.
    "mfa_remove_webauthn": signed_in({302, 404}, kwargs=lambda w: {"pk": 999999}),
    "mfa_edit_webauthn": signed_in({302, 404}, kwargs=lambda w: {"pk": 999999}),
    "usersessions_list": ACCOUNT_PAGE,
    # Hearth's own
    "invitation_accept": rule(dict.fromkeys(PERSONAS, 400), kwargs=lambda w: {"token": "x" * 43}),
    "invitation_list": only({"admin"}),
    "invitation_revoke": only(
        {"admin"}, ok=302, denied=404, method="post", kwargs=lambda w: {"invitation_id": w.invitation.pk}
    ),
    "family_invite": only({"participant", "other_participant"}),
    "profile": signed_in(),
    "clinical_identity": signed_in(),
    "person_sessions_end": only({"admin"}, ok=302, method="post", kwargs=lambda w: {"person_id": w.participant.pk}),
}
