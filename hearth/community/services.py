"""Every write in the community. Each checks the actor, validates (translated ValidationError, nothing
changed), writes and audits in one transaction, and raises crisis signals or notifies on commit."""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hearth.audit.services import audit_record
from hearth.notifications.services import notify
from hearth.programs.models import STAFF_ROLES, Cohort, Membership, Role
from hearth.programs.selectors import program_ids_where
from hearth.safety.detection import Detection, detect
from hearth.safety.services import free_text_screen
from hearth.scheduling.models import SOCIAL_KINDS
from hearth.scheduling.services import occurrence_schedule

from .models import (
    AlumniAccess,
    Audience,
    CommunityPreference,
    CommunitySettings,
    DigestChoice,
    EventProposal,
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
    PostTerm,
    ProposalStatus,
    Reaction,
    ReactionKind,
    Thread,
    ThreadRead,
    Watch,
    WatchLevel,
)
from .search import digests
from .selectors import (
    COMMUNITY_ROLES,
    FAMILY_GROUP_ROLES,
    FINISHED_STATES,
    auto_hide_flags_for,
    community_program_ids,
    group_reader_ids,
    is_moderator_of,
    may_manage_members,
    member_for,
    unread_threads_for,
    watch_levels_for_thread,
)

logger = logging.getLogger(__name__)
User = get_user_model()

MAX_TITLE_CHARS = 120
MIN_TITLE_CHARS = 3
MAX_BODY_CHARS = 10_000
MAX_FLAG_NOTE_CHARS = 1000
# Flags that hide a post until a moderator looks, unless the program chose otherwise (CommunitySettings).
AUTO_HIDE_FLAGS = CommunitySettings.DEFAULT_AUTO_HIDE_FLAGS
AUTO_HIDE_RANGE = (2, 10)
# New-member limits, like trust levels in mature forums: the first day in the community.
NEW_MEMBER_HOURS = 24
NEW_MEMBER_THREADS = 2
NEW_MEMBER_POSTS = 10
MUTE_HOURS = (24, 72, 168)
# People one post can mention: enough for a real reply, too few to page a whole group.
MAX_MENTIONS = 10
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
        user, name = member.user, member.group.name

        def said():
            if approve:
                return _("You are now a member of the group %(group)s.") % {"group": name}
            return _("Your request to join the group %(group)s was not accepted this time.") % {"group": name}

        transaction.on_commit(lambda: notify(recipient=user, kind="community.group", url=url, text=said))
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
        _index(post, body, title=title)
        mentioned = _mentioned_ids(actor, group, body)
        audit_record(
            actor=actor,
            action="community.thread.created",
            subject=actor,
            obj=thread,
            data={"group": group.pk, "mentions": sorted(mentioned)},
        )
        _tell_followers(actor=actor, thread=thread, post=post, mentioned=mentioned, new_thread=True)
        crisis = _screen(actor, group, post, f"{title}. {body}")
    return PostResult(post=post, crisis=crisis)


def _quoted_post(thread: Thread, quote_id) -> Post | None:
    if quote_id in (None, ""):
        return None
    try:
        quoted = Post.objects.get(pk=int(quote_id), thread=thread)
    except (Post.DoesNotExist, ValueError, TypeError, OverflowError):
        quoted = None
    if quoted is None or not quoted.is_visible:
        raise ValidationError(_("The post you quoted is not available any more. Your reply was not posted yet."))
    return quoted


