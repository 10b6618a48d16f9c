"""Coping actions a person can tick in the check-in ("what helped today?"). Check-ins owns none of
them: apps above register their options in ``AppConfig.ready`` (the toolkit registers its
self-help tools), with an optional ``used_on(person, day) -> set of keys`` that pre-ticks what the
person already did that day in Hearth (a thought record written, a gratitude note)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CopingSource:
    options: tuple[tuple[str, object], ...]  # (key, label)
    used_on: Callable | None = None


_sources: list[CopingSource] = []


def coping_options_register(options, *, used_on=None) -> None:
    source = CopingSource(options=tuple(options), used_on=used_on)
    if source not in _sources:
        _sources.append(source)


def coping_choices() -> list[tuple[str, object]]:
    return [option for source in _sources for option in source.options]


def coping_labels(keys) -> list[str]:
    labels = dict(coping_choices())
    return [str(labels[key]) for key in keys if key in labels]


def coping_used_on(person, day) -> list[str]:
    used: set[str] = set()
    for source in _sources:
        if source.used_on is not None:
            used |= set(source.used_on(person, day))
    return sorted(used)
