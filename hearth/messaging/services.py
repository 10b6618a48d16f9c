"""Every write in messaging. Persist, then publish: frames go out on commit, never before."""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.audit.services import audit_record, audit_record_many
from hearth.programs.models import Role
from hearth.programs.selectors import program_ids_where
from hearth.safety.detection import Detection, detect
from hearth.safety.services import safety_signal_raise

from . import events
from .fast_send import SENT_ACTION, send_in_one_statement
from .models import (
    Conversation,
    ConversationMember,
    Kind,
    Message,
    MessageReport,
    MessageRevision,
    MessagingPreference,
    Reaction,
)
from .permissions import is_program_staff, may_belong_to, may_message_directly
from .selectors import member_for

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 4000
MAX_REPORT_CHARS = 1000
NOTICE_BATCH = 1000  # members told per run of the job; the rest wait a minute
CLIENT_MSG_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ALLOWED_REACTIONS = ("👍", "❤️", "🙏", "💪", "😊", "😢", "🎉")


class MessagingError(Exception):
    """Something the client asked for that cannot be done. ``code`` is stable (protocol error codes)."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code
        self.message = str(message or code)


def _not_found() -> MessagingError:
    # The same answer for "does not exist" and "you are not in it": never reveal a conversation.
    return MessagingError("conversation_not_found", _("No such conversation."))


@dataclass(frozen=True)
class SendResult:
    message: Message
    created: bool
    crisis: Detection | None


def _require_member(actor, conversation) -> ConversationMember:
    member = member_for(viewer=actor, conversation=conversation)
    if member is None:
        raise _not_found()
    return member


def _clean_body(body) -> str:
    if not isinstance(body, str):
        raise MessagingError("invalid_frame", _("The message text is missing."))
    body = body.strip()
    if not body:
        raise MessagingError("empty_message", _("Write something before sending."))
    if len(body) > MAX_BODY_CHARS:
        raise MessagingError(
            "message_too_long", _("Messages can be at most %(max)d characters.") % {"max": MAX_BODY_CHARS}
        )
    return body


# --- Conversations and members ------------------------------------------------------------


def conversation_create(*, actor, program, kind: str, title: str = "", members=(), participant=None) -> Conversation:
    """Start a conversation. Direct: the actor and one other person, under may_message_directly (an
    existing direct conversation between them is returned). Groups: started by staff of the program."""
    if kind not in Kind.values:
        raise MessagingError("invalid_kind", _("Unknown kind of conversation."))
    others = [m for m in members if m.pk != actor.pk]
    if kind == Kind.DIRECT:
        if len(others) != 1:
            raise MessagingError("invalid_members", _("A private conversation is between two people."))
        other = others[0]
        if not may_message_directly(actor, other, program):
            raise MessagingError("not_allowed", _("You cannot message this person privately."))
        existing = (
            Conversation.objects.filter(program=program, kind=Kind.DIRECT, members__user=actor)
            .filter(members__user=other)
            .first()
        )
        if existing is not None:
            with transaction.atomic():
                for user in (actor, other):
                    _member_activate(conversation=existing, user=user)
            return existing
    elif not is_program_staff(actor, program.pk):
        raise MessagingError("not_allowed", _("Only staff of the program start group conversations."))
    with transaction.atomic():
        conversation = Conversation.objects.create(
            program=program, kind=kind, title=title[:120], participant=participant, created_by=actor
        )
        for user in [actor, *others]:
            if kind != Kind.DIRECT and not may_belong_to(user, conversation):
                raise MessagingError("not_allowed", _("%(name)s cannot join this conversation.") % {"name": user})
            _member_activate(conversation=conversation, user=user)
        audit_record(
            actor=actor,
            action="messaging.conversation.created",
            subject=participant,
            obj=conversation,
            data={"kind": kind, "members": sorted(u.pk for u in [actor, *others])},
        )
    return conversation


def _member_activate(*, conversation, user) -> ConversationMember:
    member, created = ConversationMember.objects.get_or_create(conversation=conversation, user=user)
    if not created and member.removed_at is not None:
        member.removed_at = None
        member.joined_at = timezone.now()
        member.save(update_fields=["removed_at", "joined_at"])
    elif not created:
        return member
    transaction.on_commit(lambda: events.publish_membership(user.pk, conversation.pk, joined=True))
    return member


def member_add(*, actor, conversation, user) -> ConversationMember:
    if conversation.kind == Kind.DIRECT:
        raise MessagingError("not_allowed", _("A private conversation stays between two people."))
    if not is_program_staff(actor, conversation.program_id):
        raise _not_found()
    if not may_belong_to(user, conversation):
        raise MessagingError("not_allowed", _("This person cannot join this conversation."))
    with transaction.atomic():
        member = _member_activate(conversation=conversation, user=user)
        audit_record(
            actor=actor, action="messaging.member.added", subject=user, obj=conversation, data={"user": user.pk}
        )
    return member


def member_remove(*, actor, conversation, user) -> None:
    """Staff remove anyone; anyone may leave. A removed member stops receiving at once."""
    if actor.pk != user.pk and not is_program_staff(actor, conversation.program_id):
        raise _not_found()
    with transaction.atomic():
        updated = ConversationMember.objects.filter(
            conversation=conversation, user=user, removed_at__isnull=True
        ).update(removed_at=timezone.now())
        if not updated:
            raise MessagingError("not_member", _("This person is not in the conversation."))
        audit_record(
            actor=actor, action="messaging.member.removed", subject=user, obj=conversation, data={"user": user.pk}
        )
        transaction.on_commit(lambda: events.publish_membership(user.pk, conversation.pk, joined=False))


def conversations_leave_for_ended_role(*, actor, membership) -> list[int]:
    """A role ended (a staff or mentor role, or a participant's discharge): the person leaves the
    program's conversations that role let them be in, at once (roles they still hold there may keep
    them in some). Their sockets hear ``removed`` on commit. Registered with programs in
    MessagingConfig.ready(); returns the conversations left."""
    from hearth.programs.models import Membership

    user = membership.user
    remaining = set(
        Membership.objects.filter(user=user, program_id=membership.program_id, ended_at__isnull=True)
        .exclude(pk=membership.pk)
        .values_list("role", flat=True)
    )
    rows = (
        ConversationMember.objects.filter(
            user=user, removed_at__isnull=True, conversation__program_id=membership.program_id
        )
        .select_related("conversation", "conversation__program")
        .order_by("pk")
    )
    leaving = []
    for row in rows:
        conversation = row.conversation
        if conversation.kind == Kind.DIRECT:
            other = (
                ConversationMember.objects.filter(conversation=conversation, removed_at__isnull=True)
                .exclude(user=user)
                .select_related("user")
                .first()
            )
            stays = other is not None and may_message_directly(
                user, other.user, conversation.program, first_roles=remaining
            )
        else:
            stays = may_belong_to(user, conversation, program_roles=remaining)
        if not stays:
            leaving.append(conversation.pk)
    if not leaving:
        return []
    ConversationMember.objects.filter(user=user, conversation_id__in=leaving, removed_at__isnull=True).update(
        removed_at=timezone.now()
    )
    for conversation_id in leaving:
        audit_record(
            actor=actor,
            action="messaging.member.removed",
            subject=user,
            obj=Conversation(pk=conversation_id),
            data={"user": user.pk, "reason": "role_ended", "role": membership.role},
        )
        transaction.on_commit(
            lambda conversation_id=conversation_id: events.publish_membership(user.pk, conversation_id, joined=False)
        )
    return leaving


def member_mute(*, actor, conversation, user, until) -> None:
    """Staff stop a member from sending until ``until`` (None lifts the mute)."""
    if not is_program_staff(actor, conversation.program_id):
        raise _not_found()
    with transaction.atomic():
        updated = ConversationMember.objects.filter(
            conversation=conversation, user=user, removed_at__isnull=True
        ).update(muted_until=until)
        if not updated:
            raise MessagingError("not_member", _("This person is not in the conversation."))
        audit_record(
            actor=actor,
            action="messaging.member.muted",
            subject=user,
            obj=conversation,
            data={"user": user.pk, "until": until.isoformat() if until else None},
        )


def conversation_reads_record(*, viewer, conversation_ids, context=None, via: str = "socket") -> None:
    """Who read a conversation over the socket (resume, live delivery): one entry per other member
    of each conversation, so each of them sees it under "Who viewed my record". The socket calls this
    once per conversation per connection, with the facts (IP, user agent) it took at connect."""
    conversation_ids = sorted(set(conversation_ids))
    if not conversation_ids:
        return
    subjects: dict[int, list[int]] = {pk: [] for pk in conversation_ids}
    members = (
        ConversationMember.objects.filter(conversation_id__in=conversation_ids, removed_at__isnull=True)
        .exclude(user_id=viewer.pk)
        .values_list("conversation_id", "user_id")
    )
    for conversation_id, user_id in members:
        subjects[conversation_id].append(user_id)
    with transaction.atomic():
        for conversation in Conversation.objects.filter(pk__in=conversation_ids).only("pk", "program_id"):
            audit_record_many(
                actor=viewer,
                action="messaging.conversation.viewed",
                subjects=subjects[conversation.pk],
                obj=conversation,
                program=conversation.program_id,
                context=context,
                data={"via": via},
            )


def preference_set(*, actor, accepts_peer_private_messages: bool) -> MessagingPreference:
    preference, _created = MessagingPreference.objects.update_or_create(
        user=actor, defaults={"accepts_peer_private_messages": bool(accepts_peer_private_messages)}
    )
    audit_record(
        actor=actor,
        action="messaging.preference.changed",
        subject=actor,
        obj=preference,
        data={"accepts_peer_private_messages": preference.accepts_peer_private_messages},
    )
    return preference


# --- Messages -----------------------------------------------------------------------------


def message_send(*, actor, conversation, client_msg_id: str, body: str) -> SendResult:
    """Store a message with the next sequence number of its conversation and publish it on commit.

    ``conversation`` is a Conversation or its id: membership is checked here, under the lock.
    Sequence numbers are gapless and unique: the conversation row is locked (select_for_update or
    the UPDATE of fast_send on PostgreSQL; SQLite's IMMEDIATE transactions already serialise
    writers) while last_seq is bumped. A resend of a client_msg_id returns the stored message and
    stores nothing (the unique constraint catches it, so the common path pays no extra query).
    Crisis language is recognised here and reported to safety after commit; delivery never waits for it."""
    if not isinstance(client_msg_id, str) or not CLIENT_MSG_ID.match(client_msg_id):
        raise MessagingError("invalid_client_msg_id", _("The message id is missing or malformed."))
    body = _clean_body(body)
    conversation_id = conversation if isinstance(conversation, int) else conversation.pk
    now = timezone.now()
    try:
        # One statement, committed on its own (PostgreSQL, group conversations), or None: then the
        # ORM path decides and stores, in a transaction.
        notice_due = now + timedelta(seconds=notice_delay_seconds())
        fast = send_in_one_statement(
            sender=actor,
            conversation_id=conversation_id,
            client_msg_id=client_msg_id,
            body=body,
            now=now,
            notice_due=notice_due,
        )
        if fast is not None:
            message = Message(
                pk=fast.message_id,
                conversation_id=conversation_id,
                seq=fast.seq,
                client_msg_id=client_msg_id,
                body=body,
                created_at=now,
            )
            return _announce(actor, message, fast.program_id)
        with transaction.atomic():
            stored = _store_message(actor, conversation_id, client_msg_id, body, now, notice_due)
            if isinstance(stored, SendResult):
                return stored  # a muted member's resend of a message stored before the mute
            return _announce(actor, *stored)
    except IntegrityError:
        # A resend: the (conversation, sender, client_msg_id) constraint refused a second row and the
        # whole transaction, seq bump included, was rolled back. Answer with the stored message.
        existing = _stored(conversation_id, actor, client_msg_id)
        if existing is None:
            raise
        return existing


def _announce(actor, message, program_id: int) -> SendResult:
    """After a message is stored: publish it and raise a crisis signal, each on commit (at once when
    the store was its own transaction)."""
    message.sender = actor
    conversation_id = message.conversation_id
    frame = events.message_frame(message, include_reactions=False)
    transaction.on_commit(lambda: events.publish_to_conversation(conversation_id, frame))
    match = detect(message.body) if _is_participant_in(actor, program_id) else None
    if match is not None:  # a "low" one goes on the timeline without alerting anyone
        transaction.on_commit(lambda: _raise_crisis_signal(actor, message, match))
    return SendResult(message=message, created=True, crisis=_alerting(match))


def _store_message(actor, conversation_id: int, client_msg_id: str, body: str, now, notice_due):
    """The ORM path of message_send (every kind of conversation, every database): returns the
    message and its program; or the stored message when a muted member resends; raises
    MessagingError when the actor may not send here."""
    locked = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
    if locked is None:
        raise _not_found()
    member = _require_member(actor, locked)
    if locked.kind == Kind.DIRECT:
        _require_direct_allowed(actor, locked)
    if member.is_muted():
        existing = _stored(conversation_id, actor, client_msg_id)
        if existing is not None:
            return existing
        raise MessagingError("muted", _("A moderator has paused your messages in this conversation."))
    seq = locked.last_seq + 1
    Conversation.objects.filter(pk=locked.pk).update(last_seq=seq, last_message_at=now)
    message = Message.objects.create(
        conversation=locked, seq=seq, sender=actor, client_msg_id=client_msg_id, body=body, created_at=now
    )
    # The sender has read everything up to their own message.
    ConversationMember.objects.filter(pk=member.pk).update(last_read_seq=seq)
    audit_record(
        actor=actor,
        action=SENT_ACTION,
        obj=message,
        data={"conversation": locked.pk, "seq": seq},
    )
    _mark_for_notice(locked.pk, seq, notice_due)
    return message, locked.program_id


def _require_direct_allowed(actor, conversation) -> None:
    """Private conversations follow the rules while they last: a peer who opts out, or a program
    that stops allowing peer messages, ends them for sending."""
    other = (
        ConversationMember.objects.filter(conversation=conversation, removed_at__isnull=True)
        .exclude(user=actor)
        .select_related("user")
        .first()
    )
    if other is None or not may_message_directly(actor, other.user, conversation.program):
        raise MessagingError("not_allowed", _("You cannot message this person privately."))


def _stored(conversation_id: int, actor, client_msg_id: str) -> SendResult | None:
    existing = (
        Message.objects.filter(conversation_id=conversation_id, sender=actor, client_msg_id=client_msg_id)
        .select_related("sender")
        .first()
    )
    if existing is None:
        return None
    return SendResult(message=existing, created=False, crisis=_alerting(detect(existing.body)))


def _mark_for_notice(conversation_id: int, seq: int, notice_due) -> None:
    """Members for whom ``seq`` starts an unread run (they had read everything, and were told about
    nothing since) are marked with it and when a notice is due; they get one notice for the run."""
    ConversationMember.objects.filter(
        conversation_id=conversation_id,
        removed_at__isnull=True,
        last_read_seq__lt=seq,
        notified_seq__lte=F("last_read_seq"),
    ).update(notified_seq=seq, notice_due_at=notice_due)


def notice_delay_seconds() -> int:
    return getattr(settings, "MESSAGING_NOTICE_DELAY_SECONDS", 120)


def unread_notices_send(*, now=None) -> int:
    """Tell the members whose unread run's notice is due, and who still have not read the message
    that started it, that there is a new message (no content, ever). Runs every minute
    (tasks.unread_notices), so people reading live are never told: one query finds everyone due,
    instead of one delayed job per message. Returns how many were told."""
    from hearth.notifications.services import notify

    now = now or timezone.now()
    due = list(
        ConversationMember.objects.filter(notice_due_at__lte=now)
        .select_related("user", "conversation")
        .order_by("pk")[:NOTICE_BATCH]
    )
    told = 0
    senders = _senders_of(due)
    with transaction.atomic():
        for member in due:
            still_unread = member.removed_at is None and member.last_read_seq < member.notified_seq
            # member_for: e.g. a family member whose consent ended is not told.
            if still_unread and member_for(viewer=member.user, conversation=member.conversation) is not None:
                url = reverse("conversation_detail", args=[member.conversation_id])
                sender = senders.get((member.conversation_id, member.notified_seq))
                text = partial(_notice_text, sender=sender, conversation=member.conversation)
                notify(recipient=member.user, kind="messaging.message", url=url, text=text)
                told += 1
        # Only what was due: a member marked again meanwhile (a new run) keeps their new due time.
        ConversationMember.objects.filter(pk__in=[member.pk for member in due], notice_due_at__lte=now).update(
            notice_due_at=None
        )
    return told


def _senders_of(members) -> dict[tuple[int, int], str]:
    """(conversation id, seq) -> the community name of who wrote the message that started each
    member's unread run, in one query for the batch."""
    wanted = {(m.conversation_id, m.notified_seq) for m in members}
    if not wanted:
        return {}
    rows = Message.objects.filter(
        conversation_id__in={c for c, _seq in wanted}, seq__in={seq for _c, seq in wanted}
    ).values_list("conversation_id", "seq", "sender__display_name")
    return {(c, seq): name for c, seq, name in rows if (c, seq) in wanted and name}


