"""What a person reads on a rendered page, and the two things it must never contain: an internal
key (``intake.phq9.item9``, ``missed_checkins``) or, on a Spanish page, English left over."""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

# Read aloud by screen readers or shown on hover: part of what a person reads.
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
SKIPPED_TAGS = {"script", "style", "template", "noscript"}

# Dotted keys of three or more lowercase parts (``messaging.conversation.viewed``), dotted keys with
# a snake_case part (``safety.plan_review``), and bare snake_case words (``missed_checkins``). Not
# e-mail addresses, host names or paths (a part of those touches "@", "/" or "-").
KEY = re.compile(
    r"(?<![\w@/.:-])"
    r"(?:[a-z][a-z0-9]*(?:\.[a-z][a-z0-9_]*){2,}"
    r"|[a-z][a-z0-9_]*_[a-z0-9_]*\.[a-z][a-z0-9_]*|[a-z][a-z0-9]*\.[a-z][a-z0-9]*_[a-z0-9_]*"
    r"|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)"
    r"(?![\w@/-]|\.[a-z])"
)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def readable_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(" ".join(part.split()) for part in parser.parts)


def internal_keys(html: str) -> list[str]:
    return sorted(set(KEY.findall(readable_text(html))))


@cache
def english_sentences() -> frozenset[str]:
    """msgids of the Spanish catalogue whose Spanish differs: whole English sentences (four words
    or more, no placeholders) that must not appear on a Spanish page."""
    path = Path(settings.PACKAGE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
    from hearth.core.tests.test_translations import parse_po

    found = set()
    for entry in parse_po(path.read_text(encoding="utf-8")):
        msgid = entry.get("msgid", "")
        spanish = entry["msgstr"].get(0, "")
        if not msgid or not spanish or spanish == msgid or "%" in msgid or "{" in msgid or "<" in msgid:
            continue
        if len(msgid.split()) >= 4:
            found.add(" ".join(msgid.split()))
    return frozenset(found)


def english_left_over(html: str) -> list[str]:
    text = readable_text(html)
    return sorted(sentence for sentence in english_sentences() if sentence in text)


def menu_links(html: str) -> list[str]:
    """The hrefs of the menu (``nav.site-nav``), in order."""
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', nav.group(0)) if nav else []
