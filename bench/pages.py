"""Page benchmark on the seed_large data: server time and queries per page.

    python -m bench.pages [--participants 5000] [--checkins 1000000] [--occurrences 50000]
                          [--requests 50] [--db var/bench/pages.sqlite3] [--out var/bench/pages.json]

Builds the data set if missing (manage.py seed_large is idempotent, so a second run reuses it),
then requests each page in-process through Django's test client as a signed-in person and
records the time from request to response (server time: no network, no browser) and the
number of SQL queries. Pages:

- clinician_dashboard: /dashboard/ for a clinician with a caseload of 40
- participant_home: /dashboard/ for a participant
- participant_progress: /progress/ for the same participant
- program_report: /reports/program/ for the clinician (their program, the last 12 weeks) as the
  periodic job leaves it (figures computed ahead, hearth.reports.tasks)
- program_report_live: the same page for a range the job does not compute, counted on request
- isolation_radar: /reports/isolation/ for the clinician
- group_thread_list: a community group's thread list (/community/groups/<id>/) for a participant in
  it, on ``manage.py seed_large_community`` (200 groups, 100,000 posts; --community-posts)
- thread_page: the same participant reading the group's 200-post thread (--long-thread)
- api_caseload: GET /api/v1/caseload?limit=100 with the clinician's bearer token (read:caseload)
- fhir_patient_export: GET /api/v1/fhir/Patient/{id}/$everything with the clinician's token
  (read:fhir) for the participant of their caseload with the most check-ins

The participant is given a toolkit first (once; idempotent): a days counter, goals with steps,
resource homework and a practice scene as homework, so participant_home renders every toolkit
section. ``--pages`` measures only the pages named (comma-separated).

Without BENCH_DATABASE_URL the data lives in an SQLite file (--db); with it, in that database
(a scratch PostgreSQL database). Writes {"pages": {NAME: {"p50_ms", "p95_ms", "queries"}}}.
Figures are printed and not asserted as timings.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup(db: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "hearth.config.settings.test"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{db}"
    os.environ.pop("REDIS_URL", None)
    # The API's per-token limit (120 a minute) would answer 429 to a long run.
    os.environ.setdefault("API_RATE_LIMIT", "1000000")
    db.parent.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(client, url: str, requests: int, headers: dict | None = None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = headers or {}
    for _ in range(2):  # warm-up: session bookkeeping, template and translation caches
        assert client.get(url, **headers).status_code == 200
    timings = []
    queries = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, **headers)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "queries": queries,
    }


def _participant_toolkit(participant) -> None:
    """Give the measured participant what a toolkit user has (once): a counter, goals, homework
    (resources and a practice scene), so the home page renders every toolkit section."""
    import datetime

    from hearth.checkins.services import local_today
    from hearth.practice.models import Scene
    from hearth.practice.services import assignment_create as scene_assign
    from hearth.practice.services import scenes_load, shipped_scene_paths
    from hearth.programs.models import Membership, Role
    from hearth.toolkit.models import Goal, Resource
    from hearth.toolkit.services import assignment_create, counter_start, goal_create

    if Goal.objects.filter(person=participant).exists():
        return
    membership = Membership.objects.filter(user=participant, role=Role.PARTICIPANT, ended_at__isnull=True).first()
    clinician = Membership.objects.filter(program_id=membership.program_id, role=Role.CLINICIAN).first().user
    today = local_today(participant)
    counter_start(actor=participant, start_date=today - datetime.timedelta(days=45))
    for n in range(5):
        goal_create(actor=participant, title=f"Goal {n}", steps=[f"Step {i}" for i in range(5)])
    for n, resource in enumerate(Resource.objects.filter(program__isnull=True, language="en")):
        assignment_create(
            actor=clinician, resource=resource, person=participant, due_date=today + datetime.timedelta(days=n + 2)
        )
    scenes_load(paths=shipped_scene_paths())
    scene_assign(
        actor=clinician,
        person=participant,
        scene=Scene.objects.get(program__isnull=True, slug="work-party"),
        due_on=today + datetime.timedelta(days=1),
    )


def _community_pages():
    """A participant in care who is a member of the first large community group, that group's page
    and its long thread's page."""
    from hearth.community.management.commands.seed_large_community import LONG_THREAD_TITLE, group_name
    from hearth.community.models import Group, GroupMember, MemberStatus, Thread
    from hearth.programs.models import EnrolmentState, Membership, Role

    group = Group.objects.get(name=group_name(0), program__slug__startswith="large-")
    thread = Thread.objects.get(group=group, title=LONG_THREAD_TITLE)
    in_care = Membership.objects.filter(role=Role.PARTICIPANT, program=group.program).exclude(
        enrolment__state__in=(EnrolmentState.COMPLETED, EnrolmentState.DISCHARGED)
    )
    member = (
        GroupMember.objects.filter(group=group, status=MemberStatus.ACTIVE, user_id__in=in_care.values("user_id"))
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    return member, f"/community/groups/{group.pk}/", f"/community/threads/{thread.pk}/"


API_SCOPES = {"api_caseload": "read:caseload", "fhir_patient_export": "read:fhir"}


def _everything_url(clinician) -> str:
    """$everything for the participant of the clinician's caseload with the most check-ins."""
    from django.db.models import Count

    from hearth.checkins.models import CheckIn
    from hearth.programs.models import Membership, Role

    caseload = Membership.objects.filter(primary_clinician=clinician, role=Role.PARTICIPANT, ended_at__isnull=True)
    busiest = (
        CheckIn.objects.filter(person_id__in=caseload.values("user_id"))
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "person_id")
        .first()
    )
    person_id = busiest["person_id"] if busiest else caseload.values_list("user_id", flat=True).first()
    return f"/api/v1/fhir/Patient/{person_id}/$everything"


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--checkins", type=int, default=1_000_000)
    parser.add_argument("--occurrences", type=int, default=50_000)
    parser.add_argument("--community-groups", type=int, default=200)
    parser.add_argument("--community-posts", type=int, default=100_000)
    parser.add_argument("--long-thread", type=int, default=200)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench" / "pages.sqlite3")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "pages.json")
    args = parser.parse_args(argv)
    _setup(args.db)

    from django.core.management import call_command
    from django.test import Client

    from hearth.accounts.models import User
    from hearth.checkins.management.commands.seed_large import clinician_email, participant_email

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command(
        "seed_large",
        participants=args.participants,
        checkins=args.checkins,
        occurrences=args.occurrences,
        stdout=sys.stderr,
    )
    call_command(
        "seed_large_community",
        groups=args.community_groups,
        posts=args.community_posts,
        long_thread=args.long_thread,
        stdout=sys.stderr,
    )
    seed_seconds = time.perf_counter() - started

    clinician = User.objects.get(email=clinician_email(0))
    # A participant in care in the middle of the data set (not the first rows of any table); one
    # whose care completed or was discharged has no participant pages.
    from hearth.programs.models import EnrolmentState

    participant = (
        User.objects.filter(
            email__gte=participant_email(args.participants // 2),
            email__lt=participant_email(args.participants),
            memberships__role="participant",
        )
        .exclude(
            memberships__enrolment__state__in=(EnrolmentState.COMPLETED, EnrolmentState.DISCHARGED),
        )
        .order_by("email")
        .first()
    )
    _participant_toolkit(participant)
    wanted = {name for name in args.pages.split(",") if name}
    pages = {}
    from hearth.programs.models import Membership, Role
    from hearth.reports.services import report_snapshot_refresh

    # The report's default view is computed ahead by a job: refresh it as the job would.
    program = Membership.objects.filter(user=clinician, role=Role.CLINICIAN).first().program
    report_snapshot_refresh(actor=None, program=program)
    # The default range minus its last day: not the view the job computes, so counted on request.
    snapshot = program.report_snapshot
    end = snapshot.end - datetime.timedelta(days=1)
    live = f"/reports/program/?program={program.pk}&start={snapshot.start}&end={end}"
    member, group_url, thread_url = _community_pages()
    for person, name, url in (
        (clinician, "api_caseload", "/api/v1/caseload?limit=100"),
        (clinician, "fhir_patient_export", _everything_url(clinician)),
        (clinician, "clinician_dashboard", "/dashboard/"),
        (clinician, "program_report", "/reports/program/"),
        (clinician, "program_report_live", live),
        (clinician, "isolation_radar", "/reports/isolation/"),
        (participant, "participant_home", "/dashboard/"),
        (participant, "participant_progress", "/progress/"),
        (member, "group_thread_list", group_url),
        (member, "thread_page", thread_url),
    ):
        if wanted and name not in wanted:
            continue
        client = Client()
        if name in API_SCOPES:
            # Bearer only: the API never reads the session cookie.
            from hearth.api.services import api_token_create

            _token, raw = api_token_create(
                actor=person, name=f"bench {name}", scopes=[API_SCOPES[name]], expires_in_days=7
            )
            pages[name] = measure(client, url, args.requests, {"HTTP_AUTHORIZATION": f"Bearer {raw}"})
            continue
        client.force_login(person)
        pages[name] = measure(client, url, args.requests)
    from django.db import connection

    report = {
        "pages": pages,
        "data": {
            "participants": args.participants,
            "checkins": args.checkins,
            "occurrences": args.occurrences,
            "community_groups": args.community_groups,
            "community_posts": args.community_posts,
            "long_thread_posts": args.long_thread,
            "caseload": 40,
            "database": connection.vendor,
        },
        "requests_per_page": args.requests,
        "seed_seconds": round(seed_seconds, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
