"""The checks every browser test relies on do catch what they promise to catch."""

import pytest

pytestmark = pytest.mark.browser


def test_an_inline_script_is_refused_and_reported(tab, db):
    tab.visit("/help/crisis/")
    tab.page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.inlineRan = true';
            document.body.append(script);
        }"""
    )
    assert tab.page.evaluate("() => window.inlineRan === undefined"), "the CSP let an inline script run"
    with pytest.raises(AssertionError, match="Content Security Policy"):
        tab.check()


def test_an_axe_violation_fails_the_page(tab, db):
    tab.visit("/help/crisis/")
    tab.page.evaluate("() => document.querySelector('main a').textContent = ''")  # a link with no name
    with pytest.raises(AssertionError, match="link-name"):
        tab.check()
