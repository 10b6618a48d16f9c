"""Reads of practice scenes, runs and assignments. A person's practice is theirs and their care
team's: anyone else gets 404, never a hint that it exists."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from hearth.programs.models import STAFF_ROLES, Role
from hearth.programs.selectors import is_care_team_of, participants_for_viewer, program_ids_where
from hearth.toolkit.activities import ActivityView
from hearth.toolkit.selectors import activity_homework_for_participant, activity_homework_for_person

from .display import scene_summary
from .models import PracticeRun, Scene

# The kind of toolkit homework that is a practice scene (registered in apps.py).
SCENE_HOMEWORK = "practice.scene"

User = get_user_model()


def _visible_scenes(program_ids) -> list[Scene]:
    """Shipped scenes plus the programs' own; a program's scene replaces a shipped one of the same slug."""
    scenes = list(
        Scene.objects.filter(Q(program__isnull=True) | Q(program_id__in=program_ids), is_active=True).order_by(
            "slug", "pk"
        )
    )
    own_slugs = {scene.slug for scene in scenes if scene.program_id is not None}
    return [scene for scene in scenes if scene.program_id is not None or scene.slug not in own_slugs]


def scenes_for_player(*, viewer) -> list[Scene]:
    """Scenes are played by participants; anyone else gets none, shipped ones included."""
    program_ids = program_ids_where(viewer, Role.PARTICIPANT) if viewer.is_authenticated else set()
    return _visible_scenes(program_ids) if program_ids else []


def scene_for_player(*, viewer, scene_id) -> Scene:
    for scene in scenes_for_player(viewer=viewer):
        if str(scene.pk) == str(scene_id):
            return scene
    raise Http404


def scenes_for_person(*, person) -> list[Scene]:
    """The scenes a participant can play (what a clinician may assign them)."""
    program_ids = program_ids_where(person, Role.PARTICIPANT)
    return _visible_scenes(program_ids) if program_ids else []


def scenes_for_staff(*, viewer) -> QuerySet[Scene]:
    """Shipped scenes and those of the programs the viewer works in, active or not."""
    program_ids = program_ids_where(viewer, *STAFF_ROLES)
    return (
        Scene.objects.filter(Q(program__isnull=True) | Q(program_id__in=program_ids))
        .select_related("program")
        .order_by("program_id", "slug")
    )


def scene_for_editor(*, viewer, scene_id) -> Scene:
    """A program's own scene the viewer may edit (shipped scenes are copied, not edited)."""
    try:
        return Scene.objects.get(pk=scene_id, program_id__in=program_ids_where(viewer, *STAFF_ROLES))
    except (Scene.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def scene_for_staff(*, viewer, scene_id) -> Scene:
    try:
        return scenes_for_staff(viewer=viewer).get(pk=scene_id)
    except (Scene.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def person_for_practice(*, viewer, person_id):
    """The person whose practice the viewer may see: themself or someone in their care."""
    if not viewer.is_authenticated:
        raise Http404
    if str(viewer.pk) == str(person_id):
        return viewer
    try:
        return participants_for_viewer(viewer=viewer).get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def runs_for_person(*, viewer, person) -> QuerySet[PracticeRun]:
    if viewer.pk != person.pk and not is_care_team_of(viewer, person):
        raise Http404
    return PracticeRun.objects.filter(person=person).select_related("scene").order_by("-started_at", "-pk")


def run_for_viewer(*, viewer, run_id) -> PracticeRun:
    if not viewer.is_authenticated:
        raise Http404
    try:
        run = PracticeRun.objects.select_related("scene", "person").get(pk=run_id)
    except (PracticeRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if run.person_id != viewer.pk and not is_care_team_of(viewer, run.person):
        raise Http404
    return run


def _with_scenes(assignments, language: str, *, active_only: bool) -> list[dict]:
    """Scene homework as the practice pages show it: the homework, its scene and its title."""
    assignments = list(assignments)
    # The YAML source is not needed to show a title (only the checked definition).
    scenes = Scene.objects.filter(pk__in={a.activity_id for a in assignments}).defer("source")
    if active_only:
        scenes = scenes.filter(is_active=True)
    by_id = {scene.pk: scene for scene in scenes}
    return [
        {"assignment": a, **scene_summary(by_id[a.activity_id], language)}
        for a in assignments
        if a.activity_id in by_id
    ]


def open_assignments_for(*, viewer, language: str, limit: int | None = None) -> list[dict]:
    """The viewer's scenes to practise (toolkit homework), soonest due first."""
    return _with_scenes(
        activity_homework_for_participant(viewer=viewer, kind=SCENE_HOMEWORK)[:limit], language, active_only=True
    )


def assignments_for_person(*, viewer, person, language: str) -> list[dict]:
    return _with_scenes(
        activity_homework_for_person(viewer=viewer, person=person, kind=SCENE_HOMEWORK), language, active_only=False
    )


def scene_activity_views(ids: list[int], language: str) -> dict[int, ActivityView]:
    """For the toolkit's homework pages (registered in apps.py): each scene's title, and the
    practice page where the person starts it."""
    url = reverse("practice:home")
    return {
        scene.pk: ActivityView(title=scene_summary(scene, language)["title"], url=url)
        for scene in Scene.objects.filter(pk__in=ids).defer("source")
    }


def recent_runs_for_caseload(*, viewer, limit: int = 20) -> list[PracticeRun]:
    """The latest finished practice of the people in the viewer's care."""
    return list(
        PracticeRun.objects.filter(person__in=participants_for_viewer(viewer=viewer), finished_at__isnull=False)
        .select_related("scene", "person")
        .order_by("-finished_at")[:limit]
    )
