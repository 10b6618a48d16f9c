"""Every write in the community. Each checks the actor, validates (translated ValidationError, nothing
changed), writes and audits in one transaction, and raises crisis signals or notifies on commit."""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.notifications.services import notify
from hearth.programs.models import Role
from hearth.programs.selectors import program_ids_where
from hearth.safety.detection import Detection, detect
from hearth.safety.services import free_text_screen

from .models import (
    Audience,
    Flag,
    FlagReason,
    Group,
    GroupMember,
    HideReason,
    JoinPolicy,
    MemberRole,
    MemberStatus,
    ModerationAction,
    ModerationKind,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    Thread,
    ThreadRead,
)
from .selectors import community_program_ids, is_moderator_of, may_manage_members, member_for

logger = logging.getLogger(__name__)

MAX_TITLE_CHARS = 120
MIN_TITLE_CHARS = 3
MAX_BODY_CHARS = 10_000
MAX_FLAG_NOTE_CHARS = 1000
# Flags that hide a post until a moderator looks (a per-program setting later; decision 34).
AUTO_HIDE_FLAGS = 3
# New-member limits, like trust levels in mature forums: the first day in the community.
NEW_MEMBER_HOURS = 24
NEW_MEMBER_THREADS = 2
NEW_MEMBER_POSTS = 10
MUTE_HOURS = (24, 72, 168)
LINK = re.compile(r"(https?://|www\.|\b[a-z0-9-]+\.(com|net|org|io|ly|me|co)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class PostResult:
    post: Post
    crisis: Detection | None


# --- groups and members ------------------------------------------------------------------------


def group_create(
    *,
    actor,
    program,
    name: str,
    description: str = "",
    join_policy: str = JoinPolicy.OPEN,
    audience: str = Audience.PARTICIPANTS,
) -> Group:
    if program.pk not in program_ids_where(actor, Role.CLINICIAN, Role.ADMIN):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if join_policy not in JoinPolicy.values:
        raise ValidationError({"join_policy": _("Choose who can join.")})
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who the group is for.")})
    if Group.objects.filter(program=program, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a group with this name.")})
    with transaction.atomic():
        group = Group.objects.create(
            program=program,
            name=name[:80],
            description=(description or "").strip()[:300],
            join_policy=join_policy,
            audience=audience,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="community.group.created",
            obj=group,
            data={"policy": join_policy, "audience": audience},
        )
    return group


def _require_in_program(user, group: Group) -> None:
    if group.program_id not in community_program_ids(user, group.audience):
        raise PermissionDenied


def member_add(*, actor, group: Group, user, role: str = MemberRole.MEMBER) -> GroupMember:
    """Staff (and facilitators) add someone of the program: the way into invite-only groups."""
    if not may_manage_members(actor, group):
        raise PermissionDenied
    _require_in_program(user, group)
    if role == MemberRole.FACILITATOR and group.program_id not in program_ids_where(
        user, Role.MENTOR, Role.CLINICIAN, Role.ADMIN
    ):
        raise ValidationError(_("Facilitators are staff or peer mentors."))
    with transaction.atomic():
        member, _created = GroupMember.objects.update_or_create(
            group=group, user=user, defaults={"status": MemberStatus.ACTIVE, "role": role}
        )
        audit_record(
            actor=actor,
            action="community.member.added",
            subject=user,
            obj=member,
            data={"group": group.pk, "role": role},
        )
    return member


def group_join(*, actor, group: Group) -> GroupMember:
    """Open groups: join at once. Ask-to-join groups: the request waits for a facilitator."""
    _require_in_program(actor, group)
    existing = member_for(viewer=actor, group=group)
    if existing is not None and existing.status in (MemberStatus.ACTIVE, MemberStatus.REQUESTED):
        return existing
    if group.join_policy == JoinPolicy.INVITE:
        raise ValidationError(_("This group is by invitation only. Ask a facilitator or your care team."))
    status = MemberStatus.ACTIVE if group.join_policy == JoinPolicy.OPEN else MemberStatus.REQUESTED
    with transaction.atomic():
        member, _created = GroupMember.objects.update_or_create(
            group=group, user=actor, defaults={"status": status, "joined_at": timezone.now()}
        )
        action = "community.member.joined" if status == MemberStatus.ACTIVE else "community.member.requested"
        audit_record(actor=actor, action=action, subject=actor, obj=member, data={"group": group.pk})
    return member


def group_leave(*, actor, group: Group) -> None:
    member = member_for(viewer=actor, group=group)
    if member is None or member.status == MemberStatus.LEFT:
        raise ValidationError(_("You are not in this group."))
    with transaction.atomic():
        # The row stays (a mute outlives leaving and joining again).
        member.status = MemberStatus.LEFT
        member.save(update_fields=["status"])
        audit_record(actor=actor, action="community.member.left", subject=actor, obj=member, data={"group": group.pk})


def member_decide(*, actor, member: GroupMember, approve: bool) -> GroupMember:
    if not may_manage_members(actor, member.group):
        raise PermissionDenied
    if member.status != MemberStatus.REQUESTED:
        raise ValidationError(_("This request was already answered."))
    with transaction.atomic():
        member.status = MemberStatus.ACTIVE if approve else MemberStatus.LEFT
        member.joined_at = timezone.now()
        member.save(update_fields=["status", "joined_at"])
        audit_record(
            actor=actor,
            action="community.member.approved" if approve else "community.member.declined",
            subject=member.user,
            obj=member,
            data={"group": member.group_id},
        )
        url = reverse("community:group_detail", args=[member.group_id])
        user = member.user
        transaction.on_commit(lambda: notify(recipient=user, kind="community.group", url=url))
    return member


# --- posting -----------------------------------------------------------------------------------


def _clean_body(body) -> str:
    body = (body if isinstance(body, str) else "").strip()
    if not body:
        raise ValidationError({"body": _("Write something before posting.")})
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            {
                "body": _("Posts can be at most %(max)d characters; this one has %(n)d.")
                % {"max": MAX_BODY_CHARS, "n": len(body)}
            }
        )
    return body


def _clean_title(title) -> str:
    title = " ".join((title if isinstance(title, str) else "").split())
    if len(title) < MIN_TITLE_CHARS:
        raise ValidationError(
            {"title": _("Give your thread a short title (at least %(min)d characters).") % {"min": MIN_TITLE_CHARS}}
        )
    if len(title) > MAX_TITLE_CHARS:
        raise ValidationError({"title": _("Titles can be at most %(max)d characters.") % {"max": MAX_TITLE_CHARS}})
    return title


def _require_poster(actor, group: Group) -> GroupMember | None:
    """Active members who are not paused, and the program's staff (moderators need not join)."""
    if is_moderator_of(actor, group):
        return member_for(viewer=actor, group=group)
    member = member_for(viewer=actor, group=group)
    if (
        member is None
        or member.status != MemberStatus.ACTIVE
        or group.program_id not in community_program_ids(actor, group.audience)
    ):
        raise ValidationError(_("Join this group to post in it."))
    if member.is_muted():
        raise ValidationError(
            _("A moderator paused your posting in this group until %(until)s.")
            % {"until": timezone.localtime(member.muted_until).strftime("%Y-%m-%d %H:%M")}
        )
    return member


def _is_new_member(actor, group: Group, member: GroupMember | None) -> bool:
    if is_moderator_of(actor, group) or (member is not None and member.role == MemberRole.FACILITATOR):
        return False
    if group.program_id in program_ids_where(actor, Role.MENTOR):
        return False
    return actor.date_joined > timezone.now() - timedelta(hours=NEW_MEMBER_HOURS)


def _check_links(actor, group: Group, member, text: str) -> None:
    if LINK.search(text) and _is_new_member(actor, group, member):
        raise ValidationError(
            {"body": _("Links can be shared after your first day in the community. Please post without the link.")}
        )


def _check_new_member_limits(actor, group: Group, member, *, text: str, starting_thread: bool) -> None:
    _check_links(actor, group, member, text)
    if not _is_new_member(actor, group, member):
        return
    since = timezone.now() - timedelta(hours=NEW_MEMBER_HOURS)
    if starting_thread:
        started = Thread.objects.filter(author=actor, created_at__gte=since).count()
        if started >= NEW_MEMBER_THREADS:
            raise ValidationError(
                _("In your first day you can start %(n)d threads. You can still reply to others.")
                % {"n": NEW_MEMBER_THREADS}
            )
    posted = Post.objects.filter(author=actor, created_at__gte=since).count()
    if posted >= NEW_MEMBER_POSTS:
        raise ValidationError(
            _("In your first day you can post %(n)d times. Thank you for joining in; you can post more tomorrow.")
            % {"n": NEW_MEMBER_POSTS}
        )


def _screen(actor, group: Group, post: Post, text: str) -> Detection | None:
    """Crisis and relapse language: a signal for the care team on commit; the post is never blocked.
    Staff and mentors see the crisis panel too, but signals are about participants in care."""
    if group.program_id not in program_ids_where(actor, Role.PARTICIPANT):
        found = detect(text)
        return found if found is not None and found.raises_signal else None
    return free_text_screen(person=actor, source="community.post", texts=[text], alerting_only=True)


def thread_start(*, actor, group: Group, title: str, body: str) -> PostResult:
    title = _clean_title(title)
    body = _clean_body(body)
    member = _require_poster(actor, group)
    _check_new_member_limits(actor, group, member, text=f"{title}\n{body}", starting_thread=True)
    with transaction.atomic():
        now = timezone.now()
        thread = Thread.objects.create(group=group, author=actor, title=title, created_at=now, last_post_at=now)
        post = Post.objects.create(thread=thread, author=actor, body=body, is_opening=True, created_at=now)
        ThreadRead.objects.create(thread=thread, user=actor, read_at=now)
        audit_record(
            actor=actor, action="community.thread.created", subject=actor, obj=thread, data={"group": group.pk}
        )
        crisis = _screen(actor, group, post, f"{title}. {body}")
    return PostResult(post=post, crisis=crisis)


def post_reply(*, actor, thread: Thread, body: str) -> PostResult:
    body = _clean_body(body)
    group = thread.group
    member = _require_poster(actor, group)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.hidden_at is not None:
            raise ValidationError(_("This thread was hidden by a moderator, so it cannot get new replies."))
        _check_new_member_limits(actor, group, member, text=body, starting_thread=False)
        now = timezone.now()
        post = Post.objects.create(thread=locked, author=actor, body=body, created_at=now)
        Thread.objects.filter(pk=locked.pk).update(last_post_at=now, reply_count=F("reply_count") + 1)
        ThreadRead.objects.update_or_create(thread=locked, user=actor, defaults={"read_at": now})
        audit_record(actor=actor, action="community.post.created", subject=actor, obj=post, data={"thread": thread.pk})
        crisis = _screen(actor, group, post, body)
    return PostResult(post=post, crisis=crisis)


def _own_live_post(actor, post: Post) -> None:
    if post.author_id != actor.pk:
        raise PermissionDenied
    if post.deleted_at is not None:
        raise ValidationError(_("This post was deleted."))
    if post.hidden_at is not None:
        raise ValidationError(_("A moderator hid this post, so it cannot be changed."))


def post_edit(*, actor, post: Post, body: str, version: int) -> PostResult:
    body = _clean_body(body)
    _own_live_post(actor, post)
    group = post.thread.group
    member = _require_poster(actor, group)
    _check_links(actor, group, member, body)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.version != version:
            raise ValidationError(
                {"body": _("This post changed since you opened it. Your edit was not saved; here is the latest text.")}
            )
        if locked.body == body:
            return PostResult(post=locked, crisis=None)
        PostRevision.objects.create(post=locked, body=locked.body)
        locked.body = body
        locked.edited_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["body", "edited_at", "version"])
        audit_record(
            actor=actor, action="community.post.edited", subject=actor, obj=locked, data={"version": locked.version}
        )
        crisis = _screen(actor, group, locked, body)
    return PostResult(post=locked, crisis=crisis)


