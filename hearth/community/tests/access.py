from hearth.community.tests.conftest import community_for
from hearth.tests.authz import LOGIN_REDIRECT, rule

# Participants, mentors and staff take part in their own program's community. Family members take
# part only in family groups (none here): the participants' groups, threads and posts are unknown to
# them (404), like to the other program's clinician.
USERS = ("participant", "other_participant", "clinician", "other_clinician", "mentor", "admin")
FAMILY = ("family_with_consent", "family_without")


def _expect(default, **codes) -> dict:
    expect = {persona: default for persona in USERS}
    expect.update(dict.fromkeys(FAMILY, 404))
    expect["other_clinician"] = 404
    expect.update(codes)
    expect["anonymous"] = LOGIN_REDIRECT
    return expect


def _group(w):
    return {"group_id": community_for(w).group.pk}


def _thread(w):
    return {"thread_id": community_for(w).thread.pk}


def _post(w):
    return {"post_id": community_for(w).post.pk}


def _event(w):
    return {"occurrence_id": community_for(w).event.pk}


def _request(w):
    return {"member_id": community_for(w).request.pk}


def _alumni_access(w):
    """An alumnus of the world's program (made once): only the program's staff may end it here."""
    access = getattr(w, "_alumni_access", None)
    if access is None:
        from hearth.community.models import AlumniAccess
        from hearth.tests.factories import UserFactory

        access = AlumniAccess.objects.create(
            person=UserFactory(display_name="Alumnus"), program=w.program, granted_by=w.clinician
        )
        w._alumni_access = access
    return {"access_id": access.pk}


MODERATORS = {"clinician": 302, "admin": 302}
_FAMILY_200 = dict.fromkeys(FAMILY, 200)
_FAMILY_403 = dict.fromkeys(FAMILY, 403)
NOT_MODERATORS = {"participant": 403, "other_participant": 403, "mentor": 403, **dict.fromkeys(FAMILY, 403)}