def post_reply(*, actor, thread: Thread, body: str, quote_id=None) -> PostResult:
    body = _clean_body(body)
    group = thread.group
    member = _require_poster(actor, group)
    quoted = _quoted_post(thread, quote_id)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.hidden_at is not None:
            raise ValidationError(_("This thread was hidden by a moderator, so it cannot get new replies."))
        _check_new_member_limits(actor, group, member, text=body, starting_thread=False)
        now = timezone.now()
        post = Post.objects.create(thread=locked, author=actor, body=body, created_at=now, quote=quoted)
        Thread.objects.filter(pk=locked.pk).update(last_post_at=now, reply_count=F("reply_count") + 1)
        ThreadRead.objects.update_or_create(thread=locked, user=actor, defaults={"read_at": now})
        _index(post, body)
        mentioned = _mentioned_ids(actor, group, body)
        audit_record(
            actor=actor,
            action="community.post.created",
            subject=actor,
            obj=post,
            data={"thread": thread.pk, "quote": quoted.pk if quoted else None, "mentions": sorted(mentioned)},
        )
        _tell_followers(actor=actor, thread=locked, post=post, mentioned=mentioned, new_thread=False)
        crisis = _screen(actor, group, post, body)
    return PostResult(post=post, crisis=crisis)


# --- search index, mentions and who hears about a post ----------------------------------------


def _index(post: Post, body: str, *, title: str = "") -> None:
    """Replace the post's blind-index rows with the digests of ``body`` ("" removes them). An opening
    post also carries its thread's title words, so "recaida" finds a thread titled "Recaída"."""
    PostTerm.objects.filter(post=post).delete()
    text = f"{title}\n{body}" if body else ""
    PostTerm.objects.bulk_create([PostTerm(post=post, digest=digest) for digest in digests(text)])


def search_index_rebuild() -> int:
    """Re-derive every post's digests (after SECRET_KEY changes, the old digests match nothing).
    Registered with rotate_encryption_keys; returns the number of posts indexed."""
    count = 0
    posts = Post.objects.filter(deleted_at__isnull=True).select_related("thread").order_by("pk")
    for post in posts.iterator(chunk_size=500):
        with transaction.atomic():
            _index(post, post.body, title=post.thread.title if post.is_opening else "")
        count += 1
    return count


def _mentioned_ids(actor, group: Group, body: str) -> set[int]:
    """People named as @display name who can read the group (members and the program's staff).
    Longest names first, so "@Sam Rivera" is not also read as "@Sam"."""
    if "@" not in body:
        return set()
    folded = body.casefold()
    readers = group_reader_ids(group=group)
    found: set[int] = set()
    taken: list[tuple[int, int]] = []
    for user_id, name in sorted(readers.items(), key=lambda item: -len(item[1])):
        handle = "@" + name.casefold()
        start = folded.find(handle)
        while start != -1:
            end = start + len(handle)
            boundary = end == len(folded) or not (folded[end].isalnum() or folded[end] == "_")
            if boundary and not any(a <= start < b for a, b in taken):
                taken.append((start, end))
                if user_id != actor.pk:
                    found.add(user_id)
                break
            start = folded.find(handle, end)
        if len(found) >= MAX_MENTIONS:
            break
    return found


