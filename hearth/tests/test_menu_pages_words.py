"""Issue 23 items 2 and 7: no page a persona reaches from their menu shows an internal key, in
English or Spanish; and a Spanish page has no English sentence left over."""

import pytest

from hearth.tests.page_words import english_left_over, internal_keys, menu_links, readable_text

pytestmark = pytest.mark.django_db

PERSONAS = ("participant", "clinician", "admin", "mentor", "family_with_consent")
# The one page where a dotted name is the thing itself: the admin's audit log, searched by
# "Action starts with" (a prefix of these names). Participants read the same entries in plain
# words ("Who viewed my record"), which this test covers.
KEYS_ARE_THE_POINT = {"/audit/"}


def _menu_pages(client):
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    links = menu_links(dashboard.content.decode())
    assert links, "no menu"
    yield "/dashboard/", dashboard
    for href in links:
        if href != "/dashboard/":
            yield href, client.get(href, follow=True)


def test_the_detector_finds_keys_and_spares_words():
    page = (
        "<main><p>Source: intake.phq9.item9</p><p>rule missed_checkins</p><p>safety.plan_review</p>"
        "<p>Write to sofia.participant@hearth.example or see /static/css/hearth.css.</p>"
        "<p>e.g. 1.5 hours, Dr. Priya, hearth.example</p><script>const x = 'a.b.c';</script></main>"
    )
    assert internal_keys(page) == ["intake.phq9.item9", "missed_checkins", "safety.plan_review"]
    assert "a.b.c" not in readable_text(page)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_menu_page_shows_an_internal_key(everyone, client_for, persona, language):
    person = everyone.personas()[persona]
    person.language = language
    person.save(update_fields=["language"])
    client = client_for(person)
    problems = []
    for href, response in _menu_pages(client):
        assert response.status_code == 200, f"{href} answered {response.status_code}"
        html = response.content.decode()
        if href not in KEYS_ARE_THE_POINT and (keys := internal_keys(html)):
            problems.append(f"{href}: {keys}")
        if language == "es" and (english := english_left_over(html)):
            problems.append(f"{href} (es) English left over: {english}")
    assert not problems, f"{persona} in {language}:\n" + "\n".join(problems)


def test_the_english_detector_finds_english_on_an_english_page(world, client_for):
    # The same page in English is full of the sentences the Spanish check looks for.
    html = client_for(world.participant).get("/dashboard/").content.decode()
    found = english_left_over(html)
    assert "Nothing new. We will let you know when something needs you." in found
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])
    assert english_left_over(client_for(world.participant).get("/dashboard/").content.decode()) == []