ACCESS = {
    "community:group_list": rule(_expect(200, other_clinician=200, **_FAMILY_200), anonymous_to_login=True),
    "community:notices": rule(_expect(200, other_clinician=200, **_FAMILY_200), anonymous_to_login=True),
    # Everyone in the community reads their own posts (an alumnus keeps their history).
    "community:my_posts": rule(_expect(200, other_clinician=200, **_FAMILY_200), anonymous_to_login=True),
    # The program's staff keep and end alumni access; staff of another program may not know the page.
    "community:alumni": rule(
        _expect(404, clinician=200, admin=200, **NOT_MODERATORS),
        kwargs=lambda w: {"program_id": w.program.pk},
        anonymous_to_login=True,
    ),
    "community:alumni_end": rule(
        _expect(404, clinician=302, admin=302), kwargs=_alumni_access, method="post", anonymous_to_login=True
    ),
    "community:events": rule(_expect(200, other_clinician=200, **_FAMILY_200), anonymous_to_login=True),
    # Only the program's admins choose its community settings; other staff may not know of the page (404).
    "community:settings": rule(
        _expect(404, admin=200, **NOT_MODERATORS),
        kwargs=lambda w: {"program_id": w.program.pk},
        anonymous_to_login=True,
    ),
    # Add to calendar: like the RSVP, the event's roster and the program's staff (the mentor is not on it).
    "community:event_ics": rule(_expect(200, mentor=404), kwargs=_event, anonymous_to_login=True),
    # Participants and mentors propose; staff schedule directly and are sent back with a message.
    # Family members are sent back with a message too: social events are the participants' community.
    "community:event_propose": rule(
        _expect(200, clinician=302, admin=302, other_clinician=302, **dict.fromkeys(FAMILY, 302)),
        anonymous_to_login=True,
    ),
    "community:proposal_decide": rule(
        _expect(302, **NOT_MODERATORS),
        kwargs=lambda w: {"proposal_id": community_for(w).proposal.pk},
        method="post",
        data=lambda w: {"decision": "decline"},
        anonymous_to_login=True,
    ),
    "community:digest": rule(
        _expect(302, other_clinician=302, **dict.fromkeys(FAMILY, 302)),
        method="post",
        data=lambda w: {"digest": "weekly"},
        anonymous_to_login=True,
    ),
    # Search runs inside the viewer's own groups; anyone who takes part may open it.
    "community:search": rule(_expect(200, other_clinician=200, **_FAMILY_200), anonymous_to_login=True),
    "community:group_watch": rule(
        _expect(302), kwargs=_group, method="post", data=lambda w: {"level": "watching"}, anonymous_to_login=True
    ),
    "community:thread_watch": rule(
        _expect(302), kwargs=_thread, method="post", data=lambda w: {"level": "muted"}, anonymous_to_login=True
    ),
    # The thread's author, its facilitator (the mentor) and staff mark replies helpful; other members may
    # not (the world's post is the opening post, so those allowed get a message, not a change).
    "community:post_helpful": rule(
        _expect(302, participant=403),
        kwargs=_post,
        method="post",
        data=lambda w: {"helpful": "1"},
        anonymous_to_login=True,
    ),
    "community:moderation_queue": rule(
        _expect(200, other_clinician=200, participant=403, other_participant=403, mentor=403, **_FAMILY_403),
        anonymous_to_login=True,
    ),
    "community:group_detail": rule(_expect(200), kwargs=_group, anonymous_to_login=True),
    "community:thread_new": rule(_expect(200), kwargs=_group, anonymous_to_login=True),
    "community:group_join": rule(_expect(302), kwargs=_group, method="post", anonymous_to_login=True),
    "community:group_leave": rule(_expect(302), kwargs=_group, method="post", anonymous_to_login=True),
    "community:thread_detail": rule(_expect(200), kwargs=_thread, anonymous_to_login=True),
    "community:post_reply": rule(
        _expect(302), kwargs=_thread, method="post", data=lambda w: {"body": "Thinking of you"}, anonymous_to_login=True
    ),
    # Staff and the group's facilitator (the mentor) pin; other members may not.
    "community:thread_pin": rule(
        _expect(302, participant=403, other_participant=403),
        kwargs=_thread,
        method="post",
        data=lambda w: {"pinned": "1"},
        anonymous_to_login=True,
    ),
    # Only the author edits; other readers are sent back to the thread.
    "community:post_edit": rule(_expect(302, other_participant=200), kwargs=_post, anonymous_to_login=True),
    "community:post_delete": rule(
        _expect(403, other_participant=302), kwargs=_post, method="post", anonymous_to_login=True
    ),
    "community:post_react": rule(
        _expect(302), kwargs=_post, method="post", data=lambda w: {"kind": "me_too"}, anonymous_to_login=True
    ),
    "community:post_flag": rule(_expect(200), kwargs=_post, anonymous_to_login=True),
    "community:post_moderate": rule(
        _expect(302, **NOT_MODERATORS),
        kwargs=_post,
        method="post",
        data=lambda w: {"decision": "hide", "reason": "harmful"},
        anonymous_to_login=True,
    ),
    "community:member_mute": rule(
        _expect(302, **NOT_MODERATORS),
        kwargs=_post,
        method="post",
        data=lambda w: {"hours": "24", "reason": "harmful"},
        anonymous_to_login=True,
    ),
    "community:post_history": rule(_expect(200, **NOT_MODERATORS), kwargs=_post, anonymous_to_login=True),
    # Staff of the program and the request group's facilitators (none here) answer requests.
    "community:member_decide": rule(
        _expect(404, **MODERATORS),
        kwargs=_request,
        method="post",
        data=lambda w: {"decision": "approve"},
        anonymous_to_login=True,
    ),
    # The cohort's participants reply; staff see the event but are not on its roster (a message, no
    # change); the mentor and the other program's clinician may not know of it.
    "community:event_rsvp": rule(_expect(302, mentor=404), kwargs=_event, method="post", anonymous_to_login=True),
}


# The security review's personas, where the defaults (authz.LIKE) do not fit the community:
# mentors take part here, so a clinician or mentor whose role ended has no role left (403, like
# family), and a relative who is also a mentor here takes part as a mentor, but like the participant
# of two programs is in none of the world's groups, whose threads and posts they may not know (404).
_IN_GROUPS = (
    "community:thread_detail",
    "community:thread_watch",
    "community:post_helpful",
    "community:thread_pin",
    "community:post_edit",
    "community:post_flag",
    "community:post_react",
    "community:post_reply",
    "community:post_delete",
)
_NO_ROLE_LEFT = frozenset({403})
for _name, _access in ACCESS.items():
    _expect_now = _access.expect
    if _name != "community:post_delete":
        _expect_now["ended_clinician"] = _expect_now["ended_mentor"] = _NO_ROLE_LEFT
    in_a_group = _name in (*_IN_GROUPS, "community:member_decide", "community:event_rsvp", "community:event_ics")
    _expect_now["family_second_role"] = frozenset({404}) if in_a_group else _expect_now["mentor"]
    if _name in _IN_GROUPS:
        _expect_now["two_programs"] = frozenset({404})