def _tell_followers(
    *, actor, thread: Thread, post: Post, mentioned: set[int], new_thread: bool, edited: bool = False
) -> None:
    """On commit, one in-app notification per person: a mention, or news for people watching the group
    or thread (and, at the normal level, for the thread's author). Muted means nothing at all. An edit
    tells only the people it newly mentions."""
    levels = watch_levels_for_thread(group=thread.group, thread=thread)
    muted = {user_id for user_id, level in levels.items() if level == WatchLevel.MUTED}
    mention_to = mentioned - muted - {actor.pk}
    following = {user_id for user_id, level in levels.items() if level == WatchLevel.WATCHING}
    if not new_thread and thread.author_id and levels.get(thread.author_id, WatchLevel.NORMAL) == WatchLevel.NORMAL:
        following.add(thread.author_id)
    following -= mention_to | muted | {actor.pk}
    if edited:
        following = set()
    if following:
        following &= set(group_reader_ids(group=thread.group, among=following))
        # People who chose the weekly summary hear about these in it (mentions still come at once).
        following -= set(
            CommunityPreference.objects.filter(user_id__in=following, digest=DigestChoice.WEEKLY).values_list(
                "user_id", flat=True
            )
        )
    if not (mention_to or following):
        return
    url = reverse("community:thread_detail", args=[thread.pk]) + f"?post={post.pk}#post-{post.pk}"
    people = {person.pk: person for person in User.objects.filter(pk__in=mention_to | following, is_active=True)}

    words = {"name": actor.display_name or _("Someone"), "title": thread.title, "group": thread.group.name}

    def mention_text():
        if edited:
            return _("%(name)s mentioned you in an edited post in “%(title)s” (%(group)s).") % words
        return _("%(name)s mentioned you in “%(title)s” (%(group)s).") % words

    def activity_text():
        if new_thread:
            return _("%(name)s started “%(title)s” in %(group)s.") % words
        return _("%(name)s replied in “%(title)s” (%(group)s).") % words

    def send():
        for user_id, person in people.items():
            if user_id in mention_to:
                notify(recipient=person, kind="community.mention", url=url, text=mention_text)
            else:
                notify(recipient=person, kind="community.activity", url=url, text=activity_text)

    transaction.on_commit(send)


def watch_set(*, actor, group: Group, level: str, thread: Thread | None = None) -> Watch | None:
    """Set how much the actor hears about a group, or about one thread ("" on a thread: follow the
    group's setting again)."""
    if group.program_id not in community_program_ids(actor):
        raise PermissionDenied
    if thread is not None and thread.group_id != group.pk:
        raise PermissionDenied
    allowed = WatchLevel.values + ([""] if thread is not None else [])
    if level not in allowed:
        raise ValidationError({"level": _("Choose how much you want to hear.")})
    with transaction.atomic():
        if level == "":
            Watch.objects.filter(user=actor, thread=thread).delete()
            watch = None
        else:
            watch, _created = Watch.objects.update_or_create(
                user=actor, group=group, thread=thread, defaults={"level": level}
            )
        audit_record(
            actor=actor,
            action="community.watch.set",
            subject=actor,
            obj=thread or group,
            data={"group": group.pk, "thread": thread.pk if thread else None, "level": level or "group"},
        )
    return watch


def post_mark_helpful(*, actor, post: Post, helpful: bool) -> Post:
    """The thread's author, a facilitator or a moderator marks a reply as helpful (or takes it back)."""
    thread = post.thread
    group = thread.group
    member = member_for(viewer=actor, group=group)
    facilitator = member is not None and member.status == MemberStatus.ACTIVE and member.role == MemberRole.FACILITATOR
    if not (thread.author_id == actor.pk or facilitator or is_moderator_of(actor, group)):
        raise PermissionDenied
    if post.is_opening:
        raise ValidationError(_("Only replies can be marked as helpful."))
    if post.author_id == actor.pk:
        raise ValidationError(_("You cannot mark your own reply as helpful."))
    if not post.is_visible or thread.hidden_at is not None:
        raise ValidationError(_("This post is not available any more."))
    with transaction.atomic():
        post.helpful_at = timezone.now() if helpful else None
        post.helpful_by = actor if helpful else None
        post.save(update_fields=["helpful_at", "helpful_by"])
        audit_record(
            actor=actor,
            action="community.post.marked_helpful" if helpful else "community.post.unmarked_helpful",
            subject=post.author,
            obj=post,
        )
    return post


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
        before = _mentioned_ids(actor, group, locked.body)
        PostRevision.objects.create(post=locked, body=locked.body)
        locked.body = body
        locked.edited_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["body", "edited_at", "version"])
        _index(locked, body, title=locked.thread.title if locked.is_opening else "")
        audit_record(
            actor=actor, action="community.post.edited", subject=actor, obj=locked, data={"version": locked.version}
        )
        crisis = _screen(actor, group, locked, body)
        newly = _mentioned_ids(actor, group, body) - before
        if newly:
            _tell_followers(
                actor=actor, thread=locked.thread, post=locked, mentioned=newly, new_thread=False, edited=True
            )
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
        _index(post, "")
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

    def said():
        text = _("%(what)s in the group %(group)s.") % {"what": ModerationKind(kind).label, "group": group.name}
        if reason:
            text += " " + _("Reason: %(reason)s.") % {"reason": HideReason(reason).label}
        if until is not None:
            text += " " + _("You can post again after %(until)s.") % {
                "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")
            }
        return text

    transaction.on_commit(lambda: notify(recipient=person, kind="community.moderation", url=url, text=said))


