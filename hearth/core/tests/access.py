from hearth.tests.authz import everyone, signed_in

ACCESS = {
    "home": everyone({200, 302}),
    "dashboard": signed_in(),
    "crisis": everyone(200),
    "healthz": everyone(200),
    "readyz": everyone(200),
    "set_language": everyone(302, method="post", data=lambda w: {"language": "es", "next": "/"}),
}
