"""Every read in the community, scoped by the viewer. Groups belong to one program: a person sees only
the groups of programs where they are a participant, mentor or staff; invite-only groups only when
they are in them (or moderate them). Unknown and out-of-reach objects answer 404 alike."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from hearth.programs.models import STAFF_ROLES, Cohort, EnrolmentState, Membership, Program, Role
from hearth.programs.selectors import program_for_admin, program_ids_where, programs_for_admin
from hearth.scheduling.models import SOCIAL_KINDS
from hearth.scheduling.selectors import occurrence_for_viewer, occurrences_for_viewer

from .models import (
    AlumniAccess,
    Audience,
    CommunityPreference,
    CommunitySettings,
    DigestChoice,
    EventProposal,
    Flag,
    Group,
    GroupMember,
    JoinPolicy,
    MemberStatus,
    ModerationAction,
    Post,
    PostTerm,
    ProposalStatus,
    Reaction,
    ReactionKind,
    Thread,
    ThreadRead,
    Watch,
    WatchLevel,
)
from .search import digest, query_words

User = get_user_model()

COMMUNITY_ROLES = (Role.PARTICIPANT, Role.MENTOR, *STAFF_ROLES)
FAMILY_GROUP_ROLES = (Role.FAMILY, *STAFF_ROLES)
THREADS_PER_PAGE = 50
SEARCH_RESULTS = 30
EVENTS_DAYS_AHEAD = 60


def alumni_program_ids(user) -> set[int]:
    """Programs where the person keeps community access after care (an open alumni grant); cached on
    the user object for the request, like their roles."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_hearth_alumni", None)
    if cached is None:
        cached = frozenset(
            AlumniAccess.objects.filter(person=user, ended_at__isnull=True).values_list("program_id", flat=True)
        )
        user._hearth_alumni = cached
    return set(cached)


def is_alumnus(user) -> bool:
    return bool(alumni_program_ids(user))


def community_program_ids(user, audience: str = Audience.PARTICIPANTS) -> set[int]:
    """Programs whose groups for ``audience`` the person takes part in: participants' groups for
    participants, mentors and staff; family groups for family members and staff; alumni groups for
    alumni (an open grant) and staff."""
    if not user.is_authenticated:
        return set()
    if audience == Audience.ALUMNI:
        return program_ids_where(user, *STAFF_ROLES) | alumni_program_ids(user)
    return program_ids_where(user, *(FAMILY_GROUP_ROLES if audience == Audience.FAMILIES else COMMUNITY_ROLES))


def moderator_program_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return program_ids_where(user, *STAFF_ROLES)


def is_moderator_of(user, group: Group) -> bool:
    return group.program_id in moderator_program_ids(user)


def member_for(*, viewer, group: Group) -> GroupMember | None:
    return GroupMember.objects.filter(group=group, user=viewer).first()


def _visible_groups(viewer) -> QuerySet[Group]:
    mine = GroupMember.objects.filter(group=OuterRef("pk"), user=viewer).exclude(status=MemberStatus.LEFT)
    in_reach = (
        Q(audience=Audience.PARTICIPANTS, program_id__in=community_program_ids(viewer))
        | Q(audience=Audience.FAMILIES, program_id__in=community_program_ids(viewer, Audience.FAMILIES))
        | Q(audience=Audience.ALUMNI, program_id__in=community_program_ids(viewer, Audience.ALUMNI))
    )
    return Group.objects.filter(in_reach).filter(
        ~Q(join_policy=JoinPolicy.INVITE) | Q(program_id__in=moderator_program_ids(viewer)) | Q(Exists(mine))
    )


def _unread_q(viewer) -> Q:
    """Posts since the viewer last read the thread, unless they muted the thread (or its group with no
    thread setting of their own): muted means no unread marker either."""
    seen = ThreadRead.objects.filter(thread=OuterRef("pk"), user=viewer, read_at__gte=OuterRef("last_post_at"))
    thread_level = Watch.objects.filter(thread=OuterRef("pk"), user=viewer)
    thread_muted = thread_level.filter(level=WatchLevel.MUTED)
    group_muted = Watch.objects.filter(
        group=OuterRef("group_id"), thread__isnull=True, user=viewer, level=WatchLevel.MUTED
    )
    return ~Q(Exists(seen)) & ~Q(Exists(thread_muted)) & ~(Q(Exists(group_muted)) & ~Q(Exists(thread_level)))