def _notice_text(*, sender: str | None, conversation: Conversation) -> str:
    """What the in-app notice says (the recipient's language is active): who wrote, and where.
    Never the message itself."""
    if conversation.kind == Kind.DIRECT:
        if sender:
            return _("New message from %(name)s") % {"name": sender}
        return _("New private message")
    where = conversation.title or conversation.get_kind_display()
    if sender:
        return _("New message from %(name)s in %(conversation)s") % {"name": sender, "conversation": where}
    return _("New message in %(conversation)s") % {"conversation": where}


def _alerting(match: Detection | None) -> Detection | None:
    """Only what alerts the care team shows the sender crisis resources (``low`` does neither)."""
    return match if match is not None and match.raises_signal else None


def _is_participant_in(user, program_id: int) -> bool:
    return program_id in program_ids_where(user, Role.PARTICIPANT)


def _raise_crisis_signal(person, message, match: Detection) -> None:
    """Runs after commit; a failure here is logged and never reaches the sender."""
    try:
        safety_signal_raise(
            person=person,
            source="messaging.message",
            severity=match.severity,
            evidence=(
                f"Message {message.seq} in conversation #{message.conversation_id} matched the "
                f"{match.category} signal list ({match.language}): \u201c{match.evidence}\u201d"
            ),
        )
    except Exception:
        logger.exception("messaging: raising a crisis signal failed for message %s", message.pk)


