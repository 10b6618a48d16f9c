"""A scene given as homework lives in the toolkit's homework: the participant sees it there with a
way into practice, cannot "hand it in" with written answers, and it is done when they finish the
scene; the clinician sees it with the rest of the person's homework. The home page's queries do
not grow with the amount of homework."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.checkins.services import local_today
from hearth.practice.services import assignment_create, run_choose, run_start
from hearth.toolkit.models import Assignment, Resource
from hearth.toolkit.services import assignment_create as homework_assign

GOOD_PATH = ["offer-firm-no", "second-change-subject"]


def _give(world, scene, days=3):
    return assignment_create(
        actor=world.clinician,
        person=world.participant,
        scene=scene,
        due_on=local_today(world.clinician) + datetime.timedelta(days=days),
    )


def test_scene_homework_in_the_toolkit_pages_and_done_by_playing(world, scenes, client_for):
    homework = _give(world, scenes["work-party"])
    client = client_for(world.participant)
    listing = client.get(reverse("toolkit:homework_list")).content.decode()
    assert "A drink at the work party" in listing
    detail_url = reverse("toolkit:homework_detail", args=[homework.pk])
    detail = client.get(detail_url).content.decode()
    assert "Play this practice scene to the end" in detail and reverse("practice:home") in detail
    # Written answers are not how a scene is done: nothing changes.
    assert client.post(detail_url, {"answer_0": "I said no"}).status_code == 302
    homework.refresh_from_db()
    assert homework.completed_at is None and homework.answers == ""
    practice_home = client.get(reverse("practice:home")).content.decode()
    assert "Asked by your care team" in practice_home

    run = run_start(actor=world.participant, scene=scenes["work-party"])
    for choice in GOOD_PATH:
        run = run_choose(actor=world.participant, run=run, choice_id=choice)
    homework.refresh_from_db()
    assert homework.completed_at == run.finished_at
    assert "You practised it on" in client.get(detail_url).content.decode()

    staff = client_for(world.clinician)
    person_page = staff.get(reverse("toolkit:person", args=[world.participant.pk])).content.decode()
    assert "A drink at the work party" in person_page
    review = staff.get(reverse("toolkit:review", args=[homework.pk])).content.decode()
    assert "Done by playing the practice scene" in review
    practice_page = staff.get(reverse("practice:person", args=[world.participant.pk])).content.decode()
    assert "A drink at the work party" in practice_page and "Practised" in practice_page


def test_spanish_reader_sees_the_scene_title_in_spanish(world, scenes, client_for):
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])
    _give(world, scenes["work-party"])
    client = client_for(world.participant)
    page = client.get(reverse("toolkit:homework_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Un trago en la fiesta del trabajo" in page


def test_home_page_queries_do_not_grow_with_scene_homework(world, scenes, client_for, django_assert_max_num_queries):
    resource = Resource.objects.filter(program=None, language="en").first()
    _give(world, scenes["work-party"], days=1)
    client = client_for(world.participant)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("dashboard")).content.decode()
    assert "A drink at the work party" in page
    _give(world, scenes["old-friend-call"], days=2)
    _give(world, scenes["family-dinner"], days=4)
    for days in range(2, 8):
        homework_assign(
            actor=world.clinician,
            resource=resource,
            person=world.participant,
            due_date=local_today(world.clinician) + datetime.timedelta(days=days),
        )
    assert Assignment.objects.filter(person=world.participant).count() == 9
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dashboard"))
