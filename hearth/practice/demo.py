"""Practice scenes for the demo: the shipped scenes loaded, a few finished runs (Alex learned
from the work party, then played it again to a good ending; Jordan turned down Ray's call; Luis
played the family dinner in Spanish with an answer in his own words) and one scene given
to Alex as homework by her clinician (toolkit homework). Everything goes through the services; idempotent per person."""

import datetime

import time_machine
from django.utils import timezone

from hearth.toolkit.selectors import activity_homework_for_person

from .models import PracticeRun, Scene
from .selectors import SCENE_HOMEWORK
from .services import assignment_create, run_answer, run_choose, run_start, scenes_load, shipped_scene_paths

# key -> [(days ago, scene slug, language, typed answer at the first step or "", choices)]
RUNS = {
    "alex": [
        (6, "work-party", "en", "", ["offer-maybe-later", "pushes-sorry", "sip-give-in"]),
        (5, "work-party", "en", "No thanks, I'll have a soda.", ["offer-firm-no", "second-change-subject"]),
    ],
    "jordan": [(3, "old-friend-call", "en", "", ["call-delay", "pause-call-mentor"])],
    "luis": [
        (
            2,
            "family-dinner",
            "es",
            "No, gracias, tío. Mejor cuéntame cómo te fue en el trabajo.",
            ["toast-calm", "keeps-alternative", "aunt-share"],
        )
    ],
}


def seed(people) -> None:
    scenes_load(paths=shipped_scene_paths())
    scenes = {scene.slug: scene for scene in Scene.objects.filter(program__isnull=True)}
    now = timezone.now()
    for key, runs in RUNS.items():
        person = people.participants[key]
        if PracticeRun.objects.filter(person=person).exists():
            continue
        for days_ago, slug, language, typed, choices in runs:
            with time_machine.travel(now - datetime.timedelta(days=days_ago, hours=3), tick=False):
                run = run_start(actor=person, scene=scenes[slug], language=language)
                if typed:
                    run_answer(actor=person, run=run, text=typed)
                for choice in choices:
                    run = run_choose(actor=person, run=run, choice_id=choice)
    alex = people.participants["alex"]
    clinician = people.clinicians[0]
    if not activity_homework_for_person(viewer=clinician, person=alex, kind=SCENE_HOMEWORK).exists():
        today = timezone.localdate()
        friday = today + datetime.timedelta(days=(4 - today.weekday()) % 7 or 7)
        assignment_create(actor=clinician, person=alex, scene=scenes["old-friend-call"], due_on=friday)
