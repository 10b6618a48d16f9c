"""Shared builders for mentorship tests: a mentor with an approved profile and current training."""

import datetime

from django.utils import timezone

from hearth.mentorship.models import Mentorship
from hearth.mentorship.services import (
    mentorship_propose,
    mentorship_respond,
    profile_approve,
    profile_save,
    request_create,
    training_record,
)

TUESDAY_EVENING = [1, 18 * 60, 21 * 60]


def approved_mentor(world, mentor=None, *, capacity=3, languages=("en", "es"), gender="woman", expired=False):
    mentor = mentor or world.mentor
    profile = profile_save(
        actor=mentor,
        program=world.program,
        pathways=["twelve_step"],
        years_in_recovery=6,
        languages=list(languages),
        gender=gender,
        interests=["cooking", "hiking"],
        lived_experience=["parent"],
        availability=[TUESDAY_EVENING],
        capacity=capacity,
    )
    today = timezone.localdate()
    completed = today - datetime.timedelta(days=800 if expired else 30)
    training_record(
        actor=world.clinician,
        profile=profile,
        name="Peer recovery specialist",
        completed_on=completed,
        expires_on=completed + datetime.timedelta(days=730),
    )
    profile_approve(actor=world.clinician, profile=profile)
    return profile


def active_mentorship(world, profile=None, mentee=None) -> Mentorship:
    profile = profile or approved_mentor(world)
    mentee = mentee or world.participant
    request = request_create(
        actor=mentee,
        participant=mentee,
        program=world.program,
        languages=["es"],
        lived_experience=["parent"],
        availability=[TUESDAY_EVENING],
    )
    mentorship = mentorship_propose(actor=world.clinician, request=request, profile=profile)
    mentorship_respond(actor=profile.user, mentorship=mentorship, accept=True)
    return mentorship_respond(actor=mentee, mentorship=mentorship, accept=True)
