import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from hearth.audit.models import AuditEntry
from hearth.messaging.models import Conversation, ConversationMember, Kind, Message, MessageRevision
from hearth.messaging.selectors import (
    conversations_for_viewer,
    messages_after,
    messages_before,
    unread_counts_for_viewer,
)
from hearth.messaging.services import (
    MessagingError,
    conversation_create,
    member_mute,
    member_remove,
    message_delete,
    message_edit,
    message_hide,
    message_report,
    message_send,
    preference_set,
    reaction_toggle,
    read_mark,
)
from hearth.safety.models import SafetySignal

pytestmark = pytest.mark.django_db


def send(actor, conversation, n, body="hello"):
    return message_send(actor=actor, conversation=conversation, client_msg_id=f"c{n}", body=body)


def test_messages_get_consecutive_seqs_and_are_audited(world, group):
    first = send(world.participant, group, 1)
    second = send(world.other_participant, group, 2)
    assert (first.message.seq, second.message.seq) == (1, 2)
    group.refresh_from_db()
    assert group.last_seq == 2
    assert AuditEntry.objects.filter(action="messaging.message.sent").count() == 2


def test_a_resend_returns_the_stored_message_and_stores_nothing(world, group):
    first = send(world.participant, group, 1, "hi")
    again = send(world.participant, group, 1, "hi")
    assert again.created is False and again.message.pk == first.message.pk
    assert Message.objects.count() == 1
    # The same id from another person is another message.
    assert send(world.other_participant, group, 1, "hi").created is True


def test_body_is_encrypted_at_rest(world, group):
    send(world.participant, group, 1, "a private thought")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message")
        (stored,) = cursor.fetchone()
    assert "private" not in stored
    assert Message.objects.get().body == "a private thought"


