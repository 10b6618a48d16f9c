from hearth.intake.models import IntakePacket
from hearth.tests.authz import CARE_TEAM, LOGIN_REDIRECT, SIGNED_IN, STAFF, only, rule, signed_in


def world_packet(world) -> IntakePacket:
    packet, _created = IntakePacket.objects.get_or_create(person=world.participant, program=world.program)
    return packet


def _owner_only(ok=200, **options):
    """Only the person whose intake it is; anyone else may not know it exists (404)."""
    expect = dict.fromkeys(SIGNED_IN, 404)
    expect["participant"] = ok
    expect["anonymous"] = LOGIN_REDIRECT
    return rule(expect, anonymous_to_login=True, **options)


def _packet(world, **extra):
    return {"packet_id": world_packet(world).pk, **extra}


ACCESS = {
    "intake:home": signed_in(),
    "intake:packet": _owner_only(kwargs=_packet),
    "intake:about": _owner_only(kwargs=_packet),
    "intake:screening": _owner_only(kwargs=lambda w: _packet(w, code="phq9")),
    "intake:sign": _owner_only(kwargs=lambda w: _packet(w, code="treatment")),
    "intake:send": _owner_only(ok=302, method="post", kwargs=_packet),
    "intake:review_list": only(STAFF),
    # Staff send forms to a participant they care for; another program's staff may not know them.
    "intake:send_to": rule(
        {**only(CARE_TEAM, ok=302).expect, "other_clinician": 404, "other_admin": 404},
        anonymous_to_login=True,
        method="post",
        kwargs=lambda w: {"person_id": w.participant.pk},
        data=lambda w: {"program": w.program.pk},
    ),
    "intake:review": rule(
        {**only(CARE_TEAM).expect, "other_clinician": 404, "other_admin": 404}, anonymous_to_login=True, kwargs=_packet
    ),
}
