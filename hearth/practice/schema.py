"""Practice scenes as data: parse a scene's YAML, keep the line of every value, and check it.

A scene is a setting, a counterpart, and nodes. A node has the counterpart's ``lines`` and either
``choices`` (a decision point) or ``ending`` (``good`` or ``teaches``) with the coach's
``feedback``. Every choice has an ``id``, ``text``, skill tags, coach ``feedback`` and ``next``.
Every text is a map with exactly ``en`` and ``es``.

A broken scene is refused with every problem found, each with its line and reason; the player
only ever receives a scene that passed ``scene_parse``.
"""

import re
from collections import deque
from dataclasses import dataclass

import yaml

from .skills import SKILLS

LANGUAGES = ("en", "es")
ENDING_KINDS = ("good", "teaches")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_SOURCE_CHARS = 100_000
MAX_NODES = 80

Path = tuple


@dataclass(frozen=True)
class SceneProblem:
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


class SceneError(ValueError):
    """A scene that cannot be used; ``problems`` holds each reason with its line."""

    def __init__(self, problems: list[SceneProblem], *, filename: str = ""):
        self.problems = problems
        self.filename = filename
        super().__init__(self.describe())

    def describe(self) -> str:
        prefix = f"{self.filename}: " if self.filename else ""
        return "\n".join(f"{prefix}{problem}" for problem in self.problems)