def post_flag(*, actor, post: Post, reason: str, note: str = "") -> Flag:
    """Anyone who can read a post can ask moderators to look at it. After the program's number of people
    have (AUTO_HIDE_FLAGS unless its admins chose), the post is hidden until a moderator reviews it."""
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
        threshold = auto_hide_flags_for(program_id=locked.thread.group.program_id)
        if locked.open_flags >= threshold and locked.hidden_at is None:
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


# --- per-program settings ----------------------------------------------------------------------


def community_settings_update(*, actor, program, auto_hide_flags) -> CommunitySettings:
    """A program admin chooses after how many open flags a post is hidden pending review."""
    if program.pk not in program_ids_where(actor, Role.ADMIN):
        raise PermissionDenied
    low, high = AUTO_HIDE_RANGE
    if not isinstance(auto_hide_flags, int) or isinstance(auto_hide_flags, bool) or not low <= auto_hide_flags <= high:
        raise ValidationError(
            {"auto_hide_flags": _("Choose a number from %(low)d to %(high)d.") % {"low": low, "high": high}}
        )
    with transaction.atomic():
        settings_row, _created = CommunitySettings.objects.select_for_update().get_or_create(program=program)
        before = settings_row.auto_hide_flags
        settings_row.auto_hide_flags = auto_hide_flags
        settings_row.updated_at = timezone.now()
        settings_row.save(update_fields=["auto_hide_flags", "updated_at"])
        audit_record(
            actor=actor,
            action="community.settings.updated",
            obj=settings_row,
            data={"program": program.pk, "auto_hide_flags": [before, auto_hide_flags]},
        )
    return settings_row


# --- events people propose -------------------------------------------------------------------------

MAX_PENDING_PROPOSALS = 3
PROPOSAL_MAX_DESCRIPTION = 2000
PROPOSAL_MIN_NOTICE = timedelta(hours=24)
PROPOSAL_MAX_AHEAD = timedelta(days=90)
PROPOSAL_MINUTES = (15, 480)
PROPOSAL_CAPACITY = (2, 200)


