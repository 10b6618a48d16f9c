from hearth.tests.authz import LOGIN_REDIRECT, PARTICIPANTS, STAFF, only, rule

PERSONAS_SIGNED_IN = (
    "participant",
    "other_participant",
    "clinician",
    "other_clinician",
    "mentor",
    "family_with_consent",
    "family_without",
    "admin",
)


def practice_world(world):
    """Shipped scenes, a scene of the world's program, and a run the participant has begun."""
    cached = getattr(world, "_practice", None)
    if cached is None:
        from hearth.practice.models import Scene
        from hearth.practice.services import run_start, scene_save, scenes_load, shipped_scene_paths

        scenes = {scene.slug: scene for scene in scenes_load(paths=shipped_scene_paths())}
        source = scenes["work-party"].source.replace("slug: work-party", "slug: program-party")
        own = scene_save(actor=world.clinician, program=world.program, source=source)
        run = run_start(actor=world.participant, scene=scenes["work-party"])
        cached = {"scenes": scenes, "own": Scene.objects.get(pk=own.pk), "run": run}
        world._practice = cached
    return cached


def _by_persona(**codes) -> dict:
    """Personas not named get 404: they may not know whose practice exists."""
    expect = dict.fromkeys(PERSONAS_SIGNED_IN, 404)
    expect.update(codes)
    expect["anonymous"] = LOGIN_REDIRECT
    return expect


def _run(world) -> dict:
    return {"run_id": practice_world(world)["run"].pk}


def _participant(world) -> dict:
    return {"person_id": world.participant.pk}


ACCESS = {
    "practice:home": only(PARTICIPANTS),
    "practice:history": only(PARTICIPANTS),
    "practice:start": only(
        PARTICIPANTS,
        ok=302,
        method="post",
        kwargs=lambda w: {"scene_id": practice_world(w)["scenes"]["family-dinner"].pk},
    ),
    # The person plays; their care team reads the transcript; anyone else may not know it exists.
    "practice:run": rule(_by_persona(participant=200, clinician=200, admin=200), kwargs=_run, anonymous_to_login=True),
    "practice:choose": rule(
        _by_persona(participant=302, clinician=403, admin=403),
        kwargs=_run,
        method="post",
        data=lambda w: {"choice": "offer-firm-no", "at": "offer"},
        anonymous_to_login=True,
    ),
    "practice:answer": rule(
        _by_persona(participant=302, clinician=403, admin=403),
        kwargs=_run,
        method="post",
        data=lambda w: {"answer": "No, thanks. I'll get a soda."},
        anonymous_to_login=True,
    ),
    "practice:scenes": only(STAFF),
    "practice:scene_new": only(STAFF),
    "practice:scene_edit": rule(
        {
            **dict.fromkeys(
                ("participant", "other_participant", "mentor", "family_with_consent", "family_without"), 403
            ),
            "clinician": 200,
            "admin": 200,
            "other_clinician": 404,
            "anonymous": LOGIN_REDIRECT,
        },
        kwargs=lambda w: {"scene_id": practice_world(w)["own"].pk},
        anonymous_to_login=True,
    ),
    "practice:person": rule(
        _by_persona(participant=200, clinician=200, admin=200), kwargs=_participant, anonymous_to_login=True
    ),
    "practice:assign": rule(
        _by_persona(clinician=302, admin=302),
        kwargs=_participant,
        method="post",
        data=lambda w: {"scene": practice_world(w)["scenes"]["old-friend-call"].pk, "due_on": "2099-01-08"},
        anonymous_to_login=True,
    ),
}