def groups_for_viewer(*, viewer) -> QuerySet[Group]:
    """The viewer's groups and the ones they may join, each with their status and unread threads."""
    mine = GroupMember.objects.filter(group=OuterRef("pk"), user=viewer)
    unread = (
        Thread.objects.filter(group=OuterRef("pk"), hidden_at__isnull=True)
        .filter(_unread_q(viewer))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        _visible_groups(viewer)
        .annotate(
            my_status=Subquery(mine.values("status")[:1]),
            my_role=Subquery(mine.values("role")[:1]),
            my_watch=Subquery(
                Watch.objects.filter(group=OuterRef("pk"), thread__isnull=True, user=viewer).values("level")[:1]
            ),
            unread_threads=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
            member_count=Count("members", filter=Q(members__status=MemberStatus.ACTIVE), distinct=True),
        )
        .select_related("program")
        .order_by("program__name", "name", "pk")
    )


def group_for_viewer(*, viewer, group_id) -> Group:
    """A group the viewer may know of, with ``viewer_member`` and ``viewer_may_read`` set; or 404."""
    try:
        group = _visible_groups(viewer).select_related("program").get(pk=group_id)
    except (Group.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    member = member_for(viewer=viewer, group=group)
    group.viewer_member = member
    group.viewer_is_moderator = is_moderator_of(viewer, group)
    group.viewer_is_member = member is not None and member.status == MemberStatus.ACTIVE
    group.viewer_may_read = group.viewer_is_member or group.viewer_is_moderator
    group.viewer_watch = (
        Watch.objects.filter(group=group, thread__isnull=True, user=viewer).values_list("level", flat=True).first()
        or WatchLevel.NORMAL
    )
    return group


def threads_for_group(*, viewer, group: Group, limit: int = THREADS_PER_PAGE) -> list[Thread]:
    """Pinned first, then the most recently active; each marked unread or not for the viewer."""
    threads = Thread.objects.filter(group=group)
    if not is_moderator_of(viewer, group):
        threads = threads.filter(hidden_at__isnull=True)
    return list(
        threads.annotate(is_unread=_unread_q(viewer))
        .select_related("author")
        .order_by(
            Coalesce("pinned_at", Value(datetime.datetime.min.replace(tzinfo=datetime.UTC))).desc(),
            "-last_post_at",
            "-pk",
        )[:limit]
    )


def thread_for_reader(*, viewer, thread_id) -> Thread:
    """A thread in a group the viewer reads. A hidden thread stays visible to its author (to see why)
    and to moderators; everyone else gets 404."""
    try:
        thread = Thread.objects.select_related("group", "group__program", "author").get(pk=thread_id)
    except (Thread.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    group = group_for_viewer(viewer=viewer, group_id=thread.group_id)
    if not group.viewer_may_read:
        raise Http404
    if thread.hidden_at is not None and not (group.viewer_is_moderator or thread.author_id == viewer.pk):
        raise Http404
    thread.group = group
    thread.viewer_watch = Watch.objects.filter(thread=thread, user=viewer).values_list("level", flat=True).first() or ""
    return thread


POSTS_PER_PAGE = 20


def thread_page_for(*, thread: Thread, page=None, post_id=None) -> tuple[int, int]:
    """(page, pages) of a thread read 20 posts at a time: the page holding ``post_id`` (a post of this
    thread), else ``page`` brought into range; anything unreadable is the first page."""
    total = Post.objects.filter(thread=thread).count()
    pages = max(1, -(-total // POSTS_PER_PAGE))
    if post_id is not None:
        try:
            target = Post.objects.filter(thread=thread).values("created_at", "pk").get(pk=int(post_id))
        except (Post.DoesNotExist, ValueError, TypeError, OverflowError):
            target = None
        if target is not None:
            before = (
                Post.objects.filter(thread=thread)
                .filter(
                    Q(created_at__lt=target["created_at"]) | Q(created_at=target["created_at"], pk__lt=target["pk"])
                )
                .count()
            )
            return before // POSTS_PER_PAGE + 1, pages
    try:
        number = int(page)
    except (ValueError, TypeError, OverflowError):
        number = 1
    return min(max(number, 1), pages), pages


def posts_for_thread(*, viewer, thread: Thread, page: int = 1) -> list[Post]:
    """One page of a thread's posts in one query, with reaction counts and the viewer's own reactions;
    posts quoted from other pages in one more. The number of queries does not grow with the thread."""
    counts = {
        f"n_{kind}": Count("reactions", filter=Q(reactions__kind=kind), distinct=True) for kind in ReactionKind.values
    }
    mine = {
        f"mine_{kind}": Exists(Reaction.objects.filter(post=OuterRef("pk"), user=viewer, kind=kind))
        for kind in ReactionKind.values
    }
    start = (max(page, 1) - 1) * POSTS_PER_PAGE
    posts = list(
        Post.objects.filter(thread=thread)
        .select_related("author")
        .annotate(**counts, **mine)
        .order_by("created_at", "pk")[start : start + POSTS_PER_PAGE]
    )
    by_pk = {post.pk: post for post in posts}
    missing = {post.quote_id for post in posts if post.quote_id and post.quote_id not in by_pk}
    if missing:
        by_pk.update({p.pk: p for p in Post.objects.filter(thread=thread, pk__in=missing).select_related("author")})
    for post in posts:
        post.reaction_list = [
            {"kind": kind, "label": label, "count": getattr(post, f"n_{kind}"), "mine": getattr(post, f"mine_{kind}")}
            for kind, label in ReactionKind.choices
        ]
        # The quoted post is in the same thread, loaded with the page or just above: no query per quote.
        post.quoted = by_pk.get(post.quote_id) if post.quote_id else None
    return posts


def post_for_reader(*, viewer, post_id) -> Post:
    """A post in a thread the viewer may read, or 404."""
    try:
        thread_id = Post.objects.values_list("thread_id", flat=True).get(pk=post_id)
    except (Post.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    thread = thread_for_reader(viewer=viewer, thread_id=thread_id)
    post = Post.objects.select_related("author").get(pk=post_id)
    post.thread = thread
    return post


def flagged_posts_for_moderator(*, viewer) -> list[Post]:
    """The moderators' queue: posts with open flags in the viewer's programs, oldest flag first."""
    first_flag = Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True).order_by("created_at")
    posts = list(
        Post.objects.filter(open_flags__gt=0, thread__group__program_id__in=moderator_program_ids(viewer))
        .select_related("author", "thread", "thread__group")
        .annotate(first_flag_at=Subquery(first_flag.values("created_at")[:1]))
        .order_by("first_flag_at", "pk")
    )
    flags = Flag.objects.filter(post__in=posts, resolved_at__isnull=True).order_by("created_at")
    by_post: dict[int, list[Flag]] = {}
    for flag in flags:
        by_post.setdefault(flag.post_id, []).append(flag)
    for post in posts:
        post.open_flag_list = by_post.get(post.pk, [])
    return posts


def post_for_moderator(*, viewer, post_id) -> Post:
    try:
        return Post.objects.select_related("author", "thread", "thread__group").get(
            pk=post_id, thread__group__program_id__in=moderator_program_ids(viewer)
        )
    except (Post.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def revisions_for_moderator(*, viewer, post: Post):
    if not is_moderator_of(viewer, post.thread.group):
        raise Http404
    return post.revisions.all()


def pending_requests_for(*, viewer, group: Group) -> QuerySet[GroupMember]:
    if not may_manage_members(viewer, group):
        return GroupMember.objects.none()
    return GroupMember.objects.filter(group=group, status=MemberStatus.REQUESTED).select_related("user")


def may_manage_members(viewer, group: Group) -> bool:
    """Staff of the program and the group's facilitators answer requests to join."""
    if is_moderator_of(viewer, group):
        return True
    return GroupMember.objects.filter(group=group, user=viewer, status=MemberStatus.ACTIVE, role="facilitator").exists()


def member_request_for(*, viewer, member_id) -> GroupMember:
    try:
        member = GroupMember.objects.select_related("group", "user").get(pk=member_id)
    except (GroupMember.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if member.group.program_id not in community_program_ids(viewer, member.group.audience) or not may_manage_members(
        viewer, member.group
    ):
        raise Http404
    return member


def notices_for_person(*, viewer) -> QuerySet[ModerationAction]:
    """What moderators did about the viewer's posts or membership, and why."""
    return ModerationAction.objects.filter(person=viewer).select_related("group", "post", "post__thread")[:50]


# --- Social events (scheduling owns sessions, RSVPs and wait-lists) ---------------------------------


def social_events_for_viewer(*, viewer, now=None) -> list:
    """Upcoming social sessions on the viewer's calendar, with who is going (community names only)."""
    now = now or timezone.now()
    events = list(
        occurrences_for_viewer(viewer=viewer, start=now, end=now + datetime.timedelta(days=EVENTS_DAYS_AHEAD))
        .filter(kind__in=SOCIAL_KINDS, cancelled_at__isnull=True, starts_at__gt=now)
        .prefetch_related("rsvps__person")
    )
    for event in events:
        rsvps = list(event.rsvps.all())
        event.going = sorted(
            (r.person for r in rsvps if r.status == "going" and r.person.is_active),
            key=lambda person: (person.display_name.lower(), person.pk),
        )
        event.waitlisted_count = sum(1 for r in rsvps if r.status == "waitlisted")
        event.seats_left = None if event.capacity is None else max(event.capacity - len(event.going), 0)
    return events


def social_event_for_viewer(*, viewer, occurrence_id):
    occurrence = occurrence_for_viewer(viewer=viewer, occurrence_id=occurrence_id)
    if occurrence.kind not in SOCIAL_KINDS:
        raise Http404
    return occurrence


# --- Counts for program reports (reports sits above community and asks through here) ----------


def post_days_for_staff(*, viewer, program, people, since, until, tz) -> list[tuple[int, datetime.date, int]]:
    """(author id, local day, posts and replies) written in the program's groups by ``people`` (a
    queryset of user ids) between two instants; one grouped query. Staff of the program only
    (``viewer`` None is the reports' periodic job, which computes figures for no one to see); a
    deleted post does not count, a hidden one does (the person still reached out)."""
    if viewer is not None and program.pk not in program_ids_where(viewer, *STAFF_ROLES):
        raise Http404
    return list(
        Post.objects.filter(
            author__in=people,
            thread__group__program=program,
            deleted_at__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        )
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("author_id", "day")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("author_id", "day", "n")
    )


# --- mentions, watching and search -----------------------------------------------------------------


def group_reader_ids(*, group: Group, among=None) -> dict[int, str]:
    """People who can read the group now, id -> community name: its active members who still take part
    in the program, and the program's staff. Used to resolve @mentions and to tell watchers."""
    roles = FAMILY_GROUP_ROLES if group.audience == Audience.FAMILIES else COMMUNITY_ROLES
    in_program = Membership.objects.filter(program_id=group.program_id, ended_at__isnull=True, role__in=roles)
    # A participant whose care ended takes part no more (programs.selectors.roles_of).
    in_program = in_program.exclude(
        role=Role.PARTICIPANT, enrolment__state__in=(EnrolmentState.COMPLETED, EnrolmentState.DISCHARGED)
    )
    members = GroupMember.objects.filter(group=group, status=MemberStatus.ACTIVE).values("user_id")
    taking_part = in_program.values("user_id")
    if group.audience == Audience.ALUMNI:
        taking_part = AlumniAccess.objects.filter(program_id=group.program_id, ended_at__isnull=True).values(
            "person_id"
        )
    people = User.objects.filter(is_active=True).filter(
        Q(pk__in=in_program.filter(role__in=STAFF_ROLES).values("user_id"))
        | (Q(pk__in=members) & Q(pk__in=taking_part))
    )
    if among is not None:
        people = people.filter(pk__in=list(among))
    return {pk: name for pk, name in people.values_list("pk", "display_name") if name}


def watch_levels_for_thread(*, group: Group, thread: Thread) -> dict[int, str]:
    """Each person's chosen level for this thread: their thread setting, else their group setting.
    People with neither are normal and are not listed."""
    levels: dict[int, str] = {}
    rows = Watch.objects.filter(group=group).filter(Q(thread__isnull=True) | Q(thread=thread))
    for user_id, thread_id, level in rows.values_list("user_id", "thread_id", "level"):
        if thread_id is not None or user_id not in levels:
            levels[user_id] = level
    return levels


def _readable_groups(viewer) -> QuerySet[Group]:
    member = GroupMember.objects.filter(group=OuterRef("pk"), user=viewer, status=MemberStatus.ACTIVE)
    return _visible_groups(viewer).filter(Q(program_id__in=moderator_program_ids(viewer)) | Q(Exists(member)))


def search_for_viewer(*, viewer, query: str, limit: int = SEARCH_RESULTS) -> list[Thread]:
    """Threads in groups the viewer reads whose title or visible posts hold every word of the query.
    Titles are matched as text; post bodies only through the blind index (decision 34). Hidden threads
    and hidden or deleted posts are left out for everyone (moderators use the queue)."""
    terms = query_words(query if isinstance(query, str) else "")
    if not terms:
        return []
    threads = Thread.objects.filter(group__in=_readable_groups(viewer), hidden_at__isnull=True)
    for typed, term in terms:
        in_body = PostTerm.objects.filter(
            digest=digest(term),
            post__thread=OuterRef("pk"),
            post__deleted_at__isnull=True,
            post__hidden_at__isnull=True,
        )
        threads = threads.filter(Q(title__icontains=typed) | Q(title__icontains=term) | Q(Exists(in_body)))
    threads = threads.select_related("group", "author").annotate(is_unread=_unread_q(viewer))
    return list(threads.order_by("-last_post_at", "-pk")[:limit])


# --- per-program settings -------------------------------------------------------------------------


def auto_hide_flags_for(*, program_id: int) -> int:
    value = CommunitySettings.objects.filter(program_id=program_id).values_list("auto_hide_flags", flat=True).first()
    return CommunitySettings.DEFAULT_AUTO_HIDE_FLAGS if value is None else value


def settings_for_admin(*, viewer, program_id) -> CommunitySettings:
    """The program's settings (unsaved defaults when none were chosen), for its admins only; else 404."""
    try:
        program = program_for_admin(viewer=viewer, program_id=int(program_id))
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    return CommunitySettings.objects.filter(program=program).first() or CommunitySettings(program=program)


def programs_administered(*, viewer) -> list:
    return list(programs_for_admin(viewer=viewer))


def programs_moderated(*, viewer) -> list:
    return list(Program.objects.filter(pk__in=moderator_program_ids(viewer)).order_by("name", "pk"))


# --- event proposals -----------------------------------------------------------------------------


def proposals_of_viewer(*, viewer) -> list[EventProposal]:
    return list(EventProposal.objects.filter(proposer=viewer).select_related("occurrence").order_by("-created_at")[:20])


def proposals_for_staff(*, viewer) -> list[EventProposal]:
    """Ideas waiting in the programs the viewer works in as staff, oldest first, with the proposer."""
    return list(
        EventProposal.objects.filter(program_id__in=moderator_program_ids(viewer), status=ProposalStatus.PENDING)
        .select_related("proposer", "program")
        .order_by("created_at", "pk")
    )


def proposal_for_staff(*, viewer, proposal_id) -> EventProposal:
    try:
        return EventProposal.objects.select_related("proposer", "program").get(
            pk=proposal_id, program_id__in=moderator_program_ids(viewer)
        )
    except (EventProposal.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def proposal_programs_for(*, viewer) -> list:
    """Programs where the viewer may propose an event (participants and mentors)."""
    ids = program_ids_where(viewer, Role.PARTICIPANT, Role.MENTOR)
    return list(Program.objects.filter(pk__in=ids).order_by("name"))


def cohorts_for_staff(*, viewer) -> list:
    return list(Cohort.objects.filter(program_id__in=moderator_program_ids(viewer)).order_by("name", "pk"))


def unread_threads_for(*, viewer) -> int:
    """Threads with posts the viewer has not read, in the groups they are in and have not muted: the
    number behind the weekly summary (the same markers the groups page shows)."""
    return sum(g.unread_threads for g in groups_for_viewer(viewer=viewer) if g.my_status == MemberStatus.ACTIVE)


def digest_choice_for(*, viewer) -> str:
    value = CommunityPreference.objects.filter(user=viewer).values_list("digest", flat=True).first()
    return value or DigestChoice.INSTANT


# --- alumni ----------------------------------------------------------------------------------------

FINISHED_STATES = (EnrolmentState.COMPLETED, EnrolmentState.DISCHARGED)


def own_posts_for_viewer(*, viewer, limit: int = 100) -> list[Post]:
    """The viewer's own posts, newest first, with where they were written: an alumnus keeps their
    history. ``thread_readable`` says whether the thread is still open to them (else no link)."""
    readable = set(_readable_groups(viewer).values_list("pk", flat=True))
    posts = list(
        Post.objects.filter(author=viewer, deleted_at__isnull=True)
        .select_related("thread", "thread__group")
        .order_by("-created_at", "-pk")[:limit]
    )
    for post in posts:
        post.thread_readable = post.thread.group_id in readable and post.thread.hidden_at is None
    return posts


def alumni_for_staff(*, viewer, program_id) -> tuple[Program, list[AlumniAccess], list]:
    """A program's open alumni grants and the people who finished care there without one, for the
    program's staff; else 404."""
    try:
        program_id = int(program_id)
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    if program_id not in moderator_program_ids(viewer):
        raise Http404
    program = Program.objects.get(pk=program_id)
    grants = list(
        AlumniAccess.objects.filter(program=program, ended_at__isnull=True)
        .select_related("person", "granted_by")
        .order_by("-granted_at", "-pk")
    )
    granted = {grant.person_id for grant in grants}
    finished = (
        Membership.objects.filter(program=program, role=Role.PARTICIPANT, enrolment__state__in=FINISHED_STATES)
        .exclude(user_id__in=granted)
        .exclude(user__is_active=False)
        .select_related("user", "enrolment")
        .order_by("-enrolment__changed_at", "-pk")[:100]
    )
    return program, grants, list(finished)


def alumni_access_for(*, viewer, access_id) -> AlumniAccess:
    """An open grant the viewer may end: their own, or one in a program where they are staff."""
    try:
        access = AlumniAccess.objects.select_related("person", "program").get(pk=access_id, ended_at__isnull=True)
    except (AlumniAccess.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if access.person_id != viewer.pk and access.program_id not in moderator_program_ids(viewer):
        raise Http404
    return access


def own_alumni_access(*, viewer) -> list[AlumniAccess]:
    if not is_alumnus(viewer):
        return []
    return list(AlumniAccess.objects.filter(person=viewer, ended_at__isnull=True).select_related("program"))


def finished_participant_for_staff(*, viewer, program_id, person_id):
    """A person whose care in the program completed or was discharged, for the program's staff; else 404."""
    try:
        membership = (
            Membership.objects.select_related("user", "program")
            .filter(
                program_id=int(program_id),
                program_id__in=moderator_program_ids(viewer),
                user_id=int(person_id),
                role=Role.PARTICIPANT,
                enrolment__state__in=FINISHED_STATES,
            )
            .first()
        )
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    if membership is None:
        raise Http404
    return membership
