"""A checked scene and a run, in the reader's language, ready for a template."""

from django.utils import translation

from .schema import LANGUAGES
from .skills import SKILLS, skill_label


def current_language() -> str:
    code = (translation.get_language() or "en")[:2]
    return code if code in LANGUAGES else "en"


def text_in(value: dict, language: str) -> str:
    return value.get(language) or value.get("en", "")


def scene_summary(scene, language: str) -> dict:
    definition = scene.definition
    return {
        "scene": scene,
        "title": text_in(definition["title"], language),
        "summary": text_in(definition.get("summary") or definition["setting"], language),
    }


def _step_view(definition: dict, node_id: str, language: str) -> dict | None:
    node = definition["nodes"].get(node_id)
    if node is None:
        return None
    speaker = definition["counterpart"]["name"]
    return {
        "id": node_id,
        "lines": [{"who": line.get("speaker") or speaker, "text": text_in(line, language)} for line in node["lines"]],
    }


def run_view(run, language: str) -> dict:
    """What the player shows: the steps so far (the counterpart's lines, the choice taken and the
    coach's feedback), answers typed along the way, and the current step or the ending."""
    definition = run.scene.definition
    record = run.record or {}
    current_version = run.scene_version == run.scene.version
    steps = []
    for step in record.get("steps", []):
        view = _step_view(definition, step["node"], language) if current_version else None
        choice = None
        if view is not None:
            node = definition["nodes"][step["node"]]
            found = next((c for c in node.get("choices", []) if c["id"] == step["choice"]), None)
            if found is not None:
                choice = {"text": text_in(found["text"], language), "feedback": text_in(found["feedback"], language)}
        answers = [a for a in record.get("answers", []) if a["node"] == step["node"]]
        steps.append(
            {
                "view": view,
                "choice": choice,
                "skills": [skill_label(s) for s in step.get("skills", [])],
                "answers": answers,
            }
        )
    at = record.get("at")
    current = _step_view(definition, at, language) if current_version and at else None
    ending = None
    choices = []
    if current is not None:
        node = definition["nodes"][at]
        if "ending" in node:
            ending = {"kind": node["ending"], "feedback": text_in(node["feedback"], language)}
        else:
            choices = [{"id": c["id"], "text": text_in(c["text"], language)} for c in node["choices"]]
    skills_shown = []
    for step in record.get("steps", []):
        for skill in step.get("skills", []):
            if skill not in skills_shown:
                skills_shown.append(skill)
    return {
        "title": text_in(definition["title"], language),
        "setting": text_in(definition["setting"], language),
        "counterpart": definition["counterpart"]["name"],
        "mood": text_in(definition["counterpart"]["mood"], language),
        "steps": steps,
        "current": current,
        "current_answers": [a for a in record.get("answers", []) if a["node"] == at] if not ending else [],
        "choices": choices,
        "ending": ending,
        "skills_shown": [skill_label(s) for s in skills_shown],
        "stale": not current_version and run.finished_at is None,
    }


def skills_of(run) -> list[str]:
    seen = []
    for step in (run.record or {}).get("steps", []):
        for skill in step.get("skills", []):
            if skill not in seen:
                seen.append(skill)
    return [skill_label(s) for s in seen]


def skill_tally(runs) -> list[dict]:
    """How many finished runs showed each skill, most used first (for the care team, not a grade)."""
    counts: dict[str, int] = {}
    for run in runs:
        if run.finished_at is None:
            continue
        for skill in {s for step in (run.record or {}).get("steps", []) for s in step.get("skills", [])}:
            counts[skill] = counts.get(skill, 0) + 1
    ordered = sorted(
        counts.items(), key=lambda item: (-item[1], list(SKILLS).index(item[0]) if item[0] in SKILLS else 99)
    )
    return [{"label": skill_label(skill), "runs": count} for skill, count in ordered]
