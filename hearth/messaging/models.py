"""Conversations, their members and messages.

Message bodies are encrypted at rest (Fernet, ``EncryptedTextField``): in a substance-use
treatment program what people write to each other and to their clinicians is health
information covered by 42 CFR Part 2. See docs/decisions.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedTextField


class Kind(models.TextChoices):
    DIRECT = "direct", _("Private conversation")
    GROUP = "group", _("Group")
    COHORT = "cohort", _("Cohort group")
    SUPPORT_GROUP = "support_group", _("Support group")
    FAMILY = "family", _("Family conversation")
    MENTOR = "mentor", _("Mentor conversation")
    SESSION = "session", _("Session chat")


GROUP_KINDS = tuple(k for k in Kind.values if k != Kind.DIRECT)


class Conversation(models.Model):
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    # Family conversations: the participant whose family talks here (access follows their consent).
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The highest sequence number handed out; bumped under a row lock by message_send.
    last_seq = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # The highest change number handed out: every edit, delete, hide or reaction takes the next one
    # (under the same row lock), so a reconnecting client can ask for what changed since its last.
    last_change = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["program", "kind"], name="conversation_program_kind")]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_group(self) -> bool:
        return self.kind != Kind.DIRECT


class ConversationMember(models.Model):
    """One person in one conversation. Removal keeps the row (history) and sets removed_at."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_members")
    joined_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    last_read_seq = models.PositiveBigIntegerField(default=0)
    # The message that started this person's current unread run ("You have a new message" once per run).
    notified_seq = models.PositiveBigIntegerField(default=0)
    # When that run is worth a notice if still unread; cleared once the periodic job has looked.
    notice_due_at = models.DateTimeField(null=True, blank=True)
    # Moderation: a muted member can read but not send until this time.
    muted_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="conversation_member_unique")]
        indexes = [
            models.Index(fields=["user"], condition=Q(removed_at__isnull=True), name="conversation_member_active"),
            models.Index(
                fields=["notice_due_at"],
                condition=Q(notice_due_at__isnull=False),
                name="conversation_member_notice_due",
            ),
        ]

    def __str__(self) -> str:
        return f"member #{self.user_id} of conversation #{self.conversation_id}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    def is_muted(self, at=None) -> bool:
        return self.muted_until is not None and self.muted_until > (at or timezone.now())


class MessagingPreference(models.Model):
    """A person's own choices about messaging. Peer private messages need both people to opt in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_preference")
    accepts_peer_private_messages = models.BooleanField(_("other participants may message me privately"), default=False)

    def __str__(self) -> str:
        return f"messaging preferences of #{self.user_id}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Chosen by the sending client; a resend with the same id returns the stored message.
    client_msg_id = models.CharField(max_length=64)
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The conversation's change number of this message's latest edit, delete, hide or reaction (0: none).
    change = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["conversation", "seq"]
        indexes = [
            models.Index(fields=["conversation", "change"], condition=Q(change__gt=0), name="message_changes"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="message_unique_seq"),
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_msg_id"], name="message_unique_client_msg_id"
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.seq} in conversation #{self.conversation_id}"

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class MessageRevision(models.Model):
    """The text a message had before an edit or delete (kept, encrypted, for moderation and audit)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    body = EncryptedTextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"revision of message #{self.message_id}"


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user", "emoji"], name="reaction_unique")]

    def __str__(self) -> str:
        return f"{self.emoji} on message #{self.message_id}"


class MessageReport(models.Model):
    """Someone asked staff to look at a message: the moderation queue."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="message_report_unique")]
        indexes = [models.Index(fields=["created_at"], condition=Q(resolved_at__isnull=True), name="report_open")]

    def __str__(self) -> str:
        return f"report on message #{self.message_id}"
