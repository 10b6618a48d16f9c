from hearth.tests.authz import only, signed_in

ACCESS = {
    "notification_list": signed_in(),
    "notification_mark_all_read": signed_in(302, method="post"),
    "notification_preferences": signed_in(),
    # A body that is not a subscription: refused with a JSON error, never a 500.
    "push_subscription_create": signed_in(400, method="post"),
    "push_subscription_remove": signed_in(400, method="post"),
    "delivery_log": only(["admin"]),
}

# Websocket routes and who may open them (hearth/tests/test_authorization_matrix.py connects as each).
WEBSOCKET_ACCESS = {
    "ws_notifications": {"connect": "signed_in"},
}
