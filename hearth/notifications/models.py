from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS


class Notification(models.Model):
    """An in-app notification. The title never carries clinical content (it is what email, SMS and
    push say). ``detail`` is shown only inside Hearth, behind the person's login (e.g. which
    homework and by when); it is never sent on any outbound channel."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    # What happened, in the recipient's words ("New message from Alex in Cohort A chat"), shown in
    # Hearth only: email, SMS and push carry the kind's generic title (delivery.py), never this.
    text = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for person #{self.recipient_id}"

    @property
    def display_title(self) -> str:
        """What happened, as written for the person when it was sent; else the kind's generic title
        in the language active now (the person may have switched since it was sent)."""
        return self.text or self.generic_title

    @property
    def generic_title(self) -> str:
        """The kind's words with nothing about what happened: for alerts over whatever is on screen."""
        return str(KINDS.get(self.kind, self.title))


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In Hearth")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    PUSH = "push", _("Phone or browser alert")


# Channels that leave Hearth and so go through a transport, a Delivery row and a job.
OUTBOUND_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PUSH)


class NotificationSettings(models.Model):
    """One person's choices that are not per kind: quiet hours, SMS number, daily check-in time.

    Times are wall-clock times in the person's own zone (User.time_zone)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet until"), null=True, blank=True)
    sms_number = models.CharField(_("mobile number for text messages"), max_length=20, blank=True)
    checkin_reminder_time = models.TimeField(_("daily check-in reminder"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"notification settings of person #{self.person_id}"


class ChannelPreference(models.Model):
    """Whether one person wants one group of kinds on one channel. No row = the default."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences")
    group = models.CharField(max_length=30)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "group", "channel"], name="channel_preference_unique")]

    def __str__(self) -> str:
        return f"{self.group}/{self.channel} for person #{self.person_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class Delivery(models.Model):
    """One notification on one outbound channel. Unique per (notification, channel): the job that
    sends it may run twice (a retry, a restarted consumer, the sweep) and still sends once."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # Provider error text only (never the message); shown to program admins in the delivery log.
    last_error = models.CharField(max_length=300, blank=True)
    not_before = models.DateTimeField(null=True, blank=True)  # end of the person's quiet hours
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_unique")]
        indexes = [
            models.Index(fields=["updated_at"], condition=Q(status__in=["pending", "sending"]), name="delivery_open"),
            models.Index(fields=["status", "-created_at"], name="delivery_status_recent"),
        ]
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"delivery #{self.pk} ({self.channel}, {self.status})"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (RFC 8030 endpoint + RFC 8291 keys)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"push subscription #{self.pk} of person #{self.person_id}"


class Reminder(models.Model):
    """A notification due at a set instant: before a session, or the daily check-in.

    ``slot`` tells reminders for the same person, kind and source apart ("1440" minutes before,
    or the local date of a daily check-in), so syncing twice never makes two."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=60)
    due_at = models.DateTimeField()
    # What the reminder is about: an occurrence, or the person themselves for the daily check-in.
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    source_id = models.PositiveBigIntegerField()
    slot = models.CharField(max_length=20)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "source_type", "source_id", "slot"], name="reminder_unique_slot"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(sent_at__isnull=True, cancelled_at__isnull=True), name="reminder_due"
            ),
            models.Index(fields=["source_type", "source_id"], name="reminder_source"),
        ]

    def __str__(self) -> str:
        return f"reminder #{self.pk} ({self.kind})"
