import pytest
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.messaging.models import Conversation, ConversationMember, Kind, Message, MessageReport
from hearth.messaging.services import message_send
from hearth.tests.factories import Role, UserFactory, grant_role

pytestmark = pytest.mark.django_db


def say(user, conversation, n, body="hello"):
    return message_send(actor=user, conversation=conversation, client_msg_id=f"v{n}", body=body).message


def test_list_shows_unread_counts_in_a_fixed_number_of_queries(world, group, client_for, django_assert_max_num_queries):
    client = client_for(world.other_participant)
    for n in range(3):
        say(world.participant, group, n)
    for n in range(5):  # more conversations must not mean more queries
        extra = Conversation.objects.create(program=world.program, kind=Kind.GROUP, title=f"Group {n}")
        ConversationMember.objects.create(conversation=extra, user=world.other_participant)
    client.get(reverse("conversation_list"))  # warm the session and role caches
    # 16: fixed per page: access re-checked per membership (a role ended, consent), the shell's
    # crisis panel reading the person's own safety plan, the last messages, and the audit of
    # whose words the previews show.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("conversation_list"))
    page = response.content.decode()
    assert f'data-unread-for="{group.pk}" data-count="3"' in page
    assert "Cohort chat" in page


def _list_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("conversation_list")).status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_private_conversations(world, group, client_for):
    client = client_for(world.clinician)
    say(world.participant, group, 0)
    client.get(reverse("conversation_list"))
    counts = []
    for batch in range(2):
        for n in range(4):
            person = UserFactory(display_name=f"Peer {batch}{n}")
            grant_role(person, world.program, Role.PARTICIPANT, cohort=world.cohort)
            direct = Conversation.objects.create(program=world.program, kind=Kind.DIRECT)
            for user in (world.clinician, person):
                ConversationMember.objects.create(conversation=direct, user=user)
            say(person, direct, f"d{batch}{n}", body=f"note {batch}{n}")
        counts.append(_list_queries(client))
    assert counts[0] == counts[1], f"queries grew with conversations: {counts}"


def test_list_reads_like_a_messaging_app(world, group, client_for):
    """A private conversation is titled by the other person and their role, never "#3"; each row
    shows the last message decrypted for the viewer, its time and the unread count, newest first."""
    direct = Conversation.objects.create(program=world.program, kind=Kind.DIRECT)
    for user in (world.participant, world.clinician):
        ConversationMember.objects.create(conversation=direct, user=user)
    say(world.other_participant, group, 1, body="Anyone up for the walk?")
    say(world.clinician, direct, 2, body="See you on Tuesday at 7.")
    say(world.clinician, direct, 3, body="And bring your\nworkbook   please")
    page = client_for(world.participant).get(reverse("conversation_list")).content.decode()
    assert "Clinician · your clinician" in page
    assert f"#{direct.pk}" not in page
    assert "And bring your workbook please" in page  # the newest, on one line
    assert "See you on Tuesday" not in page
    assert "Other participant: Anyone up for the walk?" in page
    assert f'data-unread-for="{direct.pk}" data-count="2"' in page
    assert page.index(f'data-unread-for="{direct.pk}"') < page.index(f'data-unread-for="{group.pk}"')
    assert '<time class="conversation-time"' in page
    # The clinician sees the participant by community name and plain role, and their own words as "You".
    page = client_for(world.clinician).get(reverse("conversation_list")).content.decode()
    assert "Participant · participant" in page
    assert "You: And bring your workbook please" in page
    # The senders of the previews a person was shown see it in "Who viewed my record".
    assert AuditEntry.objects.filter(
        action="messaging.conversation_list.viewed", actor=world.participant, subject=world.clinician
    ).exists()


def test_list_preview_of_a_deleted_message_keeps_its_words_out(world, client_for):
    from hearth.messaging.services import message_delete

    direct = Conversation.objects.create(program=world.program, kind=Kind.DIRECT)
    for user in (world.participant, world.clinician):
        ConversationMember.objects.create(conversation=direct, user=user)
    sent = say(world.participant, direct, 1, body="Taken back 5512")
    message_delete(actor=world.participant, message=sent)
    page = client_for(world.clinician).get(reverse("conversation_list")).content.decode()
    assert "Taken back 5512" not in page
    assert "Message deleted" in page


def test_empty_list(world, client_for):
    response = client_for(world.mentor).get(reverse("conversation_list"))
    page = response.content.decode()
    assert "No conversations yet" in page
    assert reverse("conversation_new") in page  # the next action


def test_conversation_page_escapes_text_and_is_audited(world, group, client_for):
    say(world.participant, group, 1, "<script>alert(1)</script>")
    response = client_for(world.other_participant).get(reverse("conversation_detail", args=[group.pk]))
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'aria-live="polite"' in page
    assert "<script>" not in page.replace("<script src=", "").replace('<script type="module"', "")
    assert AuditEntry.objects.filter(action="messaging.conversation.viewed", actor=world.other_participant).exists()


