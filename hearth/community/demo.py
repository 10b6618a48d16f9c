"""Demo community for ``manage.py seed_demo``: five support groups with a few weeks of threads and
replies in English and Spanish, reactions, a pinned welcome thread and one flagged post waiting in
the moderators' queue, and one alumnus (Rita, whose care completed) in the "Alumni" group.
Everything goes through the services (audit, crisis screening, limits).
Idempotent: a group that exists is left as it is."""

import datetime
import zoneinfo

from django.utils import timezone

from hearth.accounts import demo as accounts_demo
from hearth.accounts.models import User
from hearth.programs.models import EnrolmentState, Membership, Role
from hearth.programs.services import enrolment_open, enrolment_transition
from hearth.scheduling.models import SessionKind
from hearth.scheduling.services import occurrence_schedule

from .models import Audience, EventProposal, Group, JoinPolicy, MemberRole, Post, Thread
from .services import (
    alumni_access_grant,
    event_propose,
    group_create,
    group_leave,
    member_add,
    post_flag,
    post_mark_helpful,
    post_reply,
    reaction_toggle,
    thread_pin,
    thread_start,
    watch_set,
)

# (name, description, policy, member keys, [(author key, title, body, [(reply author, body), ...]), ...])
GROUPS = [
    (
        "Early recovery",
        "The first weeks and months: what helps, what is hard, and small wins.",
        JoinPolicy.OPEN,
        ["alex", "jordan", "kim", "marcus", "devon", "grace", "omar", "tess", "nina"],
        [
            (
                "mentor0",
                "Welcome: how this group works",
                "Hi all, I'm Sam, one of the peer mentors here. Share what helps, ask anything, and keep "
                "other people's stories in the group. If today is a hard day, the red Get help now button "
                "is always at the top.",
                [("alex", "Thanks Sam. Glad this exists."), ("jordan", "Hi everyone, new here this week.")],
            ),
            (
                "kim",
                "Mornings are the hardest part",
                "Anyone else find the first hour of the day the toughest? I have started making tea and "
                "sitting outside before I look at my phone.",
                [
                    ("marcus", "Same for me. A short walk before work has helped a lot."),
                    ("grace", "I keep a list of three things I'm doing today on the fridge."),
                    ("kim", "Love the list idea. Trying it tomorrow."),
                ],
            ),
            (
                "devon",
                "One month today",
                "Thirty days. Not perfect, but here. Thank you all for Tuesday nights.",
                [("tess", "So proud of you, Dev!"), ("omar", "Huge. Keep going.")],
            ),
        ],
    ),
    (
        "Parents in recovery",
        "Parenting while in recovery: routines, guilt, repair and support.",
        JoinPolicy.REQUEST,
        ["alex", "marcus", "ana"],
        [
            (
                "marcus",
                "Talking with kids about treatment",
                "My oldest asked why I have groups in the evening. How much did you tell your kids?",
                [
                    ("alex", "We kept it simple: I'm getting help to be healthier, and it's working."),
                    ("ana", "Yo les dije que estoy aprendiendo a cuidarme mejor. Lo entendieron."),
                ],
            ),
        ],
    ),
    (
        "MAT / medication-assisted",
        "For people using medication as part of recovery: questions, experiences and support.",
        JoinPolicy.OPEN,
        ["jordan", "omar", "nina", "tess"],
        [
            (
                "nina",
                "Side effects in the first weeks",
                "Week two on my medication. Sleep is a bit off. Did that settle for others?",
                [
                    ("omar", "It settled for me after about three weeks. Worth asking your prescriber too."),
                    ("jordan", "Same here, it got better. Hang in there."),
                ],
            ),
        ],
    ),
    (
        "Grupo en español",
        "Un espacio en español para compartir y apoyarnos entre sesiones.",
        JoinPolicy.OPEN,
        ["luis", "ana", "ray"],
        [
            (
                "luis",
                "Hoy cumplo dos semanas",
                "Dos semanas en el programa. Las tardes siguen siendo difíciles, pero el grupo me ayuda mucho.",
                [
                    ("ana", "¡Felicidades, Luis! Las tardes se hacen más fáciles, te lo prometo."),
                    ("ray", "Vamos paso a paso. Aquí estamos."),
                ],
            ),
            (
                "ray",
                "¿Qué hacen los fines de semana?",
                "Los sábados son largos para mí. ¿Alguien tiene ideas para llenar el día?",
                [("luis", "Yo voy al parque con mi hermano y cocinamos juntos.")],
            ),
        ],
    ),
    (
        "LGBTQ+",
        "A private group for LGBTQ+ participants and allies who are invited.",
        JoinPolicy.INVITE,
        ["jordan", "nina", "devon"],
        [
            (
                "jordan",
                "Finding sober queer spaces",
                "Looking for places to hang out that are not bars. What has worked for you?",
                [
                    ("nina", "There is a queer book club at the library on Thursdays."),
                    ("devon", "Climbing gym nights have been great for me."),
                ],
            ),
        ],
    ),
]
# Quote-replies that mention someone, and the reply the thread's author found helpful:
# (group, thread title, author, quoted reply's author, body, whether the thread's author marks it helpful)
CONVERSATIONS = [
    (
        "Early recovery",
        "Mornings are the hardest part",
        "nina",
        "grace",
        "@Grace the list on the fridge is such a good idea. @Kim T. I tried the tea outside too, it helps.",
        True,
    ),
    (
        "Grupo en español",
        "¿Qué hacen los fines de semana?",
        "ana",
        "luis",
        "@Luis cocinar juntos es buenísimo. @Ray, ¿te animas a la caminata del sábado?",
        True,
    ),
]
# Event ideas waiting for staff, in both languages: (proposer, kind, title, description, days ahead).
PROPOSALS = [
    ("luis", "mindfulness", "Caminata y café el sábado", "Una caminata tranquila por el parque y un café.", 9),
    ("kim", "game_night", "Puzzle and board game evening", "Bring a puzzle or a favourite game. Snacks on me.", 12),
]

