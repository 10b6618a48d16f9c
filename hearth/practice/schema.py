"""Practice scenes as data: parse a scene's YAML, keep the line of every value, and check it.

A scene is a setting, a counterpart, and nodes. A node has the counterpart's ``lines`` (a line
may name another ``speaker``) and either ``choices`` (a decision point) or ``ending`` (``good``
or ``teaches``) with the coach's ``feedback``. Every choice has an ``id``, ``text``, skill
tags, coach ``feedback`` and ``next``. Every text is a map with exactly ``en`` and ``es``.

A broken scene is refused with every problem found, each with its line and reason; the player
only ever receives a scene that passed ``scene_parse``.
"""

import re
from collections import deque
from dataclasses import dataclass

import yaml
from django.utils.translation import gettext as _

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
        return _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason} if self.line else self.reason


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
        raise SceneError([SceneProblem(None, _("the file is longer than %(n)d characters") % {"n": MAX_SOURCE_CHARS})])
    try:
        loader = yaml.SafeLoader(source)
        try:
            node = loader.get_single_node()
            if node is None:
                raise SceneError([SceneProblem(1, _("the file is empty"))])
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SceneError(
            [SceneProblem(line, _("this is not valid YAML (%(detail)s)") % {"detail": exc.problem or exc.context})]
        ) from None
    except yaml.YAMLError as exc:
        raise SceneError([SceneProblem(None, _("this is not valid YAML (%(detail)s)") % {"detail": exc})]) from None
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
            self.fail(path, _("%(what)s must be a mapping of keys to values") % {"what": what})
            return False
        return True

    def required(self, value: dict, keys: tuple, path: Path, what: str) -> bool:
        missing = [key for key in keys if key not in value]
        for key in missing:
            self.fail(path, _("%(what)s is missing the required key '%(key)s'") % {"what": what, "key": key})
        return not missing

    def text(self, value, path: Path, what: str, extra: tuple = ()) -> None:
        if not isinstance(value, dict):
            self.fail(path, _("%(what)s must have an 'en' and an 'es' text") % {"what": what})
            return
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.fail(path, _("%(what)s has no '%(language)s' text") % {"what": what, "language": language})
        for key in value:
            if key not in LANGUAGES and key not in extra:
                self.fail(
                    (*path, key, "<key>"),
                    _("%(what)s has an unknown language key '%(key)s' (use en and es)") % {"what": what, "key": key},
                )

    def identifier(self, value, path: Path, what: str) -> bool:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail(
                path,
                _("%(what)s %(value)s must be lowercase letters, digits, '-' or '_'")
                % {"what": what, "value": repr(value)},
            )
            return False
        return True


