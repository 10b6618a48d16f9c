"""Issue 23 item 6: a list that can be empty says what will appear there and offers the next
action, in English and Spanish."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _cases(world):
    p = world.participant.pk
    return [
        # (persona, url, words that say what will appear, the next action's href or None)
        ("participant", reverse("conversation_list"), "Your group's chat appears here", reverse("conversation_new")),
        ("participant", reverse("scheduling:calendar"), "appear here, each with a way to join", None),
        ("participant", reverse("checkins:progress"), "Each daily check-in shows here", reverse("checkins:checkin")),
        ("participant", reverse("family_invite"), "People you invite appear here", None),
        ("clinician", reverse("checkins:person_checkins", args=[p]), "Each daily check-in shows here", None),
        ("clinician", reverse("checkins:person_measures", args=[p]), "Answers show here", "#schedule-heading"),
        ("clinician", reverse("scheduling:person_attendance", args=[p]), "fills in from the video room", None),
        ("clinician", reverse("scheduling:series_list"), "appear on everyone", reverse("scheduling:series_new")),
        ("clinician", reverse("outreach:queue"), "A task moves here once someone logs", None),
        ("clinician", reverse("moderation_queue"), "appears here for staff to hide it or keep it", None),
        (
            "clinician",
            reverse("person_detail", args=[p]),
            "Tasks appear here when",
            reverse("intake:send_to", args=[p]),
        ),
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_empty_lists_teach_what_will_appear_and_the_next_action(world, client_for, language):
    from django.utils import translation

    failures = []
    for persona, url, words, action in _cases(world):
        person = world.personas()[persona]
        person.language = language
        person.save(update_fields=["language"])
        response = client_for(person).get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        with translation.override(language):
            expected = _translated_containing(words)
        if not any(text in page for text in expected):
            failures.append(f"{persona} {url}: no {words!r} ({language})")
        if action and f'href="{action}' not in page and f'action="{action}' not in page:
            failures.append(f"{persona} {url}: no next action {action}")
    assert not failures, "\n".join(failures)


def _translated_containing(fragment: str) -> list[str]:
    """The active language's translations of every catalogue sentence that contains ``fragment``
    (a fragment of English cannot be translated alone). Only the sentence's first 30 characters
    are looked for: the rest may be split by the page's escaping of quotes."""
    from django.conf import settings
    from django.utils.html import escape
    from django.utils.translation import gettext

    from hearth.core.tests.test_translations import parse_po

    path = settings.PACKAGE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
    sentences = [e["msgid"] for e in parse_po(path.read_text(encoding="utf-8")) if fragment in e.get("msgid", "")]
    assert sentences, f"no sentence in the catalogue contains {fragment!r}"
    return [escape(gettext(s))[:30] for s in sentences]
