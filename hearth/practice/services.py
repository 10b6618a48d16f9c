"""Every write of practice scenes, runs and assignments.

A typed answer goes through safety's detection like any free text a person writes; a signal is
raised after the answer is committed and never blocks the practice.
"""

import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.programs.models import STAFF_ROLES, Role
from hearth.programs.selectors import is_care_team_of, program_ids_where
from hearth.safety.services import free_text_screen
from hearth.toolkit.models import Assignment
from hearth.toolkit.services import activity_homework_complete
from hearth.toolkit.services import assignment_create as homework_assign

from .display import current_language, scene_summary
from .models import PracticeRun, Scene
from .schema import LANGUAGES, SceneError, SceneProblem, scene_parse
from .selectors import SCENE_HOMEWORK
from .skills import ChecklistItem, coach_checklist

SHIPPED_SCENES_DIR = Path(__file__).resolve().parent / "scenes"
MAX_ANSWER_CHARS = 1000


class ChoiceNotInStep(ValidationError):
    """A choice that is not one of the current step's answers (a stale or forged form)."""


def _is_staff_of(actor, program_id: int | None) -> bool:
    return program_id is not None and program_id in program_ids_where(actor, *STAFF_ROLES)


# --- scenes ------------------------------------------------------------------------------------


def scene_save(*, actor, program, source: str, scene: Scene | None = None) -> Scene:
    """Create a program's scene, or edit one, from YAML. Program staff only; a broken scene is
    refused with every problem and its line (SceneError) and changes nothing."""
    target_program_id = scene.program_id if scene is not None else getattr(program, "pk", None)
    if not _is_staff_of(actor, target_program_id):
        raise PermissionDenied
    definition = scene_parse(source)
    slug = definition["slug"]
    with transaction.atomic():
        clash = Scene.objects.filter(program_id=target_program_id, slug=slug)
        if scene is not None:
            clash = clash.exclude(pk=scene.pk)
        if clash.exists():
            raise ValidationError(
                {"source": _("Another scene in this program already uses the slug “%(slug)s”.") % {"slug": slug}}
            )
        now = timezone.now()
        if scene is None:
            scene = Scene.objects.create(
                program_id=target_program_id,
                slug=slug,
                source=source,
                definition=definition,
                created_by=actor,
                updated_at=now,
            )
            action = "practice.scene.created"
        else:
            scene.slug, scene.source, scene.definition = slug, source, definition
            scene.version += 1
            scene.updated_at = now
            scene.save(update_fields=["slug", "source", "definition", "version", "updated_at"])
            action = "practice.scene.edited"
        audit_record(actor=actor, action=action, obj=scene, data={"slug": slug, "version": scene.version})
    return scene


def scenes_load(*, paths: list[Path]) -> list[Scene]:
    """Load shipped scene files as global scenes (by slug: new ones created, changed ones updated,
    unchanged ones left alone). All or nothing: the first broken file raises SceneError naming
    the file, and nothing is stored."""
    parsed = []
    for path in paths:
        source = path.read_text(encoding="utf-8")
        parsed.append((source, scene_parse(source, filename=str(path))))
    slugs = [definition["slug"] for _source, definition in parsed]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise SceneError(
            [
                SceneProblem(None, _("the slug '%(slug)s' is used by more than one file") % {"slug": slug})
                for slug in duplicates
            ]
        )
    stored = []
    with transaction.atomic():
        for source, definition in parsed:
            scene = Scene.objects.filter(program__isnull=True, slug=definition["slug"]).first()
            if scene is None:
                scene = Scene.objects.create(slug=definition["slug"], source=source, definition=definition)
                audit_record(actor=None, action="practice.scene.loaded", obj=scene, data={"slug": scene.slug})
            elif scene.source != source:
                scene.source, scene.definition = source, definition
                scene.version += 1
                scene.updated_at = timezone.now()
                scene.save(update_fields=["source", "definition", "version", "updated_at"])
                audit_record(
                    actor=None,
                    action="practice.scene.reloaded",
                    obj=scene,
                    data={"slug": scene.slug, "version": scene.version},
                )
            stored.append(scene)
    return stored


def shipped_scene_paths() -> list[Path]:
    return sorted(SHIPPED_SCENES_DIR.glob("*.yaml"))


# --- runs ----------------------------------------------------------------------------------------


def _language(language: str | None) -> str:
    code = (language or "en")[:2].lower()
    return code if code in LANGUAGES else "en"


def _own_run(actor, run: PracticeRun) -> None:
    if actor is None or not actor.is_authenticated or run.person_id != actor.pk:
        raise PermissionDenied(_("You can only play your own practice."))


def _playable(run: PracticeRun) -> dict:
    if run.finished_at is not None:
        raise ValidationError(_("This practice is finished. You can play the scene again."))
    scene = run.scene
    if not scene.is_active or scene.version != run.scene_version:
        raise ValidationError(_("This scene changed since you started. Please start it again."))
    return scene.definition


