"""How every mentorship URL answers each persona. The world's mentor mentors the world's participant;
everyone else may not know that mentorship exists (404)."""

from hearth.mentorship.models import MentorRequest
from hearth.mentorship.services import request_create
from hearth.tests.authz import LOGIN_REDIRECT, PARTICIPANTS, SIGNED_IN, STAFF, only, rule

from .helpers import active_mentorship


def world_mentorship(world):
    mentorship = getattr(world, "_mentorship", None)
    if mentorship is None:
        mentorship = world._mentorship = active_mentorship(world)
    return mentorship


def world_waiting_request(world) -> MentorRequest:
    request = getattr(world, "_mentor_request", None)
    if request is None:
        world_mentorship(world)
        request = world._mentor_request = request_create(
            actor=world.other_participant, participant=world.other_participant, program=world.program
        )
    return request


def _m(world) -> dict:
    return {"mentorship_id": world_mentorship(world).pk}


def _expect(**codes) -> dict:
    """Personas not named get 404: they may not know the mentorship exists."""
    return {**dict.fromkeys(SIGNED_IN, 404), "anonymous": LOGIN_REDIRECT, **codes}


def _staff_object(ok=302) -> dict:
    """Staff pages about an object of the world's program: its staff act, another program's staff 404."""
    expect = dict.fromkeys(("participant", "other_participant", "mentor", "family_with_consent", "family_without"), 403)
    return {**expect, "clinician": ok, "admin": ok, "other_clinician": 404, "anonymous": LOGIN_REDIRECT}


ACCESS = {
    "mentorship:mine": only(PARTICIPANTS),
    # A mentor whose role ended has none left; a relative who is also a mentor here is a mentor.
    "mentorship:mentees": only(
        {"mentor", "family_second_role"}, overrides={"ended_mentor": 403, "ended_clinician": 403}
    ),
    "mentorship:profile": only(
        {"mentor", "family_second_role"}, overrides={"ended_mentor": 403, "ended_clinician": 403}
    ),
    "mentorship:detail": rule(
        _expect(mentor=200, participant=200, clinician=200, admin=200), kwargs=_m, anonymous_to_login=True
    ),
    # An empty answer: "choose yes or no", back to their page.
    "mentorship:respond": rule(
        _expect(mentor=302, participant=302), kwargs=_m, method="post", data=lambda w: {}, anonymous_to_login=True
    ),
    # Only the mentor logs contacts (an empty form: 400); the mentee and staff may not (403).
    "mentorship:contact_new": rule(
        _expect(mentor=400, participant=403, clinician=403, admin=403),
        kwargs=_m,
        method="post",
        data=lambda w: {},
        anonymous_to_login=True,
    ),
    "mentorship:worry": rule(
        _expect(mentor=302, participant=403, clinician=403, admin=403),
        kwargs=_m,
        method="post",
        data=lambda w: {"text": ""},
        anonymous_to_login=True,
    ),
    # Either side or staff may end it; without a reason it is a 400 and nothing changes.
    "mentorship:end": rule(
        _expect(mentor=400, participant=400, clinician=400, admin=400),
        kwargs=_m,
        method="post",
        data=lambda w: {},
        anonymous_to_login=True,
    ),
    "mentorship:message": rule(
        _expect(mentor=302, participant=302, clinician=403, admin=403),
        kwargs=_m,
        method="post",
        data=lambda w: {},
        anonymous_to_login=True,
    ),
    # Only the mentor plans meetings (an empty form: 400); the mentee and staff may not (403).
    "mentorship:meeting_new": rule(
        _expect(mentor=400, participant=403, clinician=403, admin=403),
        kwargs=_m,
        method="post",
        data=lambda w: {},
        anonymous_to_login=True,
    ),
    # Only the mentee consents to share with their mentor.
    "mentorship:share": rule(
        _expect(participant=200, mentor=403, clinician=403, admin=403), kwargs=_m, anonymous_to_login=True
    ),
    "mentorship:requests": only(STAFF),
    "mentorship:supervision": only(STAFF),
    "mentorship:batch": rule(
        _staff_object(), method="post", data=lambda w: {"program": w.program.pk}, anonymous_to_login=True
    ),
    "mentorship:propose": rule(
        _staff_object(),
        kwargs=lambda w: {"request_id": world_waiting_request(w).pk},
        method="post",
        data=lambda w: {"profile": world_mentorship(w).mentor.mentor_profile.pk},
        anonymous_to_login=True,
    ),
    "mentorship:request_for": rule(
        _staff_object(ok=200), kwargs=lambda w: {"person_id": w.participant.pk}, anonymous_to_login=True
    ),
    "mentorship:approve": rule(
        _staff_object(),
        kwargs=lambda w: {"profile_id": world_mentorship(w).mentor.mentor_profile.pk},
        method="post",
        anonymous_to_login=True,
    ),
    # The world's clinician supervises the world's mentor; the program's admin may too (an empty note: 400).
    "mentorship:supervision_note": rule(
        _staff_object(ok=400),
        kwargs=lambda w: {"profile_id": world_mentorship(w).mentor.mentor_profile.pk},
        method="post",
        data=lambda w: {},
        anonymous_to_login=True,
    ),
    "mentorship:training_new": rule(
        _staff_object(),
        kwargs=lambda w: {"profile_id": world_mentorship(w).mentor.mentor_profile.pk},
        method="post",
        data=lambda w: {},
        anonymous_to_login=True,
    ),
}
