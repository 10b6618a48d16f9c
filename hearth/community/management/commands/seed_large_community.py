"""The community's part of the large benchmark data set, on top of ``manage.py seed_large`` (run it
first: this command uses its programs and participants).

    manage.py seed_large_community [--groups 200] [--posts 100000] [--long-thread 200]

Groups of 30 participants each across the large programs; threads of 2-20 posts (an opening post and
replies) spread over the last 60 days, with reactions; and in the first group one thread of
``--long-thread`` posts (the bench's thread page). Like seed_large, everything is written with
bulk_create, bypassing services on purpose (no audit, screening, search index or notifications: this is
load, not history). Idempotent: groups and members are keyed by unique constraints; when the groups'
post count is already right nothing more is done, otherwise their threads are rebuilt.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from hearth.checkins.management.commands.seed_large import DOMAIN
from hearth.community.models import Group, GroupMember, MemberRole, Post, Reaction, ReactionKind, Thread
from hearth.programs.models import Membership, Program, Role

GROUP_PREFIX = "Large community"
GROUP_MEMBERS = 30
LONG_THREAD_TITLE = "Large long thread"
DAYS = 60


def group_name(index: int) -> str:
    return f"{GROUP_PREFIX} {index}"


class Command(BaseCommand):
    help = "Build (or complete) the community's part of the large benchmark data set."

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=int, default=200)
        parser.add_argument("--posts", type=int, default=100_000)
        parser.add_argument("--long-thread", type=int, default=200)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, groups, posts, long_thread, batch, **options):
        self.batch = batch
        programs = list(Program.objects.filter(slug__startswith="large-").order_by("pk"))
        if not programs:
            raise CommandError("Run manage.py seed_large first: the community goes into its programs.")
        made = self._groups(programs, groups)
        members = self._members(made)
        self._threads(made, members, posts, long_thread)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        in_groups = Post.objects.filter(thread__group__in=[g.pk for g in made]).count()
        self.stdout.write(f"seed_large_community: {len(made)} groups, {in_groups} posts")

    def _groups(self, programs: list, n: int) -> list[Group]:
        Group.objects.bulk_create(
            [Group(program=programs[i % len(programs)], name=group_name(i)) for i in range(n)],
            ignore_conflicts=True,
        )
        by_name = {g.name: g for g in Group.objects.filter(program__in=programs, name__startswith=GROUP_PREFIX)}
        return [by_name[group_name(i)] for i in range(n)]

    def _members(self, groups: list[Group]) -> dict[int, list[int]]:
        """Each group's 30 members: participants of its program, a different slice per group."""
        people: dict[int, list[int]] = {}
        for program_id, user_id in (
            Membership.objects.filter(
                program_id__in={g.program_id for g in groups},
                role=Role.PARTICIPANT,
                user__email__endswith="@" + DOMAIN,
            )
            .order_by("pk")
            .values_list("program_id", "user_id")
        ):
            people.setdefault(program_id, []).append(user_id)
        members: dict[int, list[int]] = {}
        rows = []
        for index, group in enumerate(groups):
            pool = people.get(group.program_id, [])
            if not pool:
                continue
            start = (index * 7) % len(pool)
            chosen = [pool[(start + k) % len(pool)] for k in range(min(GROUP_MEMBERS, len(pool)))]
            members[group.pk] = chosen
            rows += [GroupMember(group=group, user_id=user_id) for user_id in chosen]
        GroupMember.objects.bulk_create(rows, ignore_conflicts=True, batch_size=self.batch)
        # A facilitator per group: the program's first clinician (staff moderate anyway).
        clinicians = dict(
            Membership.objects.filter(program_id__in={g.program_id for g in groups}, role=Role.CLINICIAN)
            .order_by("-pk")
            .values_list("program_id", "user_id")
        )
        GroupMember.objects.bulk_create(
            [
                GroupMember(group=g, user_id=clinicians[g.program_id], role=MemberRole.FACILITATOR)
                for g in groups
                if g.program_id in clinicians
            ],
            ignore_conflicts=True,
            batch_size=self.batch,
        )
        return members

    def _threads(self, groups: list[Group], members: dict[int, list[int]], total: int, long_thread: int) -> None:
        group_ids = [g.pk for g in groups]
        if Post.objects.filter(thread__group_id__in=group_ids).count() == total:
            return
        rng = random.Random(20261202)  # noqa: S311 - synthetic data
        now = timezone.now()
        # Thread sizes: the long one first, then 2-20 posts each until the total is reached.
        sizes: list[tuple[int, int]] = [(0, min(long_thread, total))]
        left = total - sizes[0][1]
        index = 0
        while left > 0:
            size = min(left, rng.randint(2, 20))
            sizes.append((index % len(groups), size))
            left -= size
            index += 1
        with transaction.atomic():
            Thread.objects.filter(group_id__in=group_ids).delete()
            plans = []
            threads = []
            for number, (group_index, size) in enumerate(sizes):
                group = groups[group_index]
                people = members.get(group.pk) or [None]
                opened = now - datetime.timedelta(minutes=rng.randint(60, DAYS * 24 * 60))
                times = sorted(
                    opened + datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 3)) for _ in range(size - 1)
                )
                times = [opened, *(min(t, now) for t in times)]
                authors = [rng.choice(people) for _ in range(size)]
                title = LONG_THREAD_TITLE if number == 0 else f"Large thread {number}"
                threads.append(
                    Thread(
                        group=group,
                        author_id=authors[0],
                        title=title,
                        created_at=times[0],
                        last_post_at=times[-1],
                        reply_count=size - 1,
                    )
                )
                plans.append((times, authors))
            Thread.objects.bulk_create(threads, batch_size=self.batch)
            # bulk_create sets primary keys on PostgreSQL and on SQLite ≥ 3.35.
            reactions_for: list[tuple[int, int]] = []
            rows: list[Post] = []
            for thread, (times, authors) in zip(threads, plans, strict=True):
                for k, (at, author) in enumerate(zip(times, authors, strict=True)):
                    rows.append(
                        Post(
                            thread=thread,
                            author_id=author,
                            body=f"Post {k} of a large thread: what helped this week, and what was hard.",
                            is_opening=k == 0,
                            created_at=at,
                        )
                    )
                if len(rows) >= self.batch:
                    Post.objects.bulk_create(rows, batch_size=self.batch)
                    reactions_for += [(p.pk, p.author_id) for p in rows]
                    rows = []
            Post.objects.bulk_create(rows, batch_size=self.batch)
            reactions_for += [(p.pk, p.author_id) for p in rows]
            # About one post in four gets a reaction or two from people of its group.
            pool = [user_id for chosen in members.values() for user_id in chosen[:5]] or [None]
            kinds = ReactionKind.values
            reactions = []
            for post_id, _author in reactions_for:
                if rng.random() < 0.25:
                    for kind in rng.sample(kinds, rng.randint(1, 2)):
                        reactions.append(Reaction(post_id=post_id, user_id=rng.choice(pool), kind=kind))
            Reaction.objects.bulk_create(reactions, ignore_conflicts=True, batch_size=self.batch)