def run_start(*, actor, scene: Scene, language: str | None = None) -> PracticeRun:
    if actor is None or not actor.is_authenticated or not program_ids_where(actor, Role.PARTICIPANT):
        raise PermissionDenied(_("Practice scenes are for participants."))
    with transaction.atomic():
        run = PracticeRun.objects.create(
            person=actor,
            scene=scene,
            scene_version=scene.version,
            language=_language(language),
            record={"at": scene.definition["start"], "steps": [], "answers": []},
        )
        audit_record(actor=actor, action="practice.run.started", subject=actor, obj=run, data={"scene": scene.slug})
    return run


def run_choose(*, actor, run: PracticeRun, choice_id: str, at_node: str | None = None) -> PracticeRun:
    """Take one of the current step's choices. A choice that is not offered at this step (or a form
    opened on an earlier step, ``at_node``) raises ChoiceNotInStep and saves nothing."""
    _own_run(actor, run)
    with transaction.atomic():
        run = PracticeRun.objects.select_for_update().select_related("scene").get(pk=run.pk)
        definition = _playable(run)
        record = run.record
        node = definition["nodes"][record["at"]]
        if at_node is not None and at_node != record["at"]:
            raise ChoiceNotInStep(_("This step was already answered. Here is where you are now."))
        choice = next((c for c in node.get("choices", []) if c["id"] == choice_id), None)
        if choice is None:
            raise ChoiceNotInStep(
                _("That answer is not one of the choices for this step. Please pick one of the answers shown.")
            )
        record["steps"].append({"node": record["at"], "choice": choice["id"], "skills": list(choice["skills"])})
        record["at"] = choice["next"]
        run.record = record
        fields = ["record"]
        ending = definition["nodes"][choice["next"]].get("ending")
        if ending:
            run.finished_at = timezone.now()
            run.ending_kind = ending
            fields += ["finished_at", "ending_kind"]
        run.save(update_fields=fields)
        if ending:
            audit_record(
                actor=actor,
                action="practice.run.finished",
                subject=actor,
                obj=run,
                data={"scene": run.scene.slug, "ending": ending, "steps": len(record["steps"])},
            )
            # "Practise this before Friday" is toolkit homework: finishing the scene does it.
            activity_homework_complete(actor=actor, kind=SCENE_HOMEWORK, activity_id=run.scene_id, at=run.finished_at)
    return run


def run_answer(*, actor, run: PracticeRun, text: str) -> list[ChecklistItem]:
    """Keep an answer typed in the person's own words at the current step and return the coach's
    checklist. The text goes through safety's detection; a signal is raised after commit."""
    _own_run(actor, run)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"answer": _("Type what you would say, then choose “Check my answer”.")})
    if len(text) > MAX_ANSWER_CHARS:
        raise ValidationError(
            {"answer": _("Please keep your answer under %(n)d characters.") % {"n": MAX_ANSWER_CHARS}}
        )
    with transaction.atomic():
        run = PracticeRun.objects.select_for_update().select_related("scene").get(pk=run.pk)
        _playable(run)
        checklist = coach_checklist(text)
        record = run.record
        record["answers"].append(
            {
                "node": record["at"],
                "text": text,
                "seen": [item.skill for item in checklist if item.state == "seen"],
                "at": timezone.now().isoformat(),
            }
        )
        run.record = record
        run.save(update_fields=["record"])
        audit_record(
            actor=actor,
            action="practice.answer.recorded",
            subject=actor,
            obj=run,
            data={"node": record["answers"][-1]["node"]},
        )
        free_text_screen(
            person=actor,
            source="practice.answer",
            texts=[text],
            raised_by=actor,
            language=run.language,
            alerting_only=True,
        )
    return checklist


# --- assignments ---------------------------------------------------------------------------------


def assignment_create(*, actor, person, scene: Scene, due_on: datetime.date) -> Assignment:
    """ "Practise this before Friday": the person's care team gives a scene as toolkit homework
    (the person is told in the app, and gently reminded after the day if it is still waiting)."""
    if not is_care_team_of(actor, person):
        raise PermissionDenied
    if scene.program_id is not None and scene.program_id not in program_ids_where(person, Role.PARTICIPANT):
        raise ValidationError({"scene": _("Choose a scene this person can see.")})
    with translation.override(person.language or "en"):
        title = scene_summary(scene, current_language())["title"]
    try:
        (assignment,) = homework_assign(
            actor=actor,
            person=person,
            activity=(SCENE_HOMEWORK, scene.pk),
            activity_title=title,
            due_date=due_on,
        )
    except ValidationError as error:
        # The toolkit's words, said about the scene and the day on the practice form.
        if hasattr(error, "error_dict") and "due_date" in error.error_dict:
            raise ValidationError({"due_on": _("Choose a day from today on.")}) from None
        if not hasattr(error, "error_dict"):
            raise ValidationError({"scene": error.messages}) from None
        raise
    return assignment