def _own_live_message(actor, message) -> Message:
    if message.sender_id != actor.pk:
        raise MessagingError("not_own_message", _("You can only change your own messages."))
    if message.deleted_at is not None or message.hidden_at is not None:
        raise MessagingError("message_gone", _("This message was deleted."))
    return message


def message_edit(*, actor, message, body: str) -> Message:
    body = _clean_body(body)
    _require_member(actor, message.conversation)
    _own_live_message(actor, message)
    with transaction.atomic():
        revision = MessageRevision.objects.create(message=message, body=message.body)
        message.body = body
        message.edited_at = timezone.now()
        _take_change(message)
        message.save(update_fields=["body", "edited_at", "change"])
        audit_record(
            actor=actor,
            action="messaging.message.edited",
            obj=message,
            data={"conversation": message.conversation_id, "seq": message.seq, "revision": revision.pk},
        )
        frame = {
            "v": events.PROTOCOL_VERSION,
            "type": "edit",
            "conversation": message.conversation_id,
            "seq": message.seq,
            "body": body,
            "edited_at": message.edited_at.isoformat(),
            "change": message.change,
        }
        transaction.on_commit(lambda: events.publish_to_conversation(message.conversation_id, frame))
    return message


def message_delete(*, actor, message) -> Message:
    """Soft delete: the text moves to a revision (kept for audit), the message shows as deleted."""
    _require_member(actor, message.conversation)
    _own_live_message(actor, message)
    with transaction.atomic():
        revision = MessageRevision.objects.create(message=message, body=message.body)
        message.body = ""
        message.deleted_at = timezone.now()
        _take_change(message)
        message.save(update_fields=["body", "deleted_at", "change"])
        audit_record(
            actor=actor,
            action="messaging.message.deleted",
            obj=message,
            data={"conversation": message.conversation_id, "seq": message.seq, "revision": revision.pk},
        )
        _publish_removed(message, reason="deleted")
    return message


