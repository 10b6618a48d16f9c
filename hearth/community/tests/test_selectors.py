import pytest
from django.urls import reverse

from hearth.community.models import Group, GroupMember, JoinPolicy
from hearth.community.selectors import groups_for_viewer, threads_for_group
from hearth.community.services import post_reply

pytestmark = pytest.mark.django_db


def test_unread_markers_follow_new_posts_and_visits(world, community, client_for):
    def unread():
        return [t.is_unread for t in threads_for_group(viewer=world.participant, group=community.group)]

    assert unread() == [True]
    client_for(world.participant).get(reverse("community:thread_detail", args=[community.thread.pk]))
    assert unread() == [False]
    assert groups_for_viewer(viewer=world.participant).get(pk=community.group.pk).unread_threads == 0
    post_reply(actor=world.other_participant, thread=community.thread, body="one more")
    assert unread() == [True]
    # Writing in a thread marks it read for the writer.
    assert [t.is_unread for t in threads_for_group(viewer=world.other_participant, group=community.group)] == [False]


def test_invite_only_groups_are_seen_only_by_members_and_staff(world, community, outsider):
    secret = Group.objects.create(program=world.program, name="LGBTQ+", join_policy=JoinPolicy.INVITE)
    GroupMember.objects.create(group=secret, user=world.other_participant)
    assert secret not in groups_for_viewer(viewer=world.participant)
    assert secret in groups_for_viewer(viewer=world.other_participant)
    assert secret in groups_for_viewer(viewer=world.clinician)
    assert not groups_for_viewer(viewer=outsider).exists()
    assert not groups_for_viewer(viewer=world.family_with_consent).exists()


def test_menu_offers_the_community_to_participants_mentors_staff_and_family(world, client_for):
    """Family members have it too: it leads them to the family groups only (test_family_groups)."""
    url = reverse("community:group_list")
    for user in (world.participant, world.mentor, world.clinician, world.admin, world.family_with_consent):
        assert f'href="{url}"' in client_for(user).get(reverse("dashboard")).content.decode()