# The family support group (#17 item 3): family members and partners only, led by a clinician;
# participants never see it, and its members never see the participants' groups.
FAMILY_GROUP = (
    "Family and friends",
    "For the people who love someone in the program: share what helps, ask, and look after yourself.",
    ["chris", "elena", "pat"],
    [
        (
            "chris",
            "What helped you stop arguing at home?",
            "We agreed to save the hard talks for our couples session. Some evenings it is still hard to "
            "hold my tongue. What works for you?",
            [
                ("pat", "I go for a short walk first. Ten minutes changes a lot."),
                ("elena", "Yo escribo lo que quiero decir y lo leo al día siguiente. Casi siempre lo cambio."),
            ],
        ),
        (
            "elena",
            "Cuidarme yo también",
            "Esta semana volví a mi clase de baile. Me di cuenta de que yo también necesito un descanso.",
            [("chris", "Good for you, Elena. The course module on self-care said the same.")],
        ),
    ],
)
# A reply in "Early recovery" that someone flagged: left for a moderator in the queue.
FLAGGED_REPLY = ("marcus", "Honestly the group rules here are pointless, nobody follows them anyway.")


def _person(people, key):
    if key.startswith("mentor"):
        return people.mentors[int(key[-1])]
    return people.participants[key]


def _seed_family_group(people, now) -> None:
    name, description, member_keys, threads = FAMILY_GROUP
    if Group.objects.filter(program=people.program, name=name).exists():
        return
    group = group_create(
        actor=people.admin, program=people.program, name=name, description=description, audience=Audience.FAMILIES
    )
    member_add(actor=people.admin, group=group, user=people.clinicians[0], role=MemberRole.FACILITATOR)
    for key in member_keys:
        member_add(actor=people.admin, group=group, user=people.family[key])
    for number, (author, title, body, replies) in enumerate(threads):
        opened = thread_start(actor=people.family[author], group=group, title=title, body=body)
        start = now - datetime.timedelta(days=6 - 3 * number)
        Post.objects.filter(pk=opened.post.pk).update(created_at=start)
        last = start
        for step, (reply_author, reply_body) in enumerate(replies, start=1):
            reply = post_reply(actor=people.family[reply_author], thread=opened.post.thread, body=reply_body)
            last = start + datetime.timedelta(hours=6 * step)
            Post.objects.filter(pk=reply.post.pk).update(created_at=last)
        Thread.objects.filter(pk=opened.post.thread.pk).update(created_at=start, last_post_at=last)