def post_delete(*, actor, post: Post) -> Post:
    """Soft delete: the text moves to a revision moderators can read; the post shows as deleted."""
    _own_live_post(actor, post)
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body)
        post.body = ""
        post.deleted_at = timezone.now()
        post.version += 1
        post.save(update_fields=["body", "deleted_at", "version"])
        if post.is_opening:
            Thread.objects.filter(pk=post.thread_id).update(hidden_at=post.deleted_at)
        audit_record(actor=actor, action="community.post.deleted", subject=actor, obj=post)
    return post


def reaction_toggle(*, actor, post: Post, kind: str) -> bool:
    """Add the reaction, or take it back. Returns whether it is there now."""
    if kind not in ReactionKind.values:
        raise ValidationError(_("This reaction is not available."))
    _require_poster(actor, post.thread.group)
    if not post.is_visible or post.thread.hidden_at is not None:
        raise ValidationError(_("This post is not available any more."))
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(post=post, user=actor, kind=kind).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=actor, kind=kind)
        except IntegrityError:
            pass  # a double tap: the reaction is there
    return True


def thread_mark_read(*, actor, thread: Thread) -> None:
    ThreadRead.objects.update_or_create(thread=thread, user=actor, defaults={"read_at": timezone.now()})


def thread_pin(*, actor, thread: Thread, pinned: bool) -> Thread:
    group = thread.group
    member = member_for(viewer=actor, group=group)
    facilitator = member is not None and member.status == MemberStatus.ACTIVE and member.role == MemberRole.FACILITATOR
    if not (is_moderator_of(actor, group) or facilitator):
        raise PermissionDenied
    with transaction.atomic():
        thread.pinned_at = timezone.now() if pinned else None
        thread.save(update_fields=["pinned_at"])
        audit_record(
            actor=actor, action="community.thread.pinned" if pinned else "community.thread.unpinned", obj=thread
        )
    return thread


