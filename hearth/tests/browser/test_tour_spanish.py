"""Issue 23 item 7: every page in each role's menu, on a 390px phone, in Spanish: nothing scrolls
sideways, no label is cut short, no English sentence is left over (and axe, CSP, the help button
on screen, as every visited page)."""

import pytest

from hearth.accounts.models import User
from hearth.tests.page_words import english_left_over, internal_keys

from .conftest import PHONE, session_cookie_for

pytestmark = pytest.mark.browser

ROLES = ["participant", "clinician", "admin", "mentor", "family_with_consent"]

# Elements whose words are a label (a name for a control or a section), and what cuts one short:
# hidden overflow or an ellipsis, with more text than room. Message previews are meant to be cut
# (the conversation holds the whole text), so they are not labels.
TRUNCATED_LABELS = """() => {
  const labels = document.querySelectorAll([
    'main a', 'main button', 'main label', 'main summary', 'main th', 'main h1', 'main h2', 'main h3',
    'main legend', 'main .tag', 'main .badge', '.site-header a', '.site-header summary', '.site-header button',
  ].join(', '));
  const cut = [];
  for (const el of labels) {
    // Previews are cut on purpose; screen-reader-only text is 1px wide on purpose.
    if (el.closest('.conversation-preview, .visually-hidden') || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
    if (clips && el.scrollWidth > el.clientWidth + 1) cut.push(el.tagName + ': ' + el.textContent.trim().slice(0, 60));
  }
  return cut;
}"""


@pytest.fixture
def spanish_sessions(world, live_server) -> dict:
    personas = world.personas()
    User.objects.filter(pk__in=[personas[role].pk for role in ROLES]).update(language="es")
    return {role: session_cookie_for(personas[role], live_server.url) for role in ROLES}


def test_every_menu_page_on_a_phone_in_spanish(spanish_sessions, open_tab):
    tab = open_tab(viewport=PHONE, locale="es-MX")
    page = tab.page
    problems = []
    pages = 0
    for role in ROLES:
        tab.use_session(spanish_sessions[role])
        tab.visit("/dashboard/", f"{role} dashboard (es)")
        tab.screenshot(f"tour-es-{role}-dashboard-phone")
        page.click(".nav-menu > summary")
        hrefs = page.eval_on_selector_all(".nav-menu a[href]", "links => links.map(a => a.getAttribute('href'))")
        assert hrefs, f"{role} has no menu"
        for href in hrefs:
            # visit() checks axe, CSP and that nothing scrolls sideways; the width is asserted here too.
            tab.visit(href, f"{role} {href} (es)")
            pages += 1
            assert page.get_attribute("html", "lang") == "es", href
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                problems.append(f"{role} {href}: {width[0]}px wide in a {width[1]}px window")
            if cut := page.evaluate(TRUNCATED_LABELS):
                problems.append(f"{role} {href}: labels cut short {cut}")
            html = page.content()
            if english := english_left_over(html):
                problems.append(f"{role} {href}: English left over {english}")
            if href != "/audit/" and (keys := internal_keys(html)):
                problems.append(f"{role} {href}: internal keys {keys}")
    assert pages > 30
    assert not problems, "\n".join(problems)