def message_hide(*, actor, message) -> Message:
    """Staff hide a message from everyone (moderation); its text stays for the record."""
    if not is_program_staff(actor, message.conversation.program_id):
        raise _not_found()
    if message.hidden_at is not None:
        return message
    with transaction.atomic():
        message.hidden_at = timezone.now()
        message.hidden_by = actor
        _take_change(message)
        message.save(update_fields=["hidden_at", "hidden_by", "change"])
        MessageReport.objects.filter(message=message, resolved_at__isnull=True).update(
            resolved_at=message.hidden_at, resolved_by=actor
        )
        audit_record(
            actor=actor,
            action="messaging.message.hidden",
            subject=message.sender,
            obj=message,
            data={"conversation": message.conversation_id, "seq": message.seq},
        )
        _publish_removed(message, reason="hidden")
    return message


def _take_change(message) -> int:
    """Give ``message`` the conversation's next change number (inside the change's transaction).
    The row lock orders changes as they commit, so a client that has change n has every one before."""
    last = (
        Conversation.objects.select_for_update().values_list("last_change", flat=True).get(pk=message.conversation_id)
    )
    Conversation.objects.filter(pk=message.conversation_id).update(last_change=last + 1)
    message.change = last + 1
    return message.change


def _publish_removed(message, *, reason: str) -> None:
    frame = {
        "v": events.PROTOCOL_VERSION,
        "type": "delete",
        "conversation": message.conversation_id,
        "seq": message.seq,
        "reason": reason,
        "change": message.change,
    }
    transaction.on_commit(lambda: events.publish_to_conversation(message.conversation_id, frame))


