"""Issue 23 in Chromium at phone width, in English and Spanish: the conversation list (item 1),
notifications that say what happened (item 3), a new participant's first day (item 5) and the
clinician's page about one person (item 4). Screenshots go to var/screenshots/first-hour-*.png."""

import datetime
import json
import re

import pytest
from django.test import TestCase
from django.utils import timezone

from hearth.messaging.models import Conversation, ConversationMember, Kind
from hearth.messaging.services import message_send, notice_delay_seconds, unread_notices_send
from hearth.scheduling.models import Occurrence, SessionKind
from hearth.scheduling.services import occurrence_move
from hearth.tests.factories import Role, UserFactory, grant_role

from .conftest import PHONE, session_cookie_for

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-US", "es": "es-MX"}
WORDS = {
    "en": {"role": "your clinician", "you": "You", "join": "Join now", "hide": "Done, hide this"},
    "es": {"role": "tu profesional clínico", "you": "Tú", "join": "Entrar ahora", "hide": "Listo, ocultar"},
}


def _session(world, minutes: int, title: str) -> Occurrence:
    starts = timezone.now() + datetime.timedelta(minutes=minutes)
    return Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GROUP_THERAPY,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        cohort=world.cohort,
    )


@pytest.fixture
def first_hour(world, live_server, language):
    """The participant's conversations (a private one with their clinician, the cohort's chat),
    notices about a message and a moved session, and a newcomer who joined today."""
    for person in (world.participant, world.clinician):
        person.language = language
        person.save(update_fields=["language"])
    direct = Conversation.objects.create(program=world.program, kind=Kind.DIRECT)
    group = Conversation.objects.create(program=world.program, kind=Kind.COHORT, title="Cohort A chat")
    for user in (world.participant, world.clinician):
        ConversationMember.objects.create(conversation=direct, user=user)
    for user in (world.participant, world.other_participant, world.clinician):
        ConversationMember.objects.create(conversation=group, user=user)
    message_send(actor=world.participant, conversation=group, client_msg_id="g1", body="Made it through the weekend.")
    message_send(actor=world.clinician, conversation=direct, client_msg_id="d1", body="Good to hear from you.")
    message_send(actor=world.clinician, conversation=direct, client_msg_id="d2", body="See you on Tuesday at 7.")
    later = timezone.now() + datetime.timedelta(seconds=notice_delay_seconds() + 1)
    tuesday = _session(world, 60 * 24 * 3, "Tuesday group")
    with TestCase.captureOnCommitCallbacks(execute=True):
        unread_notices_send(now=later)
        occurrence_move(
            actor=world.clinician, occurrence=tuesday, starts_at=tuesday.starts_at + datetime.timedelta(hours=1)
        )
    newcomer = UserFactory(display_name="Sofía" if language == "es" else "Ben", language=language)
    grant_role(newcomer, world.program, Role.PARTICIPANT, cohort=world.cohort, primary_clinician=world.clinician)
    soon = _session(world, 5, "Evening group")
    return {
        "direct": direct,
        "group": group,
        "soon": soon,
        "newcomer": newcomer,
        "participant": session_cookie_for(world.participant, live_server.url),
        "clinician": session_cookie_for(world.clinician, live_server.url),
        "newcomer_cookie": session_cookie_for(newcomer, live_server.url),
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_conversation_list_reads_like_a_messaging_app(first_hour, open_tab, language):
    words = WORDS[language]
    tab = open_tab(viewport=PHONE, locale=LOCALES[language], session=first_hour["participant"])
    direct, group = first_hour["direct"], first_hour["group"]
    # The page's socket: the greeting with the unread counts, then a new message in the cohort chat.
    frames = [
        {"v": 1, "type": "hello", "unread": {str(direct.pk): 2, str(group.pk): 0}},
        {
            "v": 1,
            "type": "message",
            "conversation": group.pk,
            "seq": 2,
            "client_msg_id": "live",
            "sender": {"id": 999999, "name": "Robin"},
            "body": "Anyone up for a walk?",
            "created_at": timezone.now().isoformat(),
            "edited": False,
            "deleted": False,
            "hidden": False,
            "reactions": {},
            "change": 0,
        },
    ]
    live = {"send": None}

    def chat_socket(ws):
        ws.send(json.dumps(frames[0]))
        live["send"] = lambda: ws.send(json.dumps(frames[1]))

    tab.page.context.route_web_socket(re.compile(r"/ws/chat/"), chat_socket)
    tab.visit("/messages/", "conversation list")
    page = tab.page
    rows = page.locator(".conversation-list li")
    assert rows.count() == 2
    first = rows.nth(0)
    # Newest first: the private conversation, titled by the clinician's community name and role.
    assert first.locator(".conversation-title").inner_text() == f"Clinician · {words['role']}"
    assert first.locator(".conversation-preview").inner_text() == "See you on Tuesday at 7."
    assert first.locator(f'[data-unread-for="{direct.pk}"]').inner_text().startswith("2")
    assert first.locator(".conversation-time").is_visible()
    second = rows.nth(1)
    assert "Cohort A chat" in second.locator(".conversation-title").inner_text()
    assert f"{words['you']}: Made it through the weekend." in second.locator(".conversation-preview").inner_text()
    assert "#" not in page.locator(".conversation-list").inner_text()
    tab.screenshot(f"first-hour-conversations-phone-{language}")
    # Live: the new message becomes the cohort chat's preview, its badge counts it, it moves to the top.
    page.wait_for_function("() => document.querySelector('[data-chat-list]').dataset.live === 'true'")
    live["send"]()
    page.wait_for_function(
        "id => document.querySelector('.conversation-list li [data-unread-for]').dataset.unreadFor === String(id)",
        arg=group.pk,
    )
    top = page.locator(".conversation-list li").nth(0)
    assert "Robin: Anyone up for a walk?" in top.locator(".conversation-preview").inner_text()
    assert top.locator(f'[data-unread-for="{group.pk}"]').inner_text().startswith("1")
    assert page.locator("[data-unread-total]").inner_text().startswith("3")
    tab.screenshot(f"first-hour-conversations-live-phone-{language}")


@pytest.mark.parametrize("language", ["en", "es"])
def test_notifications_say_what_happened(first_hour, open_tab, language):
    tab = open_tab(viewport=PHONE, locale=LOCALES[language], session=first_hour["participant"])
    tab.visit("/notifications/", "notifications")
    items = tab.page.locator("ul.notifications li a").all_inner_texts()
    if language == "en":
        assert "New message from Clinician" in items
        assert any(re.fullmatch(r"Tuesday group moved from \w+ .+ to \w+ .+", item) for item in items), items
    else:
        assert "Nuevo mensaje de Clinician" in items
        assert any(item.startswith("Tuesday group cambió de horario: antes ") for item in items), items
    assert not any("You have a new message in Hearth" in item for item in items)
    tab.screenshot(f"first-hour-notifications-phone-{language}")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_new_participants_first_day(first_hour, open_tab, language):
    words = WORDS[language]
    tab = open_tab(viewport=PHONE, locale=LOCALES[language], session=first_hour["newcomer_cookie"])
    tab.visit("/dashboard/", "newcomer dashboard")
    page = tab.page
    steps = page.locator("ol.next-steps > li")
    assert [steps.nth(i).get_attribute("data-step") for i in range(steps.count())] == [
        "profile",
        "intake",
        "checkin",
        "care_team",
        "family",
    ]
    # The session starting in five minutes: its room is open, one tap joins.
    join = page.get_by_role("link", name=words["join"])
    assert join.is_visible()
    assert join.get_attribute("href") == f"/video/{first_hour['soon'].pk}/"
    box = join.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
    tab.screenshot(f"first-hour-dashboard-newcomer-phone-{language}")
    # Put the profile step away: gone now, and still gone on the next visit.
    with page.expect_navigation():
        page.locator('li[data-step="profile"]').get_by_role("button", name=words["hide"]).click()
    tab.check("after hiding a step")
    assert page.locator('li[data-step="profile"]').count() == 0
    tab.visit("/dashboard/", "dashboard again")
    assert page.locator('li[data-step="profile"]').count() == 0
    assert page.locator('li[data-step="intake"]').count() == 1


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_clinicians_page_about_a_person(first_hour, world, open_tab, language):
    tab = open_tab(viewport=PHONE, locale=LOCALES[language], session=first_hour["clinician"])
    tab.visit(f"/people/{world.participant.pk}/", "person page")
    page = tab.page
    hrefs = page.eval_on_selector_all(".person-links a[href]", "links => links.map(a => a.getAttribute('href'))")
    pk = world.participant.pk
    for href in (f"/people/{pk}/checkins/", f"/people/{pk}/questionnaires/", f"/people/{pk}/attendance/"):
        assert href in hrefs, href
    assert page.locator(f'form[action="/intake/people/{pk}/send/"] button').is_visible()
    tab.screenshot(f"first-hour-person-page-phone-{language}")
