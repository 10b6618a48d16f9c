"""Homework that is something to do in another app (a practice scene) rather than a resource to
read. Apps above the toolkit register a kind of activity in their ``AppConfig.ready``: how to name
a batch of them in a language and where the participant does them. The toolkit stores only the
kind and the id, and the registering app marks the homework done through
``services.activity_homework_complete`` when the person finishes it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ActivityView:
    title: str
    url: str


@dataclass(frozen=True)
class ActivityKind:
    kind: str
    label: object  # what the activity is, e.g. "Practice scene"
    # (ids, language) -> {id: ActivityView}; one call (a query or two) for a whole page.
    describe: Callable[[list[int], str], dict[int, ActivityView]]


_kinds: dict[str, ActivityKind] = {}


def homework_activity_register(kind: str, *, label, describe) -> None:
    _kinds[kind] = ActivityKind(kind=kind, label=label, describe=describe)


def activity_kind(kind: str) -> ActivityKind | None:
    return _kinds.get(kind)


def activities_describe(assignments: Iterable, language: str) -> list:
    """Give each activity homework its ``activity`` (title and link) in the viewer's language, one
    describe call per kind. A scene that is gone keeps the homework readable with no link."""
    assignments = list(assignments)
    by_kind: dict[str, list] = {}
    for assignment in assignments:
        if assignment.activity_kind:
            by_kind.setdefault(assignment.activity_kind, []).append(assignment)
    for kind, items in by_kind.items():
        registered = _kinds.get(kind)
        views = registered.describe(sorted({a.activity_id for a in items}), language) if registered else {}
        for assignment in items:
            assignment.activity = views.get(assignment.activity_id)
    return assignments
