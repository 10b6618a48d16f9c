"""The family course (CRAFT: Community Reinforcement and Family Training), kept as data in
``course/modules.yaml``: each module in English and Spanish, short, with one exercise."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

COURSE_FILE = Path(__file__).parent / "course" / "modules.yaml"


@dataclass(frozen=True)
class Module:
    slug: str
    number: int
    texts: dict  # language -> {"title", "summary", "body": [paragraphs], "exercise"}

    def text(self, language: str | None = None) -> dict:
        language = (language or get_language() or "en")[:2]
        return self.texts.get(language) or self.texts["en"]


@cache
def modules() -> tuple[Module, ...]:
    data = yaml.safe_load(COURSE_FILE.read_text(encoding="utf-8"))
    return tuple(
        Module(slug=item["slug"], number=number, texts={lang: item[lang] for lang in ("en", "es")})
        for number, item in enumerate(data["modules"], start=1)
    )


def module_by_slug(slug: str) -> Module | None:
    return next((m for m in modules() if m.slug == slug), None)
