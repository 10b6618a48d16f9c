from hearth.tests.authz import CARE_TEAM, only

ACCESS = {
    "signal_acknowledge": only(
        CARE_TEAM, ok=302, denied={403, 404}, method="post", kwargs=lambda w: {"signal_id": w.signal.pk}
    ),
}
