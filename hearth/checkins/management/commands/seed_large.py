"""A big data set for benchmarks: participants with months of check-ins, groups with sessions and
attendance, clinicians with a caseload of 40 each, an enrolment and two PHQ-9s per participant.

    manage.py seed_large [--participants 5000] [--checkins 1000000] [--occurrences 50000]

Everything is written with bulk_create in batches, bypassing services on purpose (no audit
entries, signals or notifications: this is load, not history). Idempotent: people, memberships
and check-ins are keyed by unique constraints and inserted with ignore_conflicts; a group's
sessions are rebuilt only when their count is off; a complete data set is left alone.
All accounts use the reserved domain large.invalid and an unusable password.
"""

import datetime
import math
import random

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from hearth.accounts.models import ClinicalIdentity, User
from hearth.checkins.models import CheckIn, MeasureResponse, SleepQuality
from hearth.programs.models import Cohort, Enrolment, EnrolmentState, EnrolmentTransition, Membership, Program, Role
from hearth.scheduling.models import Attendance, AttendanceStatus, Occurrence, SessionKind

DOMAIN = "large.invalid"
CASELOAD = 40
GROUP_SIZE = 8
PER_PROGRAM = 1000
SESSION_TITLE = "Large group"
TIME_ZONE = "America/Chicago"


def participant_email(i: int) -> str:
    return f"p{i:05d}@{DOMAIN}"


def clinician_email(j: int) -> str:
    return f"c{j:04d}@{DOMAIN}"


