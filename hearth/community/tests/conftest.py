import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from hearth.community.models import EventProposal, Group, GroupMember, JoinPolicy, MemberRole, MemberStatus
from hearth.community.services import thread_start
from hearth.scheduling.models import SessionKind
from hearth.scheduling.services import occurrence_schedule


@dataclass
class Community:
    group: object
    thread: object
    post: object  # the opening post, by the world's other participant
    request_group: object
    request: object  # the world's other participant asking to join request_group
    event: object
    proposal: object  # a game night the world's participant proposed, waiting for staff


def community_for(world) -> Community:
    """The world's community (made once per world): an open group with both participants and the mentor
    as facilitator, a thread by the other participant, an ask-to-join group with a pending request,
    and a game night for the cohort."""
    made = getattr(world, "_community", None)
    if made is not None:
        return made
    long_ago = timezone.now() - datetime.timedelta(days=30)
    for user in world.personas().values():
        if user is not None and user.date_joined > long_ago:
            type(user).objects.filter(pk=user.pk).update(date_joined=long_ago)
            user.date_joined = long_ago
    group = Group.objects.create(program=world.program, name="Early recovery", join_policy=JoinPolicy.OPEN)
    for user in (world.participant, world.other_participant):
        GroupMember.objects.create(group=group, user=user)
    GroupMember.objects.create(group=group, user=world.mentor, role=MemberRole.FACILITATOR)
    result = thread_start(actor=world.other_participant, group=group, title="First week", body="Hello everyone")
    request_group = Group.objects.create(program=world.program, name="Parents", join_policy=JoinPolicy.REQUEST)
    request = GroupMember.objects.create(
        group=request_group, user=world.other_participant, status=MemberStatus.REQUESTED
    )
    starts = timezone.now() + datetime.timedelta(days=3)
    event = occurrence_schedule(
        actor=world.admin,
        program=world.program,
        kind=SessionKind.GAME_NIGHT,
        title="Game night",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=1,
        cohort=world.cohort,
    ).obj
    proposal = EventProposal.objects.create(
        program=world.program,
        proposer=world.participant,
        kind=SessionKind.GAME_NIGHT,
        title="Trivia night",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    world._community = Community(
        group=group,
        thread=result.post.thread,
        post=result.post,
        request_group=request_group,
        request=request,
        event=event,
        proposal=proposal,
    )
    return world._community


@pytest.fixture
def community(world) -> Community:
    return community_for(world)


@pytest.fixture
def outsider(world):
    """A participant of the other program: must never see into the world's program."""
    from hearth.tests.factories import Role, UserFactory, grant_role

    user = UserFactory(display_name="Outsider")
    grant_role(user, world.other_program, Role.PARTICIPANT)
    return user


# The browser harness (Chromium, axe, screenshots) for test_browser.py.
from hearth.tests.browser.conftest import (  # noqa: E402, F401
    axe_source,
    browser,
    open_tab,
    pytest_fixture_setup,
)