def test_staff_read_group_conversations_without_a_chat_box(world, group, client_for):
    say(world.participant, group, 1, "hi")
    page = client_for(world.admin).get(reverse("conversation_detail", args=[group.pk])).content.decode()
    assert "hi" in page and "data-chat-form" not in page


def test_older_messages_page_backwards(world, group, client_for):
    for n in range(1, 61):
        say(world.participant, group, n, f"message number {n}")
    client = client_for(world.other_participant)
    page = client.get(reverse("conversation_detail", args=[group.pk])).content.decode()
    assert "message number 60" in page and "message number 10<" not in page
    assert "?before=11" in page
    older = client.get(reverse("conversation_older", args=[group.pk]), {"before": 11}).content.decode()
    assert "message number 10<" in older and "message number 1<" in older and "message number 11<" not in older
    assert client.get(reverse("conversation_older", args=[group.pk]), {"before": "x"}).status_code == 400


def test_send_without_scripts(world, group, client_for):
    client = client_for(world.participant)
    url = reverse("conversation_send", args=[group.pk])
    response = client.post(url, {"body": "from the form", "client_msg_id": "form1"})
    assert response.status_code == 302 and response["Location"].endswith("#m-1")
    client.post(url, {"body": "from the form", "client_msg_id": "form1"})  # double submit
    assert Message.objects.count() == 1
    response = client.post(url, {"body": "", "client_msg_id": "form2"}, follow=True)
    assert Message.objects.count() == 1 and response.status_code == 200


def test_report_a_message_and_moderate_it(world, group, client_for):
    message = say(world.participant, group, 1, "unkind words")
    client = client_for(world.other_participant)
    client.post(reverse("message_report", args=[group.pk, message.seq]), {"reason": "unkind"})
    report = MessageReport.objects.get()
    client = client_for(world.clinician)
    assert "unkind words" in client.get(reverse("moderation_queue")).content.decode()
    client.post(reverse("moderation_decide", args=[report.pk]), {"decision": "hide"})
    message.refresh_from_db()
    assert message.hidden_at is not None
    page = client_for(world.other_participant).get(reverse("conversation_detail", args=[group.pk])).content.decode()
    assert "unkind words" not in page and "Message deleted" in page


def test_preferences(world, client_for):
    client = client_for(world.participant)
    client.post(reverse("messaging_preferences"), {"accepts_peer_private_messages": "on"})
    assert world.participant.messaging_preference.accepts_peer_private_messages is True


def test_start_a_private_conversation_with_the_care_team(world, client_for):
    client = client_for(world.participant)
    page = client.get(reverse("conversation_new")).content.decode()
    assert "Clinician" in page and "Admin" in page
    assert "Other participant" not in page and "Other clinician" not in page and "Family" not in page
    choice = f"{world.program.pk}:{world.clinician.pk}"
    response = client.post(reverse("conversation_new"), {"person": choice})
    conversation = Conversation.objects.get(kind=Kind.DIRECT)
    assert response["Location"] == reverse("conversation_detail", args=[conversation.pk])
    client.post(reverse("conversation_new"), {"person": choice})
    assert Conversation.objects.count() == 1  # the same conversation is reopened
    # Someone not offered cannot be forced in.
    forced = client.post(reverse("conversation_new"), {"person": f"{world.program.pk}:{world.other_participant.pk}"})
    assert forced.status_code == 400 and Conversation.objects.count() == 1


def test_peers_are_offered_only_when_allowed_and_both_opted_in(world, client_for):
    from hearth.messaging.services import preference_set

    world.program.allow_peer_private_messages = True
    world.program.save(update_fields=["allow_peer_private_messages"])
    preference_set(actor=world.other_participant, accepts_peer_private_messages=True)
    client = client_for(world.participant)
    assert "Other participant" not in client.get(reverse("conversation_new")).content.decode()
    preference_set(actor=world.participant, accepts_peer_private_messages=True)
    assert "Other participant" in client.get(reverse("conversation_new")).content.decode()


def test_moderator_hides_and_pauses_the_sender(world, group, client_for):
    from hearth.messaging.services import MessagingError

    message = say(world.participant, group, 1, "spam")
    client_for(world.other_participant).post(reverse("message_report", args=[group.pk, message.seq]), {})
    report = MessageReport.objects.get()
    client_for(world.clinician).post(reverse("moderation_decide", args=[report.pk]), {"decision": "mute"})
    member = ConversationMember.objects.get(conversation=group, user=world.participant)
    assert member.is_muted()
    with pytest.raises(MessagingError):
        say(world.participant, group, 2, "more spam")


