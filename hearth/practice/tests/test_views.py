import datetime

from django.urls import reverse
from django.utils import timezone

from hearth.practice.models import PracticeRun, Scene
from hearth.practice.services import assignment_create, run_answer, run_choose, run_start

from .test_services import GOOD_PATH, play


def _start(client, scene) -> PracticeRun:
    response = client.post(reverse("practice:start", args=[scene.pk]))
    assert response.status_code == 302
    return PracticeRun.objects.latest("pk")


def test_playing_a_scene_through_the_pages(world, scenes, client_for):
    client = client_for(world.participant)
    page = client.get(reverse("practice:home"))
    assert "A drink at the work party" in page.content.decode()
    run = _start(client, scenes["work-party"])
    url = reverse("practice:run", args=[run.pk])
    body = client.get(url).content.decode()
    assert "I got you a glass of wine" in body
    assert 'value="offer-firm-no"' in body
    at = "offer"
    for choice in GOOD_PATH:
        response = client.post(reverse("practice:choose", args=[run.pk]), {"choice": choice, "at": at})
        assert response.status_code == 302
        at = PracticeRun.objects.get(pk=run.pk).record["at"]
    body = client.get(url).content.decode()
    assert "You made it through" in body
    assert "Changing the subject" in body
    assert "Play again" in body
    history = client.get(reverse("practice:history")).content.decode()
    assert "Good ending" in history


def test_a_choice_not_in_the_step_answers_400_and_saves_nothing(world, scenes, client_for):
    client = client_for(world.participant)
    run = _start(client, scenes["work-party"])
    before = PracticeRun.objects.get(pk=run.pk).record
    for data in ({"choice": "second-leave", "at": "offer"}, {"choice": "nope"}, {}):
        response = client.post(reverse("practice:choose", args=[run.pk]), data)
        assert response.status_code == 400
        assert "not one of the choices for this step" in response.content.decode()
    assert PracticeRun.objects.get(pk=run.pk).record == before


def test_spanish_player_shows_spanish_scene_text(world, scenes, client_for):
    client = client_for(world.participant)
    run = _start(client, scenes["work-party"])
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])
    body = client.get(reverse("practice:run", args=[run.pk])).content.decode()
    assert "Te traje una copa de vino" in body
    assert "¿Qué dices?" in body


def test_typed_answer_shows_the_coach_checklist(world, scenes, client_for):
    client = client_for(world.participant)
    run = _start(client, scenes["work-party"])
    response = client.post(reverse("practice:answer", args=[run.pk]), {"answer": "Sorry, maybe later"})
    assert response.status_code == 302
    body = client.get(reverse("practice:run", args=[run.pk])).content.decode()
    assert "The coach&#x27;s notes on your answer" in body or "The coach's notes on your answer" in body
    assert "No excuses or vague answers" in body
    assert "This is not a score" in body
    empty = client.post(reverse("practice:answer", args=[run.pk]), {"answer": ""})
    assert empty.status_code == 400


def test_care_team_reads_the_run_and_the_persons_practice(world, scenes, client_for):
    run = play(world.participant, scenes["family-dinner"], ["toast-calm", "keeps-alternative", "aunt-share"])
    client = client_for(world.clinician)
    body = client.get(reverse("practice:run", args=[run.pk])).content.decode()
    assert "read only" in body
    assert 'name="choice"' not in body
    page = client.get(reverse("practice:person", args=[world.participant.pk])).content.decode()
    assert "Family dinner, and the past comes up" in page
    assert "Suggesting something else to do" in page
    assert "Assign a scene" in page
    assert "Changing the subject: 1 scene played" in page


def test_clinician_assigns_a_scene_and_it_shows_on_the_participants_dashboard(world, scenes, client_for):
    client = client_for(world.clinician)
    due = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    response = client.post(
        reverse("practice:assign", args=[world.participant.pk]), {"scene": scenes["old-friend-call"].pk, "due_on": due}
    )
    assert response.status_code == 302
    again = client.post(
        reverse("practice:assign", args=[world.participant.pk]), {"scene": scenes["old-friend-call"].pk, "due_on": due}
    )
    assert again.status_code == 400
    dashboard = client_for(world.participant).get(reverse("dashboard")).content.decode()
    assert "Your care team asked you to practise" in dashboard
    assert "An old friend calls with a plan" in dashboard
    bogus = client_for(world.clinician).post(
        reverse("practice:assign", args=[world.participant.pk]), {"scene": 999999, "due_on": due}
    )
    assert bogus.status_code == 400