@pytest.mark.parametrize(
    ("client_msg_id", "body", "code"),
    [
        ("c1", "", "empty_message"),
        ("c1", "   ", "empty_message"),
        ("c1", "x" * 4001, "message_too_long"),
        ("", "hi", "invalid_client_msg_id"),
        ("has space", "hi", "invalid_client_msg_id"),
        ("x" * 65, "hi", "invalid_client_msg_id"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_stored(world, group, client_msg_id, body, code):
    with pytest.raises(MessagingError) as exc:
        message_send(actor=world.participant, conversation=group, client_msg_id=client_msg_id, body=body)
    assert exc.value.code == code
    assert not Message.objects.exists()


@pytest.mark.parametrize("persona", ["mentor", "other_clinician", "family_with_consent", "admin"])
def test_non_members_cannot_send(world, group, persona):
    with pytest.raises(MessagingError) as exc:
        send(getattr(world, persona), group, 1)
    assert exc.value.code == "conversation_not_found"
    assert not Message.objects.exists()


def test_removed_member_cannot_send(world, group):
    member_remove(actor=world.clinician, conversation=group, user=world.other_participant)
    with pytest.raises(MessagingError):
        send(world.other_participant, group, 1)


def test_muted_member_cannot_send_until_the_mute_ends(world, group):
    member_mute(
        actor=world.clinician,
        conversation=group,
        user=world.participant,
        until=timezone.now() + datetime.timedelta(hours=1),
    )
    with pytest.raises(MessagingError) as exc:
        send(world.participant, group, 1)
    assert exc.value.code == "muted"
    member_mute(actor=world.clinician, conversation=group, user=world.participant, until=None)
    assert send(world.participant, group, 1).created


def test_only_staff_mute(world, group):
    with pytest.raises(MessagingError):
        member_mute(actor=world.participant, conversation=group, user=world.other_participant, until=None)


def test_edit_and_delete_own_messages_soft_and_audited(world, group):
    message = send(world.participant, group, 1, "first").message
    message_edit(actor=world.participant, message=message, body="second")
    message.refresh_from_db()
    assert message.body == "second" and message.edited_at is not None
    message_delete(actor=world.participant, message=message)
    message.refresh_from_db()
    assert message.deleted_at is not None and message.body == ""
    assert list(MessageRevision.objects.order_by("pk").values_list("body", flat=True)) == ["first", "second"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"messaging.message.edited", "messaging.message.deleted"} <= actions


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_nobody_changes_someone_elses_message(world, group, change):
    message = send(world.participant, group, 1, "mine").message
    with pytest.raises(MessagingError) as exc:
        if change == "edit":
            message_edit(actor=world.other_participant, message=message, body="yours now")
        else:
            message_delete(actor=world.other_participant, message=message)
    assert exc.value.code == "not_own_message"
    message.refresh_from_db()
    assert message.body == "mine" and message.deleted_at is None and message.edited_at is None


def test_staff_hide_a_reported_message(world, group):
    message = send(world.participant, group, 1, "rude").message
    report = message_report(actor=world.other_participant, message=message, reason="unkind")
    with pytest.raises(MessagingError):
        message_hide(actor=world.other_participant, message=message)
    message_hide(actor=world.clinician, message=message)
    message.refresh_from_db()
    report.refresh_from_db()
    assert message.hidden_at is not None and report.resolved_by == world.clinician


def test_reactions_toggle(world, group):
    message = send(world.participant, group, 1).message
    assert reaction_toggle(actor=world.other_participant, message=message, emoji="👍") == {"👍": 1}
    assert reaction_toggle(actor=world.clinician, message=message, emoji="👍") == {"👍": 2}
    assert reaction_toggle(actor=world.clinician, message=message, emoji="👍") == {"👍": 1}
    with pytest.raises(MessagingError) as exc:
        reaction_toggle(actor=world.clinician, message=message, emoji="<script>")
    assert exc.value.code == "invalid_reaction"


def test_unread_counts_and_read_marks(world, group, django_assert_num_queries):
    for n in range(3):
        send(world.participant, group, n)
    assert unread_counts_for_viewer(viewer=world.other_participant) == {group.pk: 3}
    assert unread_counts_for_viewer(viewer=world.participant) == {group.pk: 0}
    assert read_mark(actor=world.other_participant, conversation=group, seq=2) == 1
    with pytest.raises(MessagingError) as exc:
        read_mark(actor=world.other_participant, conversation=group, seq=99)
    assert exc.value.code == "seq_from_future"
    listed = conversations_for_viewer(viewer=world.other_participant)
    with django_assert_num_queries(1):
        assert [(c.pk, c.unread) for c in listed] == [(group.pk, 1)]


def test_paging(world, group):
    for n in range(1, 8):
        send(world.participant, group, n, f"m{n}")
    assert [m.seq for m in messages_before(conversation=group, limit=3)] == [5, 6, 7]
    assert [m.seq for m in messages_before(conversation=group, before_seq=5, limit=3)] == [2, 3, 4]
    assert [m.seq for m in messages_after(conversation=group, after_seq=4)] == [5, 6, 7]


# --- Who may talk with whom ------------------------------------------------------------------


def test_participant_and_clinician_may_always_talk(world):
    conversation = conversation_create(
        actor=world.participant, program=world.program, kind=Kind.DIRECT, members=[world.clinician]
    )
    assert conversation.kind == Kind.DIRECT
    again = conversation_create(
        actor=world.clinician, program=world.program, kind=Kind.DIRECT, members=[world.participant]
    )
    assert again.pk == conversation.pk


def test_peers_talk_privately_only_when_the_program_allows_and_both_opted_in(world):
    def start():
        return conversation_create(
            actor=world.participant, program=world.program, kind=Kind.DIRECT, members=[world.other_participant]
        )

    with pytest.raises(MessagingError):
        start()
    world.program.allow_peer_private_messages = True
    world.program.save(update_fields=["allow_peer_private_messages"])
    preference_set(actor=world.participant, accepts_peer_private_messages=True)
    with pytest.raises(MessagingError):
        start()
    preference_set(actor=world.other_participant, accepts_peer_private_messages=True)
    assert start().kind == Kind.DIRECT


@pytest.mark.parametrize("other", ["other_clinician", "family_without", "mentor"])
def test_participant_cannot_message_outside_the_rules(world, other):
    with pytest.raises(MessagingError) as exc:
        conversation_create(
            actor=world.participant, program=world.program, kind=Kind.DIRECT, members=[getattr(world, other)]
        )
    assert exc.value.code == "not_allowed"
    assert not Conversation.objects.exists()


def test_only_staff_start_groups(world):
    with pytest.raises(MessagingError):
        conversation_create(actor=world.participant, program=world.program, kind=Kind.GROUP, members=[])
    group = conversation_create(
        actor=world.clinician,
        program=world.program,
        kind=Kind.SUPPORT_GROUP,
        title="Tuesday group",
        members=[world.participant, world.mentor],
    )
    assert set(ConversationMember.objects.filter(conversation=group).values_list("user", flat=True)) == {
        world.clinician.pk,
        world.participant.pk,
        world.mentor.pk,
    }


def family_conversation(world, members):
    """The clinician starts the participant's family conversation with ``members``."""
    return conversation_create(
        actor=world.clinician, program=world.program, kind=Kind.FAMILY, participant=world.participant, members=members
    )


def test_family_conversation_follows_consent(world):
    from hearth.consent.services import consent_revoke
    from hearth.messaging.selectors import conversation_for_member

    with pytest.raises(MessagingError):
        family_conversation(world, [world.family_without])
    family = family_conversation(world, [world.family_with_consent, world.participant])
    assert conversation_for_member(viewer=world.family_with_consent, conversation_id=family.pk) == family
    consent_revoke(actor=world.participant, consent=world.consent)
    from django.http import Http404

    with pytest.raises(Http404):
        conversation_for_member(viewer=world.family_with_consent, conversation_id=family.pk)


def test_a_consent_that_does_not_cover_the_family_conversation_keeps_the_relative_out(world):
    """Consent to see attendance is not consent to join the conversation with the care team."""
    from hearth.consent.models import Category
    from hearth.messaging.selectors import conversation_for_member
    from hearth.tests.factories import make_consent

    make_consent(world.participant, world.program, world.family_without, categories=[Category.ATTENDANCE])
    with pytest.raises(MessagingError):
        family_conversation(world, [world.family_without])
    family = family_conversation(world, [])
    # Even a membership row made some other way gives no access, and sending is refused.
    ConversationMember.objects.create(conversation=family, user=world.family_without)
    from django.http import Http404

    with pytest.raises(Http404):
        conversation_for_member(viewer=world.family_without, conversation_id=family.pk)
    with pytest.raises(MessagingError) as refused:
        message_send(actor=world.family_without, conversation=family, client_msg_id="f1", body="hello")
    assert refused.value.code == "conversation_not_found"
    assert not Message.objects.filter(conversation=family).exists()


# --- Crisis signals ------------------------------------------------------------------------


def test_crisis_language_raises_a_signal_after_commit_and_delivery_goes_on(
    world, group, django_capture_on_commit_callbacks
):
    before = SafetySignal.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        result = send(world.participant, group, 1, "Honestly I want to kill myself tonight")
    assert result.created and result.crisis is not None and result.crisis.category == "active_ideation"
    assert Message.objects.filter(pk=result.message.pk).exists()
    signal = SafetySignal.objects.exclude(source="tests.world").get()
    assert SafetySignal.objects.count() == before + 1
    assert signal.person == world.participant and signal.source == "messaging.message"
    assert signal.severity == "urgent"
    assert "kill myself" in signal.evidence


def test_relapse_in_spanish(world, group, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = send(world.participant, group, 1, "Ayer volví a consumir, lo siento")
    assert result.crisis.category == "recent_use"
    assert SafetySignal.objects.filter(source="messaging.message", severity="high").exists()


def test_staff_words_raise_nothing(world, group, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = send(world.clinician, group, 1, "If anyone feels suicidal, call 988.")
    assert result.crisis is None
    assert not SafetySignal.objects.filter(source="messaging.message").exists()


def test_a_failing_safety_service_never_blocks_delivery(world, group, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("safety is down")

    monkeypatch.setattr("hearth.messaging.services.safety_signal_raise", broken)
    with django_capture_on_commit_callbacks(execute=True):
        result = send(world.participant, group, 1, "I relapsed")
    assert result.created and result.crisis is not None


# --- Concurrency (PostgreSQL) --------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_get_gapless_unique_seqs(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locking is exercised on PostgreSQL (DATABASE_URL)")
    group = Conversation.objects.create(program=world.program, kind=Kind.COHORT, created_by=world.clinician)
    senders = [world.participant, world.other_participant, world.clinician]
    for user in senders:
        ConversationMember.objects.create(conversation=group, user=user)
    per_thread, errors = 15, []
    barrier = threading.Barrier(len(senders) * 2)

    def run(user, worker):
        try:
            barrier.wait()
            for n in range(per_thread):
                message_send(actor=user, conversation=group, client_msg_id=f"w{worker}-{n}", body="hi")
                # Every other message is resent at once: it must not be stored twice.
                if n % 2:
                    message_send(actor=user, conversation=group, client_msg_id=f"w{worker}-{n}", body="hi")
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(user, i)) for i, user in enumerate(senders * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    seqs = list(Message.objects.filter(conversation=group).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(threads) * per_thread + 1))
    group.refresh_from_db()
    assert group.last_seq == len(seqs)


# --- "You have a new message" ---------------------------------------------------------------


def test_unread_notices_carry_no_content_and_come_once_per_unread_run(world, group):
    from hearth.messaging.services import notice_delay_seconds, unread_notices_send
    from hearth.notifications.models import Notification

    def notices(user):
        return Notification.objects.filter(recipient=user, kind="messaging.message")

    def later():
        return timezone.now() + datetime.timedelta(seconds=notice_delay_seconds() + 1)

    send(world.participant, group, 1, "a secret about my week")
    # Nobody is told while the message is fresh: people reading live never get a notice.
    assert unread_notices_send() == 0
    assert unread_notices_send(now=later()) == 2
    assert notices(world.other_participant).count() == 1 and notices(world.clinician).count() == 1
    assert not notices(world.participant).exists()
    notice = notices(world.other_participant).get()
    assert "secret" not in notice.title and notice.title == "You have a new message in Hearth"
    # Told once: the next run of the job finds nobody due, and more messages before reading tell nobody.
    assert unread_notices_send(now=later()) == 0
    send(world.participant, group, 2)
    assert unread_notices_send(now=later()) == 0
    # After reading, the next unread message is worth a notice again; a reader who caught up is not told.
    read_mark(actor=world.other_participant, conversation=group, seq=2)
    send(world.participant, group, 3)
    read_mark(actor=world.clinician, conversation=group, seq=3)
    assert unread_notices_send(now=later()) == 1
    assert notices(world.other_participant).count() == 2 and notices(world.clinician).count() == 1
    assert not ConversationMember.objects.filter(conversation=group, notice_due_at__isnull=False).exists()


def test_a_member_removed_before_the_notice_is_due_is_not_told(world, group):
    from hearth.messaging.services import notice_delay_seconds, unread_notices_send
    from hearth.notifications.models import Notification

    send(world.participant, group, 1)
    member_remove(actor=world.clinician, conversation=group, user=world.other_participant)
    assert unread_notices_send(now=timezone.now() + datetime.timedelta(seconds=notice_delay_seconds() + 1)) == 1
    assert not Notification.objects.filter(recipient=world.other_participant, kind="messaging.message").exists()


def test_a_private_peer_conversation_ends_when_a_peer_opts_out(world):
    world.program.allow_peer_private_messages = True
    world.program.save(update_fields=["allow_peer_private_messages"])
    for person in (world.participant, world.other_participant):
        preference_set(actor=person, accepts_peer_private_messages=True)
    direct = conversation_create(
        actor=world.participant, program=world.program, kind=Kind.DIRECT, members=[world.other_participant]
    )
    assert send(world.participant, direct, 1).created
    preference_set(actor=world.other_participant, accepts_peer_private_messages=False)
    with pytest.raises(MessagingError) as exc:
        send(world.participant, direct, 2)
    assert exc.value.code == "not_allowed"
    assert Message.objects.filter(conversation=direct).count() == 1


def test_family_conversations_leave_the_list_when_consent_ends(world):
    from hearth.consent.services import consent_revoke
    from hearth.messaging.selectors import conversation_ids_for_member

    family = family_conversation(world, [world.family_with_consent])
    assert family in conversations_for_viewer(viewer=world.family_with_consent)
    assert family.pk in unread_counts_for_viewer(viewer=world.family_with_consent)
    consent_revoke(actor=world.participant, consent=world.consent)
    world.family_with_consent.__dict__.pop("_hearth_roles", None)
    assert family not in conversations_for_viewer(viewer=world.family_with_consent)
    assert conversation_ids_for_member(viewer=world.family_with_consent) == set()
    # Staff in the same conversation are unaffected.
    assert family.pk in conversation_ids_for_member(viewer=world.clinician)


def test_demo_chat_seeds_through_the_services(world):
    from hearth.messaging.demo import seed_demo_chat

    made = seed_demo_chat(program=world.program, staff=world.clinician)
    assert made == Message.objects.count() > 0
    assert Conversation.objects.filter(kind=Kind.COHORT).count() == 1
    assert Conversation.objects.filter(kind=Kind.FAMILY, participant=world.participant).exists()
    assert unread_counts_for_viewer(viewer=world.other_participant)


def test_a_resend_publishes_the_stored_message_again(world, group, monkeypatch, django_capture_on_commit_callbacks):
    """The first attempt may have committed in a worker that died before it published: then only
    the resend (same client_msg_id) can tell the members still connected. Pages drop a seq they hold."""
    from hearth.messaging import events

    published = []
    monkeypatch.setattr(events, "publish_to_conversation", lambda conversation_id, frame: published.append(frame))
    with django_capture_on_commit_callbacks(execute=True):
        first = send(world.participant, group, 1, "hi")
    with django_capture_on_commit_callbacks(execute=True):
        send(world.participant, group, 1, "hi")
    assert [(f["seq"], f["client_msg_id"], f["body"]) for f in published] == [(1, "c1", "hi")] * 2
    assert published[1]["sender"]["id"] == world.participant.pk and first.message.seq == 1
    assert Message.objects.count() == 1
