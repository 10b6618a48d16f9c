from hearth.consent.models import Category, RecipientKind
from hearth.tests.authz import LOGIN_REDIRECT, PARTICIPANTS, SIGNED_IN, only, rule, signed_in
from hearth.tests.factories import Role, UserFactory, grant_role, make_consent

FAMILY_ROLE = ("family_with_consent", "family_without", "family_withdrawn", "family_expired", "family_second_role")


def _participant(world) -> dict:
    return {"person_id": world.participant.pk}


def _couple(world) -> dict:
    """A partner with a couples-contract consent from the world's participant (made once)."""
    if getattr(world, "_partner", None) is None:
        partner = UserFactory(display_name="Partner")
        grant_role(partner, world.program, Role.FAMILY, related_participant=world.participant)
        make_consent(
            world.participant,
            world.program,
            partner,
            categories=[Category.COUPLES_CONTRACT],
            recipient_kind=RecipientKind.PARTNER,
        )
        world._partner = partner
    return {"participant_id": world.participant.pk}


ACCESS = {
    "family:portal": signed_in(),
    # The world's relative with consent shares attendance and check-ins; anyone else outside the
    # care team may not learn that the person's information exists.
    "family:person": only(
        {"participant", "clinician", "admin", "family_with_consent"}, denied=404, kwargs=_participant
    ),
    "family:my_summary": only(PARTICIPANTS, overrides={"two_programs": 200}),
    "family:course": only(FAMILY_ROLE),
    "family:course_module": only(FAMILY_ROLE, kwargs=lambda w: {"slug": "staying-safe"}),
    # A participant with a contract is taken straight to it (the world's participant has one once
    # the contract row below has made it).
    "family:contract_home": rule(
        {**dict.fromkeys(SIGNED_IN, 200), "participant": {200, 302}, "anonymous": LOGIN_REDIRECT},
        anonymous_to_login=True,
    ),
    # The couple and the care team of the contract's program; the partner is not a persona here.
    "family:contract": only({"participant", "clinician", "admin"}, denied=404, kwargs=_couple),
    # The weekly shared activities: the same couple and care team as the contract page.
    "family:activities": only({"participant", "clinician", "admin"}, denied=404, kwargs=_couple),
}
