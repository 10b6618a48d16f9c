"""Topic support groups: groups per program, threads, posts (encrypted at rest, decision 34),
reactions, flags, moderation actions and read markers. People appear only by community identity."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedTextField


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone in the program can join")
    REQUEST = "request", _("Ask to join: a facilitator says yes")
    INVITE = "invite", _("Invite only")


class Audience(models.TextChoices):
    PARTICIPANTS = "participants", _("Participants, mentors and staff")
    FAMILIES = "families", _("Family members and partners, with staff")
    ALUMNI = "alumni", _("Alumni who kept community access, with staff")


class Group(models.Model):
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="community_groups")
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    join_policy = models.CharField(
        _("who can join"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    # Family members meet in their own groups and never see the participants' (#17 item 3).
    audience = models.CharField(_("for whom"), max_length=12, choices=Audience.choices, default=Audience.PARTICIPANTS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="community_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Member")
    REQUESTED = "requested", _("Asked to join")
    LEFT = "left", _("Left")


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    FACILITATOR = "facilitator", _("Facilitator")


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships")
    status = models.CharField(max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    role = models.CharField(max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    # A muted member reads but cannot post, reply or react until this time.
    muted_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="community_member_unique")]

    def __str__(self) -> str:
        return f"member #{self.user_id} of group #{self.group_id}"

    def is_muted(self, at=None) -> bool:
        return self.muted_until is not None and self.muted_until > (at or timezone.now())


class Thread(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Titles are plain text (listed and searched); bodies are encrypted (decision 34).
    title = models.CharField(_("title"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    pinned_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["group", "last_post_at"], name="community_thread_recent")]

    def __str__(self) -> str:
        return self.title


class HideReason(models.TextChoices):
    FLAGS = "flags", _("Several people flagged it; a moderator will review it soon")
    HARMFUL = "harmful", _("It could hurt or upset others")
    PRIVACY = "privacy", _("It shared someone's private information")
    SPAM = "spam", _("It was off-topic or advertising")
    USE_DETAILS = "use_details", _("It described substance use in detail, which can be a trigger for others")
    RULES = "rules", _("It went against the group agreement")


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = EncryptedTextField()
    is_opening = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every edit: an edit made from an older version is refused (no lost update).
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(max_length=20, choices=HideReason.choices, blank=True)
    open_flags = models.PositiveIntegerField(default=0)
    # Quote-reply: the post this one answers (same thread). Shown from the quoted post as it is now,
    # so a quote never keeps words its author deleted or a moderator hid.
    quote = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Mark-as-helpful: the thread's author (or a facilitator or moderator) says this reply helped.
    helpful_at = models.DateTimeField(null=True, blank=True)
    helpful_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["thread", "created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "created_at"], name="community_post_thread"),
            models.Index(fields=["open_flags"], condition=Q(open_flags__gt=0), name="community_post_flagged"),
        ]

    def __str__(self) -> str:
        return f"post #{self.pk} in thread #{self.thread_id}"

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(models.Model):
    """The text a post had before an edit or delete: kept, encrypted, for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = EncryptedTextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"revision of post #{self.post_id}"


class ReactionKind(models.TextChoices):
    ME_TOO = "me_too", _("Me too")
    THANK_YOU = "thank_you", _("Thank you")
    STRENGTH = "strength", _("Sending strength")


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="community_reaction_unique")]

    def __str__(self) -> str:
        return f"{self.kind} on post #{self.post_id}"


class FlagReason(models.TextChoices):
    HARMFUL = "harmful", _("It could hurt or upset someone")
    PRIVACY = "privacy", _("It shares someone's private information")
    SPAM = "spam", _("Off-topic or advertising")
    WORRIED = "worried", _("I am worried about the person who wrote it")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=FlagReason.choices)
    note = EncryptedTextField(_("anything else a moderator should know"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="community_flag_unique")]

    def __str__(self) -> str:
        return f"flag on post #{self.post_id}"


class ModerationKind(models.TextChoices):
    HIDDEN = "hidden", _("Post hidden")
    AUTO_HIDDEN = "auto_hidden", _("Post hidden until a moderator reviews it")
    RESTORED = "restored", _("Post restored")
    MUTED = "muted", _("Paused from posting in a group")


class ModerationAction(models.Model):
    """What a moderator did and why: the moderators' history and the author's explanation."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="moderation_actions")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=12, choices=ModerationKind.choices)
    reason = models.CharField(max_length=20, choices=HideReason.choices, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} for person #{self.person_id}"


class ThreadRead(models.Model):
    """How far a person has read a thread: unread markers compare it with the thread's last post."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="community_read_unique")]

    def __str__(self) -> str:
        return f"read marker of #{self.user_id} in thread #{self.thread_id}"


class WatchLevel(models.TextChoices):
    WATCHING = "watching", _("Watching: every new post")
    NORMAL = "normal", _("Normal: mentions and replies to me")
    MUTED = "muted", _("Muted: nothing, no unread marker")


class Watch(models.Model):
    """How much a person hears about a group (thread empty) or one thread (overrides the group).
    No row means normal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="watches")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="watches")
    level = models.CharField(max_length=10, choices=WatchLevel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"], condition=Q(thread__isnull=True), name="community_watch_group_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "thread"], condition=Q(thread__isnull=False), name="community_watch_thread_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} for #{self.user_id}"


class PostTerm(models.Model):
    """Blind search index (decision 34): a keyed hash of each distinct word of a post's body, never the
    word. Search hashes the query's words the same way and matches inside the viewer's scope."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["digest", "post"], name="community_term_digest")]
        constraints = [models.UniqueConstraint(fields=["post", "digest"], name="community_term_unique")]

    def __str__(self) -> str:
        return f"term of post #{self.post_id}"


class CommunitySettings(models.Model):
    """A program's community rules that its admins choose. No row means the defaults."""

    DEFAULT_AUTO_HIDE_FLAGS = 3

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="community_settings")
    # Open flags from this many different people hide a post until a moderator reviews it.
    auto_hide_flags = models.PositiveSmallIntegerField(
        _("hide a post after this many flags"), default=DEFAULT_AUTO_HIDE_FLAGS
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"community settings of program #{self.program_id}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Not this time")


class EventProposal(models.Model):
    """A social event a participant or mentor suggests; staff approve it into a scheduled session."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind of event"), max_length=32)
    # The title goes on calendars once approved, like every session title: no clinical details.
    title = models.CharField(_("title"), max_length=120)
    description = EncryptedTextField(_("what you have in mind"), blank=True)
    starts_at = models.DateTimeField(_("when"))
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurrence = models.ForeignKey(
        "scheduling.Occurrence", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["program", "status"], name="community_proposal_status")]

    def __str__(self) -> str:
        return self.title


class DigestChoice(models.TextChoices):
    INSTANT = "instant", _("As it happens")
    WEEKLY = "weekly", _("Once a week, in one summary")


class CommunityPreference(models.Model):
    """How a person hears about new posts in what they watch. Mentions always come at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=10, choices=DigestChoice.choices, default=DigestChoice.INSTANT)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"community preference of #{self.user_id}"


class AlumniAccess(models.Model):
    """Community access a participant keeps after completing or leaving care: the program's alumni
    groups, social events they are invited to and their own posts, never clinical pages. Granted by
    the program's staff; ended by staff or by the person. Rows are kept (history)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program"], condition=Q(ended_at__isnull=True), name="community_alumni_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"alumni access of #{self.person_id} in program #{self.program_id}"
