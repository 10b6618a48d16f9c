"""Instant or weekly news of watched groups and threads (#15 item 7)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hearth.community.models import CommunityPreference
from hearth.community.services import digest_send_due, digest_set, post_reply, watch_set
from hearth.community.tasks import send_weekly_digests
from hearth.notifications.models import Notification
from hearth.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_weekly_people_get_no_instant_news_but_mentions_still_come(
    world, community, django_capture_on_commit_callbacks
):
    watch_set(actor=world.mentor, group=community.group, level="watching")
    digest_set(actor=world.mentor, digest="weekly")
    type(world.mentor).objects.filter(pk=world.mentor.pk).update(display_name="Sam")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=world.participant, thread=community.thread, body="Morning all")
    assert _kinds(world.mentor) == []
    assert _kinds(world.other_participant) == ["community.activity"]  # instant by default, their thread
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=world.participant, thread=community.thread, body="@Sam are you around?")
    assert _kinds(world.mentor) == ["community.mention"]


def test_weekly_summary_is_sent_once_a_week_only_when_there_is_news(world, community):
    digest_set(actor=world.participant, digest="weekly")
    digest_set(actor=world.other_participant, digest="weekly")
    assert digest_send_due() == 0  # nobody's week is up yet
    week_ago = timezone.now() - datetime.timedelta(days=7, minutes=1)
    CommunityPreference.objects.update(last_digest_at=week_ago)
    # The participant has the other participant's thread unread; its author has read it.
    assert send_weekly_digests.call_local() == 1
    note = Notification.objects.get(recipient=world.participant)
    assert note.kind == "community.digest" and note.url == reverse("community:group_list")
    assert "Hello everyone" not in note.title and "First week" not in note.title
    assert _kinds(world.other_participant) == []
    assert digest_send_due() == 0  # idempotent: the week starts again for both
    assert CommunityPreference.objects.filter(last_digest_at__lt=week_ago + datetime.timedelta(days=1)).count() == 0


def test_a_muted_group_is_left_out_of_the_summary(world, community):
    digest_set(actor=world.participant, digest="weekly")
    watch_set(actor=world.participant, group=community.group, level="muted")
    CommunityPreference.objects.update(last_digest_at=timezone.now() - datetime.timedelta(days=8))
    assert digest_send_due() == 0
    assert _kinds(world.participant) == []


@pytest.mark.parametrize("value", ["", "daily", None, ["weekly"]])
def test_bad_digest_choice_is_refused_and_nothing_changes(world, value):
    with pytest.raises(ValidationError):
        digest_set(actor=world.participant, digest=value)
    assert not CommunityPreference.objects.exists()


def test_family_choose_a_digest_for_their_family_groups_and_outsiders_cannot(world):
    # Family members read their program's family groups, so the weekly summary is theirs to choose.
    assert digest_set(actor=world.family_with_consent, digest="weekly").digest == "weekly"
    outsider = UserFactory(display_name="No program")
    with pytest.raises(PermissionDenied):
        digest_set(actor=outsider, digest="weekly")
    assert not CommunityPreference.objects.filter(user=outsider).exists()


def test_digest_form_on_the_groups_page(world, community, client_for):
    client = client_for(world.participant)
    assert 'value="instant" selected' in client.get(reverse("community:group_list")).content.decode()
    assert client.post(reverse("community:digest"), {"digest": "weekly"}).status_code == 302
    assert 'value="weekly" selected' in client.get(reverse("community:group_list")).content.decode()
    response = client.post(reverse("community:digest"), {"digest": "<b>"}, follow=True)
    assert response.status_code == 200 and "Choose how often" in response.content.decode()
    assert CommunityPreference.objects.get(user=world.participant).digest == "weekly"