def _lines_of(node, path: Path, lines: dict) -> None:
    """Record the 1-based line where each value starts, keyed by its path in the data."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            _lines_of(value_node, (*path, key), lines)
            lines[(*path, key, "<key>")] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines_of(item, (*path, index), lines)


def _load(source: str) -> tuple[object, dict]:
    if len(source) > MAX_SOURCE_CHARS:
        raise SceneError([SceneProblem(None, f"the file is longer than {MAX_SOURCE_CHARS} characters")])
    try:
        loader = yaml.SafeLoader(source)
        try:
            node = loader.get_single_node()
            if node is None:
                raise SceneError([SceneProblem(1, "the file is empty")])
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SceneError([SceneProblem(line, f"this is not valid YAML ({exc.problem or exc.context})")]) from None
    except yaml.YAMLError as exc:
        raise SceneError([SceneProblem(None, f"this is not valid YAML ({exc})")]) from None
    lines: dict = {}
    _lines_of(node, (), lines)
    return data, lines


class _Checker:
    def __init__(self, lines: dict):
        self.lines = lines
        self.problems: list[SceneProblem] = []

    def line(self, path: Path) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def fail(self, path: Path, reason: str) -> None:
        self.problems.append(SceneProblem(self.line(path), reason))

    def mapping(self, value, path: Path, what: str) -> bool:
        if not isinstance(value, dict):
            self.fail(path, f"{what} must be a mapping of keys to values")
            return False
        return True

    def required(self, value: dict, keys: tuple, path: Path, what: str) -> bool:
        missing = [key for key in keys if key not in value]
        for key in missing:
            self.fail(path, f"{what} is missing the required key '{key}'")
        return not missing

    def text(self, value, path: Path, what: str) -> None:
        if not isinstance(value, dict):
            self.fail(path, f"{what} must have an 'en' and an 'es' text")
            return
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.fail(path, f"{what} has no '{language}' text")
        for key in value:
            if key not in LANGUAGES:
                self.fail((*path, key, "<key>"), f"{what} has an unknown language key '{key}' (use en and es)")

    def identifier(self, value, path: Path, what: str) -> bool:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail(path, f"{what} {value!r} must be lowercase letters, digits, '-' or '_'")
            return False
        return True


def _check(data, lines: dict) -> dict:
    check = _Checker(lines)
    if not check.mapping(data, (), "the scene"):
        raise SceneError(check.problems)
    top = ("slug", "title", "setting", "counterpart", "start", "nodes")
    check.required(data, top, (), "the scene")
    for key in data:
        if key not in (*top, "summary"):
            check.fail((key, "<key>"), f"unknown key '{key}' in the scene")
    if "slug" in data:
        check.identifier(data["slug"], ("slug",), "the slug")
    for key in ("title", "setting", "summary"):
        if key in data:
            check.text(data[key], (key,), f"the {key}")
    counterpart = data.get("counterpart")
    if counterpart is not None and check.mapping(counterpart, ("counterpart",), "the counterpart"):
        check.required(counterpart, ("name", "mood"), ("counterpart",), "the counterpart")
        if "name" in counterpart and (not isinstance(counterpart["name"], str) or not counterpart["name"].strip()):
            check.fail(("counterpart", "name"), "the counterpart's name must be a text")
        if "mood" in counterpart:
            check.text(counterpart["mood"], ("counterpart", "mood"), "the counterpart's mood")
    nodes = data.get("nodes")
    if nodes is None or not check.mapping(nodes, ("nodes",), "nodes"):
        raise SceneError(check.problems)
    if not nodes:
        check.fail(("nodes",), "the scene has no nodes")
    if len(nodes) > MAX_NODES:
        check.fail(("nodes",), f"the scene has more than {MAX_NODES} nodes")
    edges: dict[str, list[str]] = {}
    endings: set[str] = set()
    choice_ids: dict[str, Path] = {}
    for node_id, node in nodes.items():
        path = ("nodes", node_id)
        if not check.identifier(node_id, (*path, "<key>"), "the node id"):
            continue
        edges[node_id] = []
        if not check.mapping(node, path, f"node '{node_id}'"):
            continue
        for key in node:
            if key not in ("lines", "choices", "ending", "feedback"):
                check.fail((*path, key, "<key>"), f"node '{node_id}' has an unknown key '{key}'")
        lines_ = node.get("lines")
        if not isinstance(lines_, list) or not lines_:
            check.fail(path, f"node '{node_id}' needs 'lines': what {_name(data)} says (a list)")
        else:
            for index, line in enumerate(lines_):
                check.text(line, (*path, "lines", index), f"line {index + 1} of node '{node_id}'")
        if "ending" in node:
            endings.add(node_id)
            if node["ending"] not in ENDING_KINDS:
                check.fail((*path, "ending"), f"node '{node_id}' has ending {node['ending']!r}: use good or teaches")
            if "choices" in node:
                check.fail((*path, "choices"), f"node '{node_id}' is an ending and cannot have choices")
            if "feedback" not in node:
                check.fail(path, f"ending '{node_id}' needs the coach's 'feedback'")
            else:
                check.text(node["feedback"], (*path, "feedback"), f"the feedback of ending '{node_id}'")
            continue
        choices = node.get("choices")
        if not isinstance(choices, list) or not choices:
            check.fail(path, f"node '{node_id}' is a missing branch: it has no 'choices' and is not an 'ending'")
            continue
        if "feedback" in node:
            check.fail((*path, "feedback"), f"node '{node_id}' is not an ending: put feedback on its choices")
        for index, choice in enumerate(choices):
            cpath = (*path, "choices", index)
            what = f"choice {index + 1} of node '{node_id}'"
            if not check.mapping(choice, cpath, what):
                continue
            check.required(choice, ("id", "text", "skills", "feedback", "next"), cpath, what)
            for key in choice:
                if key not in ("id", "text", "skills", "feedback", "next"):
                    check.fail((*cpath, key, "<key>"), f"{what} has an unknown key '{key}'")
            if "id" in choice and check.identifier(choice["id"], (*cpath, "id"), "the choice id"):
                if choice["id"] in choice_ids:
                    check.fail((*cpath, "id"), f"the choice id '{choice['id']}' is used twice in this scene")
                choice_ids[choice["id"]] = cpath
                what = f"choice '{choice['id']}'"
            for key in ("text", "feedback"):
                if key in choice:
                    check.text(choice[key], (*cpath, key), f"the {key} of {what}")
            skills = choice.get("skills")
            if "skills" in choice:
                if not isinstance(skills, list):
                    check.fail((*cpath, "skills"), f"the skills of {what} must be a list (it may be empty)")
                else:
                    for sindex, skill in enumerate(skills):
                        if skill not in SKILLS:
                            check.fail(
                                (*cpath, "skills", sindex),
                                f"{what} has an unknown skill tag {skill!r}; known tags: {', '.join(SKILLS)}",
                            )
            target = choice.get("next")
            if "next" in choice:
                if not isinstance(target, str) or target not in nodes:
                    check.fail(
                        (*cpath, "next"),
                        f"{what} goes to {target!r}, which is not a node in this scene (missing branch)",
                    )
                else:
                    edges[node_id].append(target)
    start = data.get("start")
    if "start" in data and (not isinstance(start, str) or start not in nodes):
        check.fail(("start",), f"the start {start!r} is not a node in this scene")
    if check.problems:
        raise SceneError(check.problems)
    # From every node an ending must be reachable; nodes that cannot reach one are stuck in a loop
    # (or lead only into one) and the person would never get out.
    reverse: dict[str, set[str]] = {node_id: set() for node_id in edges}
    for source, targets in edges.items():
        for target in targets:
            reverse[target].add(source)
    can_end = set(endings)
    queue = deque(endings)
    while queue:
        for source in reverse[queue.popleft()]:
            if source not in can_end:
                can_end.add(source)
                queue.append(source)
    for node_id in edges:
        if node_id not in can_end:
            check.fail(
                ("nodes", node_id, "<key>"),
                f"node '{node_id}' never reaches an ending: a loop with no exit",
            )
    reached = {start}
    queue = deque([start])
    while queue:
        for target in edges[queue.popleft()]:
            if target not in reached:
                reached.add(target)
                queue.append(target)
    for node_id in edges:
        if node_id not in reached:
            check.fail(("nodes", node_id, "<key>"), f"node '{node_id}' can never be reached from the start")
    if not any(nodes[node_id]["ending"] == "good" for node_id in endings & reached):
        check.fail(("nodes",), "the scene needs at least one good ending")
    if check.problems:
        raise SceneError(check.problems)
    return data


def _name(data) -> str:
    counterpart = data.get("counterpart")
    if isinstance(counterpart, dict) and isinstance(counterpart.get("name"), str):
        return counterpart["name"]
    return "the counterpart"


def scene_parse(source: str, *, filename: str = "") -> dict:
    """The scene as plain data (ready for a JSON field), or SceneError with every problem found."""
    try:
        data, lines = _load(source)
        return _check(data, lines)
    except SceneError as error:
        error.filename = filename
        raise SceneError(error.problems, filename=filename) from None


def decision_points(definition: dict) -> list[str]:
    return [node_id for node_id, node in definition["nodes"].items() if "choices" in node]


def endings_of(definition: dict, kind: str | None = None) -> list[str]:
    return [
        node_id
        for node_id, node in definition["nodes"].items()
        if "ending" in node and (kind is None or node["ending"] == kind)
    ]