class Command(BaseCommand):
    help = "Build (or complete) the large benchmark data set."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=5000)
        parser.add_argument("--checkins", type=int, default=1_000_000)
        parser.add_argument("--occurrences", type=int, default=50_000)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, participants, checkins, occurrences, batch, **options):
        self.batch = batch
        self.today = timezone.now().date()
        people = self._people(participants)
        self._checkins(people, checkins)
        self._sessions(people, occurrences)
        self._enrolments(people)
        # Fresh statistics: right after a bulk load PostgreSQL still plans for empty tables (the
        # caseload's attendance subquery took 400 ms instead of 9 ms before autovacuum caught up).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"seed_large: {len(people['participants'])} participants, "
            f"{CheckIn.objects.filter(person__email__endswith='@' + DOMAIN).count()} check-ins, "
            f"{Occurrence.objects.filter(title=SESSION_TITLE).count()} occurrences"
        )

    # --- people -----------------------------------------------------------------------------

    def _people(self, n: int) -> dict:
        n_programs = max(1, math.ceil(n / PER_PROGRAM))
        n_clinicians = max(1, math.ceil(n / CASELOAD))
        programs = []
        for p in range(n_programs):
            program, _created = Program.objects.get_or_create(
                slug=f"large-{p}", defaults={"name": f"Large program {p}", "time_zone": TIME_ZONE}
            )
            programs.append(program)
        unusable = "!large-seed"
        emails = [participant_email(i) for i in range(n)] + [clinician_email(j) for j in range(n_clinicians)]
        emails += [f"a{p}@{DOMAIN}" for p in range(n_programs)]
        for start in range(0, len(emails), self.batch):
            User.objects.bulk_create(
                [
                    User(
                        email=email, display_name=f"Large {email.split('@')[0]}", time_zone=TIME_ZONE, password=unusable
                    )
                    for email in emails[start : start + self.batch]
                ],
                ignore_conflicts=True,
            )
        by_email = dict(User.objects.filter(email__endswith="@" + DOMAIN).values_list("email", "pk"))
        ClinicalIdentity.objects.bulk_create(
            [ClinicalIdentity(user_id=pk, legal_name=f"Legal {email.split('@')[0]}") for email, pk in by_email.items()],
            ignore_conflicts=True,
            batch_size=self.batch,
        )
        cohorts = {}
        for i in range(0, n, GROUP_SIZE):
            program = programs[i // PER_PROGRAM]
            cohorts[i // GROUP_SIZE] = (program, f"Large group {i // GROUP_SIZE}")
        Cohort.objects.bulk_create(
            [Cohort(program=program, name=name) for program, name in cohorts.values()],
            ignore_conflicts=True,
            batch_size=self.batch,
        )
        cohort_ids = {
            (program_id, name): pk
            for pk, program_id, name in Cohort.objects.filter(program__in=programs).values_list(
                "pk", "program_id", "name"
            )
        }
        clinician_ids = [by_email[clinician_email(j)] for j in range(n_clinicians)]
        memberships = []
        for i in range(n):
            program, cohort_name = cohorts[i // GROUP_SIZE]
            memberships.append(
                Membership(
                    user_id=by_email[participant_email(i)],
                    program=program,
                    role=Role.PARTICIPANT,
                    cohort_id=cohort_ids[(program.pk, cohort_name)],
                    primary_clinician_id=clinician_ids[i // CASELOAD],
                )
            )
        for j, clinician_id in enumerate(clinician_ids):
            memberships.append(
                Membership(user_id=clinician_id, program=programs[(j * CASELOAD) // PER_PROGRAM], role=Role.CLINICIAN)
            )
        for p, program in enumerate(programs):
            memberships.append(Membership(user_id=by_email[f"a{p}@{DOMAIN}"], program=program, role=Role.ADMIN))
        Membership.objects.bulk_create(memberships, ignore_conflicts=True, batch_size=self.batch)
        staff_ids = clinician_ids + [by_email[f"a{p}@{DOMAIN}"] for p in range(n_programs)]
        with_mfa = set(Authenticator.objects.filter(user_id__in=staff_ids).values_list("user_id", flat=True))
        for user in User.objects.filter(pk__in=set(staff_ids) - with_mfa):
            TOTP.activate(user, generate_totp_secret())  # staff must have a second factor to reach pages
        return {
            "participants": [by_email[participant_email(i)] for i in range(n)],
            "clinicians": clinician_ids,
            "cohorts": cohort_ids,
            "groups": cohorts,
        }

    # --- check-ins --------------------------------------------------------------------------

    def _checkins(self, people: dict, total: int) -> None:
        ids = people["participants"]
        have = CheckIn.objects.filter(person_id__in=ids[:1]).count()
        per_person = max(1, total // len(ids))
        if have >= per_person and CheckIn.objects.filter(person_id=ids[-1]).count() >= per_person:
            return
        rows = []
        qualities = SleepQuality.values
        # Each check-in belongs to the person's program (the care team is per program).
        program_of = dict(
            Membership.objects.filter(user_id__in=ids, role=Role.PARTICIPANT).values_list("user_id", "program_id")
        )
        for index, person_id in enumerate(ids):
            rng = random.Random(person_id)  # noqa: S311 - synthetic data
            baseline = rng.randint(3, 8)
            for day in range(1, per_person + 1):
                # Most people skip some days; the most recent days are always there for the trends.
                mood = min(10, max(1, baseline + rng.randint(-2, 2)))
                rows.append(
                    CheckIn(
                        person_id=person_id,
                        program_id=program_of.get(person_id),
                        local_date=self.today - datetime.timedelta(days=day),
                        mood=mood,
                        craving=min(10, max(0, 9 - mood + rng.randint(-2, 2))),
                        sleep_hours=rng.choice((5, 6, 6.5, 7, 7.5, 8, 9)),
                        sleep_quality=rng.choice(qualities),
                        used=rng.random() < 0.01,
                        connections=["no_one"] if rng.random() < 0.2 else [rng.choice(("peer", "group", "family"))],
                    )
                )
            if len(rows) >= self.batch or index == len(ids) - 1:
                with transaction.atomic():
                    CheckIn.objects.bulk_create(rows, ignore_conflicts=True, batch_size=self.batch)
                rows = []

    # --- sessions and attendance ----------------------------------------------------------------

    def _sessions(self, people: dict, total: int) -> None:
        groups = people["groups"]
        per_group = max(1, total // max(1, len(groups)))
        members: dict[int, list[int]] = {}
        for i, person_id in enumerate(people["participants"]):
            members.setdefault(i // GROUP_SIZE, []).append(person_id)
        existing = {}
        for cohort_id, count in (
            Occurrence.objects.filter(title=SESSION_TITLE).values_list("cohort_id").order_by().annotate(n=Count("pk"))
        ):
            existing[cohort_id] = count
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        for group, (program, name) in groups.items():
            cohort_id = people["cohorts"][(program.pk, name)]
            if existing.get(cohort_id) == per_group:
                continue
            with transaction.atomic():
                Occurrence.objects.filter(title=SESSION_TITLE, cohort_id=cohort_id).delete()
                # Three sessions a week going back from today (the latest may be in this very week).
                starts = [
                    now - datetime.timedelta(hours=2) - datetime.timedelta(days=(k * 7) // 3) for k in range(per_group)
                ]
                created = Occurrence.objects.bulk_create(
                    [
                        Occurrence(
                            program=program,
                            kind=SessionKind.GROUP_THERAPY,
                            title=SESSION_TITLE,
                            starts_at=start,
                            ends_at=start + datetime.timedelta(hours=3),
                            cohort_id=cohort_id,
                        )
                        for start in starts
                    ]
                )
                rng = random.Random(cohort_id)  # noqa: S311 - synthetic data
                attendance = []
                for occurrence in created:
                    for person_id in members.get(group, []):
                        roll = rng.random()
                        status = (
                            AttendanceStatus.ABSENT
                            if roll < 0.08
                            else AttendanceStatus.EXCUSED
                            if roll < 0.12
                            else AttendanceStatus.PRESENT
                        )
                        attendance.append(
                            Attendance(
                                occurrence=occurrence,
                                person_id=person_id,
                                status=status,
                                minutes=180 if status == AttendanceStatus.PRESENT else 0,
                            )
                        )
                # In the same transaction as its sessions: an interrupted run never leaves a group
                # with sessions but no attendance (the count check above would then skip it).
                Attendance.objects.bulk_create(attendance, batch_size=self.batch)

    # --- enrolments and questionnaires (what the program report counts) -------------------------

    def _enrolments(self, people: dict) -> None:
        """Every participant admitted 1-200 days ago; about one in eight discharged and one in eight
        completed since; a PHQ-9 at admission and a later one. Skipped once the last person has one."""
        ids = people["participants"]
        memberships = dict(
            Membership.objects.filter(user_id__in=ids, role=Role.PARTICIPANT).values_list("user_id", "pk")
        )
        if Enrolment.objects.filter(membership_id=memberships[ids[-1]]).exists():
            return
        now = timezone.now()
        enrolments, moves, measures = [], {}, []
        for person_id in ids:
            rng = random.Random(person_id * 7919)  # noqa: S311 - synthetic data
            admitted = now - datetime.timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 23))
            path = [("", EnrolmentState.INTAKE, admitted - datetime.timedelta(days=2))]
            path.append((EnrolmentState.INTAKE, EnrolmentState.ACTIVE, admitted))
            roll = rng.random()
            if roll < 0.25 and (now - admitted).days > 10:
                left = admitted + datetime.timedelta(days=rng.randint(5, (now - admitted).days - 1))
                final = EnrolmentState.DISCHARGED if roll < 0.125 else EnrolmentState.COMPLETED
                path.append((EnrolmentState.ACTIVE, final, left))
            enrolments.append(Enrolment(membership_id=memberships[person_id], state=path[-1][1]))
            moves[memberships[person_id]] = path
            first = rng.randint(5, 24)
            for when, total in (
                (admitted, first),
                (now - datetime.timedelta(days=1), max(0, first - rng.randint(-3, 9))),
            ):
                measures.append(
                    MeasureResponse(
                        person_id=person_id,
                        measure="phq9",
                        instance_date=when.date(),
                        answers=[],
                        total=total,
                        band="",
                        level="ok",
                        submitted_at=when,
                    )
                )
        with transaction.atomic():
            Enrolment.objects.bulk_create(enrolments, ignore_conflicts=True, batch_size=self.batch)
            by_membership = dict(Enrolment.objects.filter(membership_id__in=moves).values_list("membership_id", "pk"))
            EnrolmentTransition.objects.bulk_create(
                [
                    EnrolmentTransition(enrolment_id=by_membership[m], from_state=a, to_state=b, at=at)
                    for m, path in moves.items()
                    for a, b, at in path
                ],
                batch_size=self.batch,
            )
            MeasureResponse.objects.bulk_create(measures, ignore_conflicts=True, batch_size=self.batch)