def test_staff_start_a_group_and_manage_its_members(world, client_for):
    client = client_for(world.clinician)
    response = client.post(
        reverse("group_new"),
        {
            "program": world.program.pk,
            "kind": Kind.SUPPORT_GROUP,
            "title": "Thursday support",
            "members": [world.participant.pk, world.mentor.pk],
        },
    )
    group = Conversation.objects.get(title="Thursday support")
    assert response["Location"] == reverse("conversation_detail", args=[group.pk])
    members_url = reverse("conversation_members", args=[group.pk])
    assert "Mentor" in client.get(members_url).content.decode()
    client.post(members_url, {"person": world.other_participant.pk, "action": "add"})
    client.post(members_url, {"person": world.mentor.pk, "action": "remove"})
    client.post(members_url, {"person": world.participant.pk, "action": "mute"})
    active = ConversationMember.objects.filter(conversation=group, removed_at__isnull=True)
    assert set(active.values_list("user", flat=True)) == {
        world.clinician.pk,
        world.participant.pk,
        world.other_participant.pk,
    }
    assert active.get(user=world.participant).is_muted()
    # Someone from another program cannot be added (not offered, and refused).
    response = client.post(members_url, {"person": world.other_clinician.pk, "action": "add"})
    assert response.status_code == 400
    assert not ConversationMember.objects.filter(conversation=group, user=world.other_clinician).exists()


def test_a_group_cannot_include_people_from_another_program(world, client_for):
    response = client_for(world.clinician).post(
        reverse("group_new"),
        {"program": world.program.pk, "kind": Kind.GROUP, "title": "Mixed", "members": [world.other_clinician.pk]},
    )
    assert response.status_code == 400
    assert not Conversation.objects.filter(title="Mixed").exists()


def test_staff_start_a_family_conversation_for_a_participant(world, client_for):
    client = client_for(world.clinician)
    data = {
        "program": world.program.pk,
        "kind": Kind.FAMILY,
        "title": "Family",
        "members": [world.family_with_consent.pk],
    }
    assert client.post(reverse("group_new"), data).status_code == 400  # whose family?
    client.post(reverse("group_new"), {**data, "participant": world.participant.pk})
    family = Conversation.objects.get(kind=Kind.FAMILY)
    assert family.participant == world.participant
    assert ConversationMember.objects.filter(conversation=family, user=world.family_with_consent).exists()
    refused = client.post(
        reverse("group_new"), {**data, "participant": world.participant.pk, "members": [world.family_without.pk]}
    )
    assert refused.status_code == 400


def test_opening_a_conversation_reads_it(world, group, client_for):
    from hearth.messaging.selectors import unread_counts_for_viewer

    for n in range(3):
        say(world.participant, group, n)
    assert unread_counts_for_viewer(viewer=world.other_participant) == {group.pk: 3}
    client_for(world.other_participant).get(reverse("conversation_detail", args=[group.pk]))
    assert unread_counts_for_viewer(viewer=world.other_participant) == {group.pk: 0}
    # Staff reading as staff (not members) change nothing.
    client_for(world.admin).get(reverse("conversation_detail", args=[group.pk]))


@pytest.mark.parametrize("count", [5, 40])
def test_conversation_page_queries_do_not_grow_with_messages(
    world, group, client_for, count, django_assert_max_num_queries
):
    from hearth.messaging.services import reaction_toggle

    for n in range(count):
        message = say(world.participant if n % 2 else world.clinician, group, n, f"m{n}")
        reaction_toggle(actor=world.other_participant, message=message, emoji="👍")
    client = client_for(world.other_participant)
    url = reverse("conversation_detail", args=[group.pk])
    client.get(url)
    # 24 with 5 messages and with 40: fixed per page (the shell's safety-plan read, the audit of
    # who was shown in one insert, the side list's last messages and their audit), not per message.
    with django_assert_max_num_queries(24):
        response = client.get(url)
    assert response.content.decode().count('<li id="m-') == count


def test_send_without_scripts_is_rate_limited(world, group, client_for, settings):
    from hearth.messaging import throttle

    settings.MESSAGING_RATE_LIMIT, settings.MESSAGING_RATE_WINDOW = 3, 60
    throttle._local_counts.clear()
    client = client_for(world.participant)
    url = reverse("conversation_send", args=[group.pk])
    for n in range(3):
        assert client.post(url, {"body": f"quick {n}", "client_msg_id": f"q{n}"}).status_code == 302
    response = client.post(url, {"body": "one too many", "client_msg_id": "q3"})
    assert response.status_code == 429
    assert "very fast" in response.content.decode()
    assert not Message.objects.filter(client_msg_id="q3").exists()
    throttle._local_counts.clear()


def test_a_member_id_beyond_the_database_integer_is_a_form_error(world, client_for):
    # Found by hearth/tests/test_fuzz.py: the id reached the query and overflowed (500 on SQLite).
    data = {"program": world.program.pk, "kind": Kind.SUPPORT_GROUP, "title": "T", "members": ["9223372036854775808"]}
    response = client_for(world.clinician).post(reverse("group_new"), data)
    assert response.status_code in (200, 400) and not Conversation.objects.filter(title="T").exists()