def seed(people) -> None:
    program, admin = people.program, people.admin
    now = timezone.now()
    _seed_family_group(people, now)
    for index, (name, description, policy, member_keys, threads) in enumerate(GROUPS):
        if Group.objects.filter(program=program, name=name).exists():
            continue
        group = group_create(actor=admin, program=program, name=name, description=description, join_policy=policy)
        member_add(
            actor=admin, group=group, user=people.mentors[index % len(people.mentors)], role=MemberRole.FACILITATOR
        )
        for key in member_keys:
            member_add(actor=admin, group=group, user=people.participants[key])
        for number, (author, title, body, replies) in enumerate(threads):
            opened = thread_start(actor=_person(people, author), group=group, title=title, body=body)
            thread = opened.post.thread
            # Spread the history over the last few weeks.
            start = now - datetime.timedelta(days=20 - 4 * index - 3 * number, hours=number)
            Post.objects.filter(pk=opened.post.pk).update(created_at=start)
            last = start
            for step, (reply_author, reply_body) in enumerate(replies, start=1):
                reply = post_reply(actor=_person(people, reply_author), thread=thread, body=reply_body)
                last = start + datetime.timedelta(hours=5 * step)
                Post.objects.filter(pk=reply.post.pk).update(created_at=last)
                reaction_toggle(actor=_person(people, author), post=reply.post, kind="thank_you")
            reaction_toggle(actor=people.participants[member_keys[0]], post=opened.post, kind="strength")
            Thread.objects.filter(pk=thread.pk).update(created_at=start, last_post_at=last)
            if author.startswith("mentor"):
                thread_pin(actor=admin, thread=thread, pinned=True)
            if name == "Early recovery" and number == 1:
                flagged = post_reply(actor=people.participants[FLAGGED_REPLY[0]], thread=thread, body=FLAGGED_REPLY[1])
                post_flag(actor=people.participants["grace"], post=flagged.post, reason="harmful")
            _conversation(people, group, thread, author)
    # Kim follows everything in Early recovery.
    early = Group.objects.filter(program=program, name="Early recovery").first()
    if early is not None:
        watch_set(actor=people.participants["kim"], group=early, level="watching")
    _propose_events(people, now)
    _seed_alumni(people, now)


# (key, legal name, display name, pronouns, language): finished the program months ago.
ALUMNUS = ("rita", "Margarita Gómez", "Rita", "she/her", "en")
ALUMNI_GROUP = (
    "Alumni",
    "For people who finished the program: staying connected, giving back and meet-ups.",
    "Five months out: what still helps",
    "Finished the evening program in the summer. What still helps me: the Tuesday walk, calling one person "
    "a day, and this group. Anyone want to plan a picnic?",
)
ALUMNI_PICNIC = "Alumni picnic and lawn games"
ALUMNI_REPLY = "Welcome back, Rita. A picnic sounds lovely; propose a date and we will help set it up."


def logins() -> list[str]:
    return [f"  alumnus       : {accounts_demo.email_for(ALUMNUS[0], 'participant')}  (care completed: community only)"]


