"""Family groups (#17 item 3): family members and partners meet in their program's family groups,
led by their own facilitators; they never see the participants' groups, and participants and
mentors never see theirs. Staff of the program see and moderate both."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.community.models import Audience, GroupMember, MemberRole, Post
from hearth.community.selectors import groups_for_viewer
from hearth.community.services import group_create, group_join, member_add, thread_start
from hearth.tests.factories import ProgramFactory, Role, UserFactory, grant_role


@pytest.fixture
def family_group(world):
    group = group_create(
        actor=world.admin, program=world.program, name="Family and friends", audience=Audience.FAMILIES
    )
    member_add(actor=world.admin, group=group, user=world.clinician, role=MemberRole.FACILITATOR)
    return group


@pytest.fixture
def participants_group(world):
    return group_create(actor=world.admin, program=world.program, name="Early recovery")


def test_family_members_see_only_family_groups(world, family_group, participants_group, client_for):
    assert list(groups_for_viewer(viewer=world.family_with_consent)) == [family_group]
    client = client_for(world.family_with_consent)
    html = client.get(reverse("community:group_list")).content.decode()
    assert "Family and friends" in html and "Early recovery" not in html
    assert client.get(reverse("community:group_detail", args=[participants_group.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["participant", "other_participant", "mentor"])
def test_participants_and_mentors_never_see_family_groups(world, family_group, client_for, persona):
    viewer = getattr(world, persona)
    assert family_group not in groups_for_viewer(viewer=viewer)
    client = client_for(viewer)
    assert "Family and friends" not in client.get(reverse("community:group_list")).content.decode()
    assert client.get(reverse("community:group_detail", args=[family_group.pk])).status_code == 404
    assert client.post(reverse("community:group_join", args=[family_group.pk])).status_code == 404
    assert not GroupMember.objects.filter(group=family_group, user=viewer).exists()


def test_a_family_member_joins_and_posts_and_staff_moderate(world, family_group, client_for):
    client = client_for(world.family_with_consent)
    assert client.post(reverse("community:group_join", args=[family_group.pk])).status_code == 302
    assert GroupMember.objects.get(group=family_group, user=world.family_with_consent).status == "active"
    result = thread_start(
        actor=world.family_with_consent, group=family_group, title="Hello", body="New here, my son started last week."
    )
    html = client_for(world.clinician).get(reverse("community:group_detail", args=[family_group.pk])).content
    assert b"Hello" in html
    assert AuditEntry.objects.filter(action="community.group.created", data__audience="families").exists()
    assert Post.objects.filter(thread=result.post.thread).count() == 1


def test_the_family_group_has_its_own_facilitators(world, family_group):
    """Its facilitator is staff; a participant can be neither member nor facilitator of it."""
    assert GroupMember.objects.get(group=family_group, role=MemberRole.FACILITATOR).user == world.clinician
    with pytest.raises(PermissionDenied):
        member_add(actor=world.admin, group=family_group, user=world.participant)
    with pytest.raises(PermissionDenied):
        group_join(actor=world.participant, group=family_group)


def test_family_of_another_program_does_not_see_the_group(world, family_group, client_for):
    relative = UserFactory(display_name="Elsewhere")
    grant_role(relative, ProgramFactory(name="Another"), Role.FAMILY)
    assert family_group not in groups_for_viewer(viewer=relative)
    assert client_for(relative).get(reverse("community:group_detail", args=[family_group.pk])).status_code == 404


def test_an_unknown_audience_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        group_create(actor=world.admin, program=world.program, name="Odd", audience="everyone")