def reaction_toggle(*, actor, message, emoji: str) -> dict[str, int]:
    """Add the actor's reaction, or take it back if it is there. Returns the counts per emoji."""
    if emoji not in ALLOWED_REACTIONS:
        raise MessagingError("invalid_reaction", _("This reaction is not available."))
    _require_member(actor, message.conversation)
    if message.deleted_at is not None or message.hidden_at is not None:
        raise MessagingError("message_gone", _("This message was deleted."))
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(message=message, user=actor, emoji=emoji).delete()
        if not deleted:
            Reaction.objects.create(message=message, user=actor, emoji=emoji)
        Message.objects.filter(pk=message.pk).update(change=_take_change(message))
        counts = events.reaction_counts(Message.objects.prefetch_related("reactions").get(pk=message.pk))
        frame = {
            "v": events.PROTOCOL_VERSION,
            "type": "reaction",
            "conversation": message.conversation_id,
            "seq": message.seq,
            "reactions": counts,
            "change": message.change,
        }
        transaction.on_commit(lambda: events.publish_to_conversation(message.conversation_id, frame))
    return counts


def read_mark(*, actor, conversation, seq: int) -> int:
    """Move the actor's read marker forward to ``seq``; returns their unread count there.
    The actor's other connections hear about it (badges update everywhere)."""
    member = _require_member(actor, conversation)
    last_seq = Conversation.objects.values_list("last_seq", flat=True).get(pk=conversation.pk)
    if seq < 0 or seq > last_seq:
        raise MessagingError("seq_from_future", _("There is no message with that number yet."))
    ConversationMember.objects.filter(pk=member.pk, last_read_seq__lt=seq).update(last_read_seq=seq)
    unread = last_seq - max(seq, member.last_read_seq)
    frame = {
        "v": events.PROTOCOL_VERSION,
        "type": "read",
        "conversation": conversation.pk,
        "seq": seq,
        "unread": unread,
    }
    transaction.on_commit(lambda: events.publish(events.user_group(actor.pk), frame, conversation_id=conversation.pk))
    return unread


