from hearth.tests.authz import signed_in

ACCESS = {
    "notification_list": signed_in(),
    "notification_mark_all_read": signed_in(302, method="post"),
}