# --- moderation --------------------------------------------------------------------------------


def _explain(*, actor, post: Post | None, person, group: Group, kind: str, reason: str = "", until=None) -> None:
    """Record what was done and why, and tell the person (generic wording; the page says why)."""
    if person is None:
        return
    ModerationAction.objects.create(
        group=group, post=post, person=person, actor=actor, kind=kind, reason=reason, until=until
    )
    url = reverse("community:notices")
    transaction.on_commit(lambda: notify(recipient=person, kind="community.moderation", url=url))


def post_flag(*, actor, post: Post, reason: str, note: str = "") -> Flag:
    """Anyone who can read a post can ask moderators to look at it. After AUTO_HIDE_FLAGS people have,
    the post is hidden until a moderator reviews it."""
    if reason not in FlagReason.values:
        raise ValidationError({"reason": _("Choose what is wrong.")})
    note = (note if isinstance(note, str) else "").strip()
    if len(note) > MAX_FLAG_NOTE_CHARS:
        raise ValidationError({"note": _("Keep the note under %(max)d characters.") % {"max": MAX_FLAG_NOTE_CHARS}})
    if post.author_id == actor.pk:
        raise ValidationError(_("You cannot flag your own post. You can edit or delete it."))
    if post.deleted_at is not None:
        raise ValidationError(_("This post is not available any more."))
    with transaction.atomic():
        locked = Post.objects.select_for_update().select_related("thread__group").get(pk=post.pk)
        if Flag.objects.filter(post=locked, reporter=actor, resolved_at__isnull=True).exists():
            raise ValidationError(_("You already flagged this post. A moderator will look at it."))
        Flag.objects.filter(post=locked, reporter=actor).delete()  # an older, resolved flag of theirs
        flag = Flag.objects.create(post=locked, reporter=actor, reason=reason, note=note)
        locked.open_flags += 1
        fields = ["open_flags"]
        audit_record(
            actor=actor, action="community.post.flagged", subject=locked.author, obj=locked, data={"reason": reason}
        )
        if locked.open_flags >= AUTO_HIDE_FLAGS and locked.hidden_at is None:
            locked.hidden_at = timezone.now()
            locked.hidden_reason = HideReason.FLAGS
            fields += ["hidden_at", "hidden_reason"]
            audit_record(
                actor=None,
                action="community.post.auto_hidden",
                subject=locked.author,
                obj=locked,
                data={"flags": locked.open_flags},
            )
            _explain(
                actor=None,
                post=locked,
                person=locked.author,
                group=locked.thread.group,
                kind=ModerationKind.AUTO_HIDDEN,
                reason=HideReason.FLAGS,
            )
        locked.save(update_fields=fields)
    return flag


