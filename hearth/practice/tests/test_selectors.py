import pytest
from django.http import Http404

from hearth.practice.schema import SceneError
from hearth.practice.selectors import (
    person_for_practice,
    run_for_viewer,
    runs_for_person,
    scene_for_editor,
    scenes_for_player,
)
from hearth.practice.services import run_start, scene_save


def test_a_persons_runs_are_theirs_and_their_care_teams(world, scenes):
    run = run_start(actor=world.participant, scene=scenes["work-party"])
    for viewer in (world.participant, world.clinician, world.admin):
        assert run_for_viewer(viewer=viewer, run_id=run.pk) == run
        assert list(runs_for_person(viewer=viewer, person=world.participant)) == [run]
        assert person_for_practice(viewer=viewer, person_id=world.participant.pk) == world.participant
    for viewer in (world.other_participant, world.other_clinician, world.mentor, world.family_with_consent):
        with pytest.raises(Http404):
            run_for_viewer(viewer=viewer, run_id=run.pk)
        with pytest.raises(Http404):
            runs_for_person(viewer=viewer, person=world.participant)
        with pytest.raises(Http404):
            person_for_practice(viewer=viewer, person_id=world.participant.pk)
    with pytest.raises(Http404):
        run_for_viewer(viewer=world.participant, run_id="junk")


def test_players_see_shipped_and_their_programs_scenes_only(world, scenes):
    assert {s.slug for s in scenes_for_player(viewer=world.participant)} == set(scenes)
    assert scenes_for_player(viewer=world.family_with_consent) == []
    source = scenes["work-party"].source.replace("slug: work-party", "slug: ours")
    own = scene_save(actor=world.clinician, program=world.program, source=source)
    assert own in scenes_for_player(viewer=world.participant)
    with pytest.raises(Http404):
        scene_for_editor(viewer=world.other_clinician, scene_id=own.pk)
    with pytest.raises(Http404):
        scene_for_editor(viewer=world.clinician, scene_id=scenes["work-party"].pk)


def test_a_broken_edit_leaves_the_stored_scene_as_it_was(world, scenes):
    source = scenes["work-party"].source.replace("slug: work-party", "slug: ours")
    own = scene_save(actor=world.clinician, program=world.program, source=source)
    with pytest.raises(SceneError):
        scene_save(actor=world.clinician, program=None, scene=own, source=source.replace("next: balcony", "next: roof"))
    own.refresh_from_db()
    assert own.version == 1
    assert own.source == source
    assert own.definition["nodes"]["offer"]["choices"][2]["next"] == "balcony"
