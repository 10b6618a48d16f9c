from hearth.tests.authz import only, signed_in

ACCESS = {
    "my_disclosures": signed_in(),
    "audit_search": only({"admin"}),
}
