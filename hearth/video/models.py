"""Video rooms: one per session occurrence, who is waiting, admitted or removed, and used join tokens.

Nothing here is recorded media: Hearth never records a call. A room keeps only who was let in,
by whom, and how long each person stayed (which feeds attendance)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Room(models.Model):
    occurrence = models.OneToOneField("scheduling.Occurrence", on_delete=models.CASCADE, related_name="video_room")
    backend = models.CharField(max_length=16, default="mesh")
    # The Janus room's secret (janus backend): stays on the server, never sent to a browser.
    media_secret = models.CharField(max_length=64, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The in-room text chat: a messaging conversation of kind "session" (roster and hosts).
    conversation = models.ForeignKey(
        "messaging.Conversation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"video room #{self.pk}"


def new_media_feed_id() -> int:
    """A random Janus publisher id (below 2**53, so a browser's Number holds it exactly)."""
    return secrets.randbelow(2**52) + 1


class SeatState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ADMITTED = "admitted", _("In the call")
    REMOVED = "removed", _("Removed by the host")
    LEFT = "left", _("Left")


class Seat(models.Model):
    """One person's place in one room: waiting, admitted, removed or left; and how long they stayed."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_host = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=SeatState.choices, default=SeatState.WAITING)
    # Removed once: stays true, so auto-admission never lets this person back in by itself.
    was_removed = models.BooleanField(default=False)
    hand_raised = models.BooleanField(default=False)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Open sockets of this person in this room (a second tab counts).
    connections = models.PositiveSmallIntegerField(default=0)
    # The current stay: a reconnect within the grace period continues it instead of starting anew.
    stay_started_at = models.DateTimeField(null=True, blank=True)
    stay_left_at = models.DateTimeField(null=True, blank=True)
    # Connected seconds in this room, for everyone (hosts are not on the attendance roster).
    seconds_present = models.PositiveIntegerField(default=0)
    connected_at = models.DateTimeField(null=True, blank=True)
    # The person's Janus token (janus backend): revoked on Leave, on removal, and when they stay
    # disconnected past the reconnect grace (services.media_sweep).
    media_token = models.CharField(max_length=64, blank=True)
    # The Janus publisher id the server gives this person and their page publishes under: feeds are
    # mapped to people by this, never by the ``display`` a client chooses.
    media_feed_id = models.BigIntegerField(null=True, default=new_media_feed_id)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "person"], name="video_seat_one_per_person"),
            models.UniqueConstraint(fields=["room", "media_feed_id"], name="video_seat_one_feed_per_seat"),
        ]

    def __str__(self) -> str:
        return f"seat #{self.pk} ({self.state})"


class UsedJoinToken(models.Model):
    """A join token's nonce once it has been spent: a token opens exactly one connection."""

    nonce = models.CharField(max_length=32, unique=True)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"used token #{self.pk}"