def _seed_alumni(people, now) -> None:
    """Rita took part in the groups while in care, completed the program and kept community access."""
    name, description, title, body = ALUMNI_GROUP
    if Group.objects.filter(program=people.program, name=name).exists():
        return
    key, legal, display, pronouns, language = ALUMNUS
    clinician = people.clinicians[1]
    person = User.objects.filter(email=accounts_demo.email_for(key, "participant")).first()
    if person is None:
        person = accounts_demo.demo_person(key, "participant", legal, display, language, pronouns)
    User.objects.filter(pk=person.pk).update(date_joined=now - datetime.timedelta(days=160))
    person.refresh_from_db()
    membership = Membership.objects.create(
        user=person,
        program=people.program,
        role=Role.PARTICIPANT,
        cohort=people.cohorts[0],
        primary_clinician=clinician,
        started_at=now - datetime.timedelta(days=160),
    )
    enrolment = enrolment_open(actor=clinician, membership=membership)
    for state in (EnrolmentState.INTAKE, EnrolmentState.ACTIVE):
        enrolment = enrolment_transition(actor=clinician, enrolment=enrolment, to_state=state, reason="Demo history")
    # Her history from her time in care: a reply in Early recovery's welcome thread.
    early = Group.objects.filter(program=people.program, name="Early recovery").first()
    if early is not None:
        member_add(actor=people.admin, group=early, user=person)
        welcome = Thread.objects.filter(group=early, pinned_at__isnull=False).order_by("pk").first()
        if welcome is not None:
            old = post_reply(actor=person, thread=welcome, body="Week eight for me. It gets lighter, promise.")
            Post.objects.filter(pk=old.post.pk).update(created_at=now - datetime.timedelta(days=110))
        group_leave(actor=person, group=early)
    enrolment_transition(actor=clinician, enrolment=enrolment, to_state=EnrolmentState.COMPLETED, reason="Demo history")
    group = group_create(
        actor=people.admin, program=people.program, name=name, description=description, audience=Audience.ALUMNI
    )
    member_add(actor=people.admin, group=group, user=clinician, role=MemberRole.FACILITATOR)
    alumni_access_grant(actor=clinician, person=person, program=people.program)
    # The picnic the thread asks for: alumni are invited by name (their old cohort's events are not theirs).
    local = now.astimezone(zoneinfo.ZoneInfo(people.program.time_zone))
    picnic = (local + datetime.timedelta(days=11)).replace(hour=12, minute=0, second=0, microsecond=0)
    occurrence_schedule(
        actor=people.admin,
        program=people.program,
        kind=SessionKind.GAME_NIGHT,
        title=ALUMNI_PICNIC,
        starts_at=picnic,
        ends_at=picnic + datetime.timedelta(hours=3),
        capacity=20,
        hosts=[clinician],
        people=[person],
    )
    opened = thread_start(actor=person, group=group, title=title, body=body)
    reply = post_reply(actor=clinician, thread=opened.post.thread, body=ALUMNI_REPLY)
    start = now - datetime.timedelta(days=2)
    Post.objects.filter(pk=opened.post.pk).update(created_at=start)
    Post.objects.filter(pk=reply.post.pk).update(created_at=start + datetime.timedelta(hours=3))
    Thread.objects.filter(pk=opened.post.thread.pk).update(
        created_at=start, last_post_at=start + datetime.timedelta(hours=3)
    )


def _conversation(people, group, thread, opener_key) -> None:
    for group_name, title, author, quoted_author, body, helpful in CONVERSATIONS:
        if group.name != group_name or thread.title != title:
            continue
        quoted = (
            Post.objects.filter(thread=thread, author=_person(people, quoted_author), is_opening=False)
            .order_by("created_at")
            .first()
        )
        reply = post_reply(
            actor=people.participants[author], thread=thread, body=body, quote_id=quoted.pk if quoted else None
        )
        if helpful:
            post_mark_helpful(actor=_person(people, opener_key), post=reply.post, helpful=True)


def _propose_events(people, now) -> None:
    for key, kind, title, description, days in PROPOSALS:
        if EventProposal.objects.filter(program=people.program, title=title).exists():
            continue
        starts = (now + datetime.timedelta(days=days)).replace(hour=17, minute=0, second=0, microsecond=0)
        event_propose(
            actor=people.participants[key],
            program=people.program,
            kind=kind,
            title=title,
            description=description,
            starts_at=starts,
            minutes=120,
            capacity=12,
        )