def test_staff_edit_form_shows_scene_errors_with_line_numbers(world, scenes, client_for):
    client = client_for(world.clinician)
    source = scenes["work-party"].source.replace("slug: work-party", "slug: ours")
    response = client.post(
        reverse("practice:scene_new"),
        {"program": world.program.pk, "source": source.replace("next: good-home", "next: x")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line " in body and "not a node in this scene" in body
    assert not Scene.objects.filter(slug="ours").exists()
    created = client.post(reverse("practice:scene_new"), {"program": world.program.pk, "source": source})
    assert created.status_code == 302
    scene = Scene.objects.get(slug="ours")
    edit = client.post(reverse("practice:scene_edit", args=[scene.pk]), {"source": source.replace("Dana", "Dee")})
    assert edit.status_code == 302
    scene.refresh_from_db()
    assert scene.version == 2
    copy = client.get(reverse("practice:scene_new") + f"?from={scenes['family-dinner'].pk}").content.decode()
    assert "slug: family-dinner" in copy
    # The program's copy replaces the shipped scene of the same slug for its participants.
    shipped_start = reverse("practice:start", args=[scenes["work-party"].pk])
    assert shipped_start in client_for(world.participant).get(reverse("practice:home")).content.decode()
    client_for(world.clinician).post(
        reverse("practice:scene_new"), {"program": world.program.pk, "source": scenes["work-party"].source}
    )
    home = client_for(world.participant).get(reverse("practice:home")).content.decode()
    assert shipped_start not in home
    own_copy = Scene.objects.get(program=world.program, slug="work-party")
    assert reverse("practice:start", args=[own_copy.pk]) in home


def test_another_programs_scene_is_not_playable(world, scenes, client_for):
    from hearth.practice.services import scene_save
    from hearth.tests.factories import Role, grant_role

    grant_role(world.other_clinician, world.other_program, Role.ADMIN)
    source = scenes["work-party"].source.replace("slug: work-party", "slug: elsewhere")
    other = scene_save(actor=world.other_clinician, program=world.other_program, source=source)
    response = client_for(world.participant).post(reverse("practice:start", args=[other.pk]))
    assert response.status_code == 404


def test_history_and_person_pages_do_not_grow_queries_with_data(
    world, scenes, client_for, django_assert_max_num_queries
):
    for _ in range(2):
        play(world.participant, scenes["work-party"], GOOD_PATH)
    run = run_start(actor=world.participant, scene=scenes["old-friend-call"])
    run_answer(actor=world.participant, run=run, text="No.")
    run_choose(actor=world.participant, run=run, choice_id="call-no-first")
    assignment_create(
        actor=world.clinician,
        person=world.participant,
        scene=scenes["family-dinner"],
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    participant = client_for(world.participant)
    participant.get(reverse("dashboard"))  # the first request of a session writes the session rows
    with django_assert_max_num_queries(12):
        assert participant.get(reverse("practice:history")).status_code == 200
    with django_assert_max_num_queries(14):
        assert participant.get(reverse("practice:home")).status_code == 200
    clinician = client_for(world.clinician)
    clinician.get(reverse("dashboard"))
    with django_assert_max_num_queries(20):
        assert clinician.get(reverse("practice:person", args=[world.participant.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert clinician.get(reverse("practice:scenes")).status_code == 200


def test_scene_errors_are_shown_in_spanish_to_spanish_speaking_staff(world, scenes, client_for):
    world.clinician.language = "es"
    world.clinician.save(update_fields=["language"])
    source = scenes["work-party"].source.replace("slug: work-party", "slug: ours").replace("next: good-home", "next: x")
    response = client_for(world.clinician).post(
        reverse("practice:scene_new"), {"program": world.program.pk, "source": source}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Línea " in body and "no es un nodo de esta escena (rama incompleta)" in body


def test_staff_open_a_persons_practice_from_the_library(world, scenes, client_for):
    client = client_for(world.clinician)
    page = client.get(reverse("practice:scenes")).content.decode()
    assert f'<option value="{world.participant.pk}">' in page
    response = client.get(reverse("practice:scenes"), {"person": world.participant.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("practice:person", args=[world.participant.pk])
    assert (
        client_for(world.other_clinician).get(reverse("practice:scenes"), {"person": world.participant.pk}).status_code
        == 404
    )
    assert client.get(reverse("practice:scenes"), {"person": "junk"}).status_code == 404