def _require_moderator(actor, post: Post) -> Group:
    group = post.thread.group
    if not is_moderator_of(actor, group):
        raise PermissionDenied
    return group


def _resolve_flags(actor, post: Post) -> int:
    resolved = Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    post.open_flags = 0
    return resolved


def post_hide(*, actor, post: Post, reason: str) -> Post:
    group = _require_moderator(actor, post)
    if reason not in HideReason.values or reason == HideReason.FLAGS:
        raise ValidationError({"reason": _("Choose the reason the author will see.")})
    with transaction.atomic():
        post.hidden_at = post.hidden_at or timezone.now()
        post.hidden_by = actor
        post.hidden_reason = reason
        resolved = _resolve_flags(actor, post)
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "open_flags"])
        if post.is_opening:
            Thread.objects.filter(pk=post.thread_id).update(hidden_at=post.hidden_at)
        audit_record(
            actor=actor,
            action="community.post.hidden",
            subject=post.author,
            obj=post,
            data={"reason": reason, "flags_resolved": resolved, "thread_hidden": post.is_opening},
        )
        _explain(actor=actor, post=post, person=post.author, group=group, kind=ModerationKind.HIDDEN, reason=reason)
    return post


def post_restore(*, actor, post: Post) -> Post:
    """Show the post again (and close its flags): the moderator found it fine."""
    group = _require_moderator(actor, post)
    with transaction.atomic():
        was_hidden = post.hidden_at is not None
        post.hidden_at = None
        post.hidden_by = None
        post.hidden_reason = ""
        resolved = _resolve_flags(actor, post)
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "open_flags"])
        if post.is_opening and post.deleted_at is None:
            Thread.objects.filter(pk=post.thread_id).update(hidden_at=None)
        audit_record(
            actor=actor,
            action="community.post.restored",
            subject=post.author,
            obj=post,
            data={"was_hidden": was_hidden, "flags_resolved": resolved},
        )
        if was_hidden:
            _explain(actor=actor, post=post, person=post.author, group=group, kind=ModerationKind.RESTORED)
    return post


def member_mute(*, actor, group: Group, user, hours: int, reason: str) -> GroupMember:
    """Pause a member's posting in one group for a time; they can still read."""
    if not is_moderator_of(actor, group):
        raise PermissionDenied
    if hours not in MUTE_HOURS:
        raise ValidationError({"hours": _("Choose how long.")})
    if reason not in HideReason.values or reason == HideReason.FLAGS:
        raise ValidationError({"reason": _("Choose the reason the person will see.")})
    if user.pk == actor.pk or group.program_id in program_ids_where(user, Role.CLINICIAN, Role.ADMIN):
        raise ValidationError(_("Staff cannot be paused."))
    member = member_for(viewer=user, group=group)
    if member is None:
        raise ValidationError(_("This person is not in the group."))
    with transaction.atomic():
        member.muted_until = timezone.now() + timedelta(hours=hours)
        member.save(update_fields=["muted_until"])
        audit_record(
            actor=actor,
            action="community.member.muted",
            subject=user,
            obj=member,
            data={"group": group.pk, "hours": hours, "reason": reason},
        )
        _explain(
            actor=actor,
            post=None,
            person=user,
            group=group,
            kind=ModerationKind.MUTED,
            reason=reason,
            until=member.muted_until,
        )
    return member