def _int_between(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def event_propose(
    *, actor, program, kind: str, title: str, description: str, starts_at, minutes: int, capacity: int | None
) -> EventProposal:
    """A participant or mentor suggests a sober social event; the program's staff decide."""
    if program.pk not in program_ids_where(actor, Role.PARTICIPANT, Role.MENTOR):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not isinstance(kind, str) or kind not in SOCIAL_KINDS:
        errors["kind"] = _("Choose the kind of event.")
    try:
        title = _clean_title(title)
    except ValidationError as exc:
        errors.update({key: value[0] for key, value in exc.message_dict.items()})
    description = (description if isinstance(description, str) else "").strip()
    if len(description) > PROPOSAL_MAX_DESCRIPTION:
        errors["description"] = _("Keep the description under %(max)d characters.") % {"max": PROPOSAL_MAX_DESCRIPTION}
    now = timezone.now()
    if starts_at is None or timezone.is_naive(starts_at):
        errors["starts_at"] = _("Give a date and time.")
    elif not now + PROPOSAL_MIN_NOTICE <= starts_at <= now + PROPOSAL_MAX_AHEAD:
        errors["starts_at"] = _("Choose a time between tomorrow and 90 days from now, so staff can plan it.")
    if not isinstance(minutes, int) or not PROPOSAL_MINUTES[0] <= minutes <= PROPOSAL_MINUTES[1]:
        errors["minutes"] = _("An event lasts from 15 minutes to 8 hours.")
    if capacity is not None and (
        not isinstance(capacity, int) or not PROPOSAL_CAPACITY[0] <= capacity <= PROPOSAL_CAPACITY[1]
    ):
        errors["capacity"] = _("Room for 2 to 200 people, or leave it empty.")
    if errors:
        raise ValidationError(errors)
    pending = EventProposal.objects.filter(proposer=actor, status=ProposalStatus.PENDING).count()
    if pending >= MAX_PENDING_PROPOSALS:
        raise ValidationError(
            _("You have %(n)d ideas waiting for staff. Wait for an answer before proposing more.") % {"n": pending}
        )
    with transaction.atomic():
        proposal = EventProposal.objects.create(
            program=program,
            proposer=actor,
            kind=kind,
            title=title,
            description=description,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            capacity=capacity,
        )
        audit_record(actor=actor, action="community.event.proposed", subject=actor, obj=proposal)
        if program.pk in program_ids_where(actor, Role.PARTICIPANT):
            free_text_screen(
                person=actor, source="community.event_proposal", texts=[title, description], alerting_only=True
            )
        admins = list(
            User.objects.filter(
                memberships__program=program, memberships__role=Role.ADMIN, memberships__ended_at__isnull=True
            ).distinct()
        )
        url = reverse("community:events") + "#proposals"

        words = {"name": actor.display_name or _("Someone"), "title": proposal.title}

        def said():
            return _("%(name)s proposed a social event, “%(title)s”, for you to review.") % words

        def tell_admins():
            for admin in admins:
                notify(recipient=admin, kind="community.proposal", url=url, text=said)

        transaction.on_commit(tell_admins)
    return proposal


def event_proposal_decide(*, actor, proposal: EventProposal, approve: bool, cohort=None) -> EventProposal:
    """Staff approve (the event is scheduled for a cohort, the proposer hosting) or decline."""
    if proposal.program_id not in program_ids_where(actor, Role.CLINICIAN, Role.ADMIN):
        raise PermissionDenied
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError(_("This idea was already answered."))
    if approve and proposal.starts_at <= timezone.now():
        raise ValidationError(_("This idea's time has passed. Ask the person to propose a new time."))
    with transaction.atomic():
        locked = EventProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != ProposalStatus.PENDING:
            raise ValidationError(_("This idea was already answered."))
        if approve:
            if cohort is None:
                cohort = Cohort.objects.filter(
                    memberships__user_id=locked.proposer_id,
                    memberships__program_id=locked.program_id,
                    memberships__ended_at__isnull=True,
                ).first()
            elif cohort.program_id != locked.program_id:
                raise ValidationError({"cohort": _("Choose a cohort of this program.")})
            still_in = Membership.objects.filter(
                user_id=locked.proposer_id, program_id=locked.program_id, ended_at__isnull=True
            ).exists()
            scheduled = occurrence_schedule(
                actor=actor,
                program=locked.program,
                kind=locked.kind,
                title=locked.title,
                starts_at=locked.starts_at,
                ends_at=locked.ends_at,
                capacity=locked.capacity,
                hosts=[locked.proposer] if still_in else [],
                cohort=cohort,
                people=[] if cohort is not None else [locked.proposer],
            )
            locked.occurrence = scheduled.obj
        locked.status = ProposalStatus.APPROVED if approve else ProposalStatus.DECLINED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decided_at", "decided_by", "occurrence"])
        audit_record(
            actor=actor,
            action="community.event.approved" if approve else "community.event.declined",
            subject=locked.proposer,
            obj=locked,
            data={"occurrence": locked.occurrence_id},
        )
        proposer, title = locked.proposer, locked.title
        url = reverse("community:events") + "#proposals"

        def said():
            if approve:
                return _("Staff approved your event idea “%(title)s”; it is on the events page now.") % {"title": title}
            return _("Staff did not approve your event idea “%(title)s” this time.") % {"title": title}

        transaction.on_commit(lambda: notify(recipient=proposer, kind="community.proposal_decided", url=url, text=said))
    return locked


# --- digest ----------------------------------------------------------------------------------------

DIGEST_EVERY = timedelta(days=7)


def digest_set(*, actor, digest: str) -> CommunityPreference:
    """Instant news of watched groups and threads, or one weekly summary. The first summary comes a
    week after choosing it. Family members choose it for their family groups."""
    if not (community_program_ids(actor) or community_program_ids(actor, Audience.FAMILIES)):
        raise PermissionDenied
    if not isinstance(digest, str) or digest not in DigestChoice.values:
        raise ValidationError({"digest": _("Choose how often you want to hear.")})
    with transaction.atomic():
        preference, _created = CommunityPreference.objects.select_for_update().get_or_create(user=actor)
        if preference.digest != digest:
            preference.digest = digest
            preference.last_digest_at = timezone.now() if digest == DigestChoice.WEEKLY else None
            preference.save(update_fields=["digest", "last_digest_at"])
        audit_record(actor=actor, action="community.digest.chosen", subject=actor, data={"digest": digest})
    return preference


def digest_send_due(*, now=None) -> int:
    """The weekly summary for everyone whose week is up: one notification saying there are new posts
    (generic words, a link to the groups page that shows where), only when there are. Idempotent: a
    second run in the same week finds no one due. Returns the number sent."""
    now = now or timezone.now()
    due = CommunityPreference.objects.filter(
        digest=DigestChoice.WEEKLY, last_digest_at__lte=now - DIGEST_EVERY, user__is_active=True
    ).select_related("user")
    sent = 0
    url = reverse("community:group_list")
    for preference in due.iterator(chunk_size=200):
        person = preference.user
        with transaction.atomic():
            claimed = CommunityPreference.objects.filter(
                pk=preference.pk, last_digest_at=preference.last_digest_at
            ).update(last_digest_at=now)
            if not claimed:
                continue  # another worker took it
            unread = unread_threads_for(viewer=person)
            if unread:
                notify(
                    recipient=person,
                    kind="community.digest",
                    url=url,
                    text=lambda n=unread: (
                        ngettext(
                            "Your weekly summary: %(n)d thread in your groups has new posts.",
                            "Your weekly summary: %(n)d threads in your groups have new posts.",
                            n,
                        )
                        % {"n": n}
                    ),
                )
                audit_record(actor=None, action="community.digest.sent", subject=person, data={"threads": unread})
                sent += 1
    return sent


# --- alumni: community access after care -----------------------------------------------------------


def _alumni_granted_text(program_name: str):
    return lambda: (
        _(
            "The care team of %(program)s kept your place in the community: alumni groups, social events "
            "you are invited to and your own posts. Your care pages (check-ins, plans, messages, sessions) "
            "are closed now. You can stop this access yourself on the community page."
        )
        % {"program": program_name}
    )


def _alumni_ended_text(program_name: str):
    return lambda: (
        _(
            "The care team of %(program)s ended your alumni access to the community. Your posts stay as they "
            "were. To talk about it, call the program."
        )
        % {"program": program_name}
    )


def alumni_access_grant(*, actor, person, program) -> AlumniAccess:
    """Staff keep a person's community access after their care completed or was discharged: they
    join the program's open alumni groups at once and are told what they keep and what closes."""
    if program.pk not in program_ids_where(actor, *STAFF_ROLES):
        raise PermissionDenied
    memberships = Membership.objects.filter(user=person, program=program, role=Role.PARTICIPANT)
    if not memberships.filter(enrolment__state__in=FINISHED_STATES).exists():
        raise ValidationError(
            _("Community access after care is for people whose care here completed or was discharged.")
        )
    if memberships.filter(ended_at__isnull=True).exclude(enrolment__state__in=FINISHED_STATES).exists():
        raise ValidationError(_("This person is in care here again: they take part in the community as a participant."))
    if not person.is_active:
        raise ValidationError(_("This account is closed."))
    try:
        with transaction.atomic():
            access = AlumniAccess.objects.create(person=person, program=program, granted_by=actor)
            for group in Group.objects.filter(program=program, audience=Audience.ALUMNI, join_policy=JoinPolicy.OPEN):
                GroupMember.objects.update_or_create(
                    group=group,
                    user=person,
                    defaults={"status": MemberStatus.ACTIVE, "joined_at": timezone.now()},
                )
            audit_record(actor=actor, action="community.alumni.granted", subject=person, program=program, obj=access)
            url = reverse("community:group_list")
            text = _alumni_granted_text(program.name)
            transaction.on_commit(lambda: notify(recipient=person, kind="community.alumni", url=url, text=text))
    except IntegrityError:
        raise ValidationError(_("This person already keeps community access.")) from None
    person.__dict__.pop("_hearth_alumni", None)
    return access


def alumni_access_end(*, actor, access: AlumniAccess) -> AlumniAccess:
    """The program's staff end an alumnus's access, or the alumnus leaves. They leave the program's
    alumni groups; their posts stay. Staff tell the person why in words; leaving needs no notice."""
    by_self = actor.pk == access.person_id
    if not by_self and access.program_id not in program_ids_where(actor, *STAFF_ROLES):
        raise PermissionDenied
    with transaction.atomic():
        access = AlumniAccess.objects.select_for_update().select_related("person", "program").get(pk=access.pk)
        if access.ended_at is not None:
            raise ValidationError(_("This community access has already ended."))
        access.ended_at = timezone.now()
        access.ended_by = actor
        access.save(update_fields=["ended_at", "ended_by"])
        GroupMember.objects.filter(
            user=access.person, group__program=access.program_id, group__audience=Audience.ALUMNI
        ).exclude(status=MemberStatus.LEFT).update(status=MemberStatus.LEFT)
        audit_record(
            actor=actor,
            action="community.alumni.ended",
            subject=access.person,
            program=access.program_id,
            obj=access,
            data={"by_self": by_self},
        )
        if not by_self:
            person, url, text = access.person, reverse("home"), _alumni_ended_text(access.program.name)
            transaction.on_commit(lambda: notify(recipient=person, kind="community.alumni", url=url, text=text))
    access.person.__dict__.pop("_hearth_alumni", None)
    actor.__dict__.pop("_hearth_alumni", None)
    return access


def community_leave_for_ended_role(*, actor, membership) -> None:
    """programs' role-ended hook (a discharge, or a staff, mentor or family role ending): someone who
    no longer takes part in the program's participants' (or family) groups leaves them at once. An
    alumni grant, made by staff after care ends, is what lets a former participant back into the
    program's alumni groups."""
    person = membership.user
    person.__dict__.pop("_hearth_roles", None)
    if membership.role == Role.FAMILY:
        roles, audience = FAMILY_GROUP_ROLES, Audience.FAMILIES
    elif membership.role in COMMUNITY_ROLES:
        roles, audience = COMMUNITY_ROLES, Audience.PARTICIPANTS
    else:
        return
    if membership.program_id in program_ids_where(person, *roles):
        return  # still takes part through another role
    left = GroupMember.objects.filter(
        user=person, group__program=membership.program_id, group__audience=audience
    ).exclude(status=MemberStatus.LEFT)
    count = left.update(status=MemberStatus.LEFT)
    if count:
        audit_record(
            actor=actor,
            action="community.member.left_with_role",
            subject=person,
            program=membership.program_id,
            data={"groups": count, "role": membership.role},
        )
