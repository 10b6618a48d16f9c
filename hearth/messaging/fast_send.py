"""The common case of message_send on PostgreSQL in one SQL statement.

A message in a group conversation from an active, unmuted member costs one round trip instead of
nine ORM queries (≈1 ms instead of ≈15 ms of server time, docs/decisions.md #27). The statement
does exactly what the ORM path does, in the same order and under the same lock:

1. the sender's active membership, and not muted, and a role the sender still holds in the
   conversation's program (messaging.permissions.may_see_as_member: a membership that outlived
   its role opens nothing);
2. ``last_seq + 1`` on the conversation row (the UPDATE takes the row lock; concurrent senders
   queue on it and each sees the previous one's value: gapless and unique);
3. the message row (a resend of a client_msg_id violates the unique constraint and the whole
   statement, seq bump included, rolls back: the caller answers with the stored message);
4. the sender has read up to their own message; members starting an unread run are marked, with
   when a notice is due if they have not read it by then;
5. the audit entry (``messaging.message.sent``), in the same transaction as the write.

Anything else (private and family conversations, whose rules need Python, a non-member, a muted
member, a missing conversation) returns None and the caller takes the ORM path, which gives the
precise answer. SQLite (embedded) always takes the ORM path.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import psycopg
from django.db import connection, transaction

from hearth.audit.context import current_request
from hearth.audit.models import AuditEntry
from hearth.programs.models import Membership

from .models import Conversation, ConversationMember, Kind, Message

SENT_ACTION = "messaging.message.sent"


@dataclass(frozen=True)
class FastSent:
    message_id: int
    seq: int
    program_id: int


@cache
def _statement() -> str:
    # Only table names are formatted in (from model metadata); every value is a bound parameter.
    return f"""
WITH member AS (
    SELECT id FROM {ConversationMember._meta.db_table}
    WHERE conversation_id = %(conversation)s AND user_id = %(sender)s AND removed_at IS NULL
      AND (muted_until IS NULL OR muted_until <= %(now)s)
), bumped AS (
    UPDATE {Conversation._meta.db_table}
    SET last_seq = last_seq + 1, last_message_at = %(now)s
    WHERE id = %(conversation)s AND kind NOT IN (%(direct)s, %(family)s) AND EXISTS (SELECT 1 FROM member)
      AND EXISTS (
          SELECT 1 FROM {Membership._meta.db_table} AS role
          WHERE role.user_id = %(sender)s AND role.program_id = {Conversation._meta.db_table}.program_id
            AND role.ended_at IS NULL
      )
    RETURNING id, last_seq, program_id
), inserted AS (
    INSERT INTO {Message._meta.db_table}
        (conversation_id, seq, sender_id, client_msg_id, body, created_at, edited_at, deleted_at, hidden_at,
         hidden_by_id, change)
    SELECT id, last_seq, %(sender)s::bigint, %(client_msg_id)s::text, %(body)s::text, %(now)s::timestamptz,
           NULL, NULL, NULL, NULL, 0
    FROM bumped
    RETURNING id, seq
), read AS (
    UPDATE {ConversationMember._meta.db_table} SET last_read_seq = inserted.seq
    FROM inserted WHERE {ConversationMember._meta.db_table}.id = (SELECT id FROM member)
), noticed AS (
    UPDATE {ConversationMember._meta.db_table} AS m SET notified_seq = inserted.seq, notice_due_at = %(notice_due)s
    FROM inserted
    WHERE m.conversation_id = %(conversation)s AND m.user_id <> %(sender)s AND m.removed_at IS NULL
      AND m.last_read_seq < inserted.seq AND m.notified_seq <= m.last_read_seq
), audited AS (
    INSERT INTO {AuditEntry._meta.db_table}
        (at, actor_id, action, subject_id, object_type, object_id, ip_address, user_agent, request_id, data)
    SELECT %(now)s::timestamptz, %(sender)s::bigint, %(action)s::text, NULL, %(object_type)s::text, inserted.id::text,
           %(ip)s::inet, %(user_agent)s::text, %(request_id)s::text,
           jsonb_build_object('conversation', %(conversation)s::bigint, 'seq', inserted.seq)
    FROM inserted
)
SELECT inserted.id, inserted.seq, bumped.program_id
FROM inserted, bumped
"""  # noqa: S608


def send_in_one_statement(
    *, sender, conversation_id: int, client_msg_id: str, body: str, now: datetime, notice_due: datetime
):
    """Store the message and its audit entry, or None when the ORM path must decide.

    Outside a transaction the statement is its own transaction: committed when this returns, with
    no BEGIN and COMMIT round trips. Inside one (a caller's atomic block) it runs in a savepoint, so
    a resend's IntegrityError leaves the caller's transaction usable."""
    if connection.vendor != "postgresql":
        return None
    if connection.in_atomic_block:
        with transaction.atomic():
            return _execute(sender, conversation_id, client_msg_id, body, now, notice_due)
    return _execute(sender, conversation_id, client_msg_id, body, now, notice_due)


def _execute(sender, conversation_id: int, client_msg_id: str, body: str, now: datetime, notice_due: datetime):
    body_field = Message._meta.get_field("body")
    facts = current_request.get()
    params = {
        "conversation": conversation_id,
        "sender": sender.pk,
        "client_msg_id": client_msg_id,
        "body": body_field.get_db_prep_value(body, connection),
        "now": now,
        "notice_due": notice_due,
        "direct": Kind.DIRECT.value,
        "family": Kind.FAMILY.value,
        "action": SENT_ACTION,
        "object_type": Message._meta.label_lower,
        "ip": facts.ip_address,
        "user_agent": facts.user_agent,
        "request_id": facts.request_id,
    }
    connection.ensure_connection()
    # A server-side prepared statement: PostgreSQL plans this six-part statement once per
    # connection instead of on every message (≈1 ms each).
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_statement(), params, prepare=True)
        row = cursor.fetchone()
    if row is None:
        return None
    return FastSent(message_id=row[0], seq=row[1], program_id=row[2])
