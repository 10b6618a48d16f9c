"""Notices say in words what happened (shown in Hearth only; email and push keep the generic title),
and an edit that adds a mention tells only the people it newly mentions."""

import pytest

from hearth.community.models import GroupMember, Post
from hearth.community.services import member_decide, post_edit, post_hide, post_reply
from hearth.notifications.models import Notification
from hearth.programs.models import Role
from hearth.tests.factories import UserFactory, grant_role

pytestmark = pytest.mark.django_db


def _named(user, name):
    type(user).objects.filter(pk=user.pk).update(display_name=name)
    user.display_name = name


def _notices(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("pk"))


def test_an_edit_that_adds_a_mention_tells_only_the_newly_mentioned(
    world, community, django_capture_on_commit_callbacks
):
    _named(world.participant, "Robin")
    _named(world.mentor, "Quinn")
    _named(world.other_participant, "Avery")
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_reply(actor=world.other_participant, thread=community.thread, body="@Robin hello").post
    assert len(_notices(world.participant, "community.mention")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        post_edit(actor=world.other_participant, post=reply, body="@Robin hello, and @Quinn too", version=1)
    assert len(_notices(world.participant, "community.mention")) == 1  # not told twice
    (told,) = _notices(world.mentor, "community.mention")
    assert told.text == "Avery mentioned you in an edited post in “First week” (Early recovery)."
    assert f"?post={reply.pk}" in told.url
    # An edit with no new mention tells no one, watchers included.
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        post_edit(
            actor=world.other_participant, post=Post.objects.get(pk=reply.pk), body="@Robin hi, @Quinn", version=2
        )
    assert Notification.objects.count() == before


def test_mentions_replies_moderation_and_requests_say_what_happened(
    world, community, django_capture_on_commit_callbacks
):
    _named(world.other_participant, "Avery")
    _named(world.participant, "Robin")
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_reply(actor=world.participant, thread=community.thread, body="Thank you").post
    (activity,) = _notices(world.other_participant, "community.activity")
    assert activity.text == "Robin replied in “First week” (Early recovery)."
    with django_capture_on_commit_callbacks(execute=True):
        post_hide(actor=world.clinician, post=reply, reason="privacy")
    (moderation,) = _notices(world.participant, "community.moderation")
    assert moderation.text.startswith("Post hidden in the group Early recovery. Reason: It shared someone")
    newcomer = UserFactory(display_name="Lee")
    grant_role(newcomer, world.program, Role.PARTICIPANT)
    request = GroupMember.objects.create(group=community.request_group, user=newcomer, status="requested")
    with django_capture_on_commit_callbacks(execute=True):
        member_decide(actor=world.clinician, member=request, approve=True)
    (decided,) = _notices(newcomer, "community.group")
    assert decided.text == "You are now a member of the group Parents."