def _check(data, lines: dict) -> dict:
    check = _Checker(lines)
    if not check.mapping(data, (), _("the scene")):
        raise SceneError(check.problems)
    top = ("slug", "title", "setting", "counterpart", "start", "nodes")
    check.required(data, top, (), _("the scene"))
    for key in data:
        if key not in (*top, "summary"):
            check.fail((key, "<key>"), _("unknown key '%(key)s' in the scene") % {"key": key})
    if "slug" in data:
        check.identifier(data["slug"], ("slug",), _("the slug"))
    for key in ("title", "setting", "summary"):
        if key in data:
            check.text(
                data[key],
                (key,),
                {"title": _("the title"), "setting": _("the setting"), "summary": _("the summary")}[key],
            )
    counterpart = data.get("counterpart")
    if counterpart is not None and check.mapping(counterpart, ("counterpart",), _("the counterpart")):
        check.required(counterpart, ("name", "mood"), ("counterpart",), _("the counterpart"))
        if "name" in counterpart and (not isinstance(counterpart["name"], str) or not counterpart["name"].strip()):
            check.fail(("counterpart", "name"), _("the counterpart's name must be a text"))
        if "mood" in counterpart:
            check.text(counterpart["mood"], ("counterpart", "mood"), _("the counterpart's mood"))
    nodes = data.get("nodes")
    if nodes is None or not check.mapping(nodes, ("nodes",), _("nodes")):
        raise SceneError(check.problems)
    if not nodes:
        check.fail(("nodes",), _("the scene has no nodes"))
    if len(nodes) > MAX_NODES:
        check.fail(("nodes",), _("the scene has more than %(n)d nodes") % {"n": MAX_NODES})
    edges: dict[str, list[str]] = {}
    endings: set[str] = set()
    choice_ids: dict[str, Path] = {}
    for node_id, node in nodes.items():
        path = ("nodes", node_id)
        if not check.identifier(node_id, (*path, "<key>"), _("the node id")):
            continue
        edges[node_id] = []
        if not check.mapping(node, path, _("node '%(node)s'") % {"node": node_id}):
            continue
        for key in node:
            if key not in ("lines", "choices", "ending", "feedback"):
                check.fail(
                    (*path, key, "<key>"),
                    _("node '%(node)s' has an unknown key '%(key)s'") % {"node": node_id, "key": key},
                )
        lines_ = node.get("lines")
        if not isinstance(lines_, list) or not lines_:
            check.fail(
                path,
                _("node '%(node)s' needs 'lines': what %(name)s says (a list)")
                % {"node": node_id, "name": _name(data)},
            )
        else:
            for index, line in enumerate(lines_):
                what = _("line %(n)d of node '%(node)s'") % {"n": index + 1, "node": node_id}
                # A line is the counterpart's unless it names another ``speaker`` (a cousin walks in).
                check.text(line, (*path, "lines", index), what, extra=("speaker",))
                speaker = line.get("speaker") if isinstance(line, dict) else None
                if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
                    check.fail(
                        (*path, "lines", index, "speaker"), _("the speaker of %(what)s must be a name") % {"what": what}
                    )
        if "ending" in node:
            endings.add(node_id)
            if node["ending"] not in ENDING_KINDS:
                check.fail(
                    (*path, "ending"),
                    _("node '%(node)s' has ending %(value)s: use good or teaches")
                    % {"node": node_id, "value": repr(node["ending"])},
                )
            if "choices" in node:
                check.fail(
                    (*path, "choices"), _("node '%(node)s' is an ending and cannot have choices") % {"node": node_id}
                )
            if "feedback" not in node:
                check.fail(path, _("ending '%(node)s' needs the coach's 'feedback'") % {"node": node_id})
            else:
                check.text(
                    node["feedback"], (*path, "feedback"), _("the feedback of ending '%(node)s'") % {"node": node_id}
                )
            continue
        choices = node.get("choices")
        if not isinstance(choices, list) or not choices:
            check.fail(
                path,
                _("node '%(node)s' is a missing branch: it has no 'choices' and is not an 'ending'")
                % {"node": node_id},
            )
            continue
        if "feedback" in node:
            check.fail(
                (*path, "feedback"),
                _("node '%(node)s' is not an ending: put feedback on its choices") % {"node": node_id},
            )
        for index, choice in enumerate(choices):
            cpath = (*path, "choices", index)
            what = _("choice %(n)d of node '%(node)s'") % {"n": index + 1, "node": node_id}
            if not check.mapping(choice, cpath, what):
                continue
            check.required(choice, ("id", "text", "skills", "feedback", "next"), cpath, what)
            for key in choice:
                if key not in ("id", "text", "skills", "feedback", "next"):
                    check.fail(
                        (*cpath, key, "<key>"), _("%(what)s has an unknown key '%(key)s'") % {"what": what, "key": key}
                    )
            if "id" in choice and check.identifier(choice["id"], (*cpath, "id"), _("the choice id")):
                if choice["id"] in choice_ids:
                    check.fail(
                        (*cpath, "id"), _("the choice id '%(id)s' is used twice in this scene") % {"id": choice["id"]}
                    )
                choice_ids[choice["id"]] = cpath
                what = _("choice '%(id)s'") % {"id": choice["id"]}
            for key in ("text", "feedback"):
                if key in choice:
                    check.text(
                        choice[key],
                        (*cpath, key),
                        (_("the text of %(what)s") if key == "text" else _("the feedback of %(what)s"))
                        % {"what": what},
                    )
            skills = choice.get("skills")
            if "skills" in choice:
                if not isinstance(skills, list):
                    check.fail(
                        (*cpath, "skills"),
                        _("the skills of %(what)s must be a list (it may be empty)") % {"what": what},
                    )
                else:
                    for sindex, skill in enumerate(skills):
                        if skill not in SKILLS:
                            check.fail(
                                (*cpath, "skills", sindex),
                                _("%(what)s has an unknown skill tag %(tag)s; known tags: %(known)s")
                                % {"what": what, "tag": repr(skill), "known": ", ".join(SKILLS)},
                            )
            target = choice.get("next")
            if "next" in choice:
                if not isinstance(target, str) or target not in nodes:
                    check.fail(
                        (*cpath, "next"),
                        _("%(what)s goes to %(target)s, which is not a node in this scene (missing branch)")
                        % {"what": what, "target": repr(target)},
                    )
                else:
                    edges[node_id].append(target)
    start = data.get("start")
    if "start" in data and (not isinstance(start, str) or start not in nodes):
        check.fail(("start",), _("the start %(value)s is not a node in this scene") % {"value": repr(start)})
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
                _("node '%(node)s' never reaches an ending: a loop with no exit") % {"node": node_id},
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
            check.fail(
                ("nodes", node_id, "<key>"),
                _("node '%(node)s' can never be reached from the start") % {"node": node_id},
            )
    if not any(nodes[node_id]["ending"] == "good" for node_id in endings & reached):
        check.fail(("nodes",), _("the scene needs at least one good ending"))
    if check.problems:
        raise SceneError(check.problems)
    return data


def _name(data) -> str:
    counterpart = data.get("counterpart")
    if isinstance(counterpart, dict) and isinstance(counterpart.get("name"), str):
        return counterpart["name"]
    return _("the counterpart")


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
