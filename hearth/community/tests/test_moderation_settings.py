"""Per-program auto-hide threshold and the one moderators' queue for forum flags and chat reports (#15 item 4)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.community.models import CommunitySettings, Post
from hearth.community.services import community_settings_update, post_flag
from hearth.messaging.models import MessageReport
from hearth.messaging.services import message_report, message_send
from hearth.messaging.tests.conftest import cohort_conversation
from hearth.tests.factories import Role, UserFactory, grant_role

pytestmark = pytest.mark.django_db


def _flaggers(world, community, n):
    people = []
    for _ in range(n):
        person = UserFactory()
        grant_role(person, world.program, Role.PARTICIPANT)
        community.group.members.create(user=person)
        people.append(person)
    return people


def test_program_threshold_decides_when_flags_hide_a_post(world, community):
    community_settings_update(actor=world.admin, program=world.program, auto_hide_flags=2)
    first, second = _flaggers(world, community, 2)
    post_flag(actor=first, post=community.post, reason="harmful")
    assert Post.objects.get(pk=community.post.pk).hidden_at is None
    post_flag(actor=second, post=Post.objects.get(pk=community.post.pk), reason="spam")
    post = Post.objects.get(pk=community.post.pk)
    assert post.hidden_at is not None and post.hidden_reason == "flags"
    entry = AuditEntry.objects.get(action="community.settings.updated")
    assert entry.data["auto_hide_flags"] == [3, 2]


def test_a_higher_threshold_keeps_the_post_visible_longer(world, community):
    community_settings_update(actor=world.admin, program=world.program, auto_hide_flags=5)
    for person in _flaggers(world, community, 4):
        post_flag(actor=person, post=Post.objects.get(pk=community.post.pk), reason="harmful")
    assert Post.objects.get(pk=community.post.pk).hidden_at is None


@pytest.mark.parametrize("value", [0, 1, 11, -3, "3", None, True, 2.5])
def test_bad_threshold_is_refused_and_nothing_changes(world, value):
    with pytest.raises(ValidationError):
        community_settings_update(actor=world.admin, program=world.program, auto_hide_flags=value)
    assert not CommunitySettings.objects.exists()


def test_only_the_programs_admin_sets_the_threshold(world):
    for person in (world.clinician, world.participant, world.other_clinician):
        with pytest.raises(PermissionDenied):
            community_settings_update(actor=person, program=world.program, auto_hide_flags=4)
    assert not CommunitySettings.objects.exists()


def test_settings_page_saves_and_refuses_bad_input(world, client_for):
    client = client_for(world.admin)
    url = reverse("community:settings", args=[world.program.pk])
    assert 'value="3"' in client.get(url).content.decode()
    response = client.post(url, {"auto_hide_flags": "abc"})
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    response = client.post(url, {"auto_hide_flags": "99"})
    assert response.status_code == 400
    assert not CommunitySettings.objects.exists()
    assert client.post(url, {"auto_hide_flags": "4"}).status_code == 302
    assert CommunitySettings.objects.get(program=world.program).auto_hide_flags == 4
    assert client_for(world.clinician).get(url).status_code == 404
    assert client_for(world.admin).get(reverse("community:settings", args=[world.other_program.pk])).status_code == 404


def test_one_queue_shows_flagged_posts_and_reported_chat_messages(world, community, client_for):
    conversation = cohort_conversation(world)
    message = message_send(
        actor=world.participant, conversation=conversation, client_msg_id="q1", body="unkind chat words"
    ).message
    message_report(actor=world.other_participant, message=message, reason="unkind")
    post_flag(actor=world.participant, post=community.post, reason="harmful")
    client = client_for(world.clinician)
    page = client.get(reverse("community:moderation_queue")).content.decode()
    assert "unkind chat words" in page and "Hello everyone" in page
    assert AuditEntry.objects.filter(action="messaging.reports.viewed", actor=world.clinician).exists()
    report = MessageReport.objects.get()
    response = client.post(reverse("moderation_decide", args=[report.pk]), {"decision": "hide", "next": "community"})
    assert response["Location"] == reverse("community:moderation_queue")
    message.refresh_from_db()
    assert message.hidden_at is not None
    # The other program's clinician sees neither.
    page = client_for(world.other_clinician).get(reverse("community:moderation_queue")).content.decode()
    assert "unkind chat words" not in page and "Hello everyone" not in page


def test_queue_query_count_does_not_grow_with_reports(world, community, client_for, django_assert_max_num_queries):
    conversation = cohort_conversation(world)
    client = client_for(world.clinician)
    url = reverse("community:moderation_queue")
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for n in range(6):
        message = message_send(
            actor=world.participant, conversation=conversation, client_msg_id=f"r{n}", body=f"m{n}"
        ).message
        message_report(actor=world.other_participant, message=message, reason="unkind")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('id="report-') == 6