def message_report(*, actor, message, reason: str = "") -> MessageReport:
    """Anyone who can see a message can ask staff to look at it (the moderation queue)."""
    _require_member(actor, message.conversation)
    reason = (reason or "").strip()[:MAX_REPORT_CHARS]
    with transaction.atomic():
        report, created = MessageReport.objects.get_or_create(
            message=message, reporter=actor, defaults={"reason": reason}
        )
        if created:
            audit_record(
                actor=actor,
                action="messaging.message.reported",
                subject=message.sender,
                obj=message,
                data={"conversation": message.conversation_id, "seq": message.seq, "report": report.pk},
            )
    return report


def report_resolve(*, actor, report) -> MessageReport:
    if not is_program_staff(actor, report.message.conversation.program_id):
        raise _not_found()
    with transaction.atomic():
        report.resolved_at = timezone.now()
        report.resolved_by = actor
        report.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(actor=actor, action="messaging.report.resolved", obj=report)
    return report


def messages_shred_for_retention(*, program, people, now, dry_run: bool) -> int:
    """Retention (programs.retention): the messages that ``people`` (a ``values("user_id")`` queryset
    of those who left ``program`` long enough ago) wrote in its conversations lose their text and
    edit history for good and read as deleted. Registered in MessagingConfig.ready(); returns how
    many messages were (or, in a dry run, would be) shredded."""
    expiring = Message.objects.filter(conversation__program=program, sender_id__in=people).exclude(body="")
    if dry_run:
        return expiring.count()
    ids = list(expiring.values_list("pk", flat=True))
    if not ids:
        return 0
    MessageRevision.objects.filter(message_id__in=ids).delete()
    Message.objects.filter(pk__in=ids, deleted_at__isnull=True).update(deleted_at=now)
    Message.objects.filter(pk__in=ids).update(body="")
    return len(ids)
