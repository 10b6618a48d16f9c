"""The monthly supervision note: one per mentor per month, encrypted, audited, a stale edit refused,
read by the mentor's supervisor and the program's admins only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from hearth.audit.models import AuditEntry
from hearth.mentorship.models import SupervisionNote
from hearth.mentorship.selectors import profile_for_supervisor, supervision_notes_for_viewer
from hearth.mentorship.services import supervision_note_save
from hearth.programs.models import Role
from hearth.tests.factories import UserFactory, enrol_mfa, grant_role

from .helpers import active_mentorship, approved_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def _colleague(world):
    """A clinician of the program who does not supervise the world's mentor."""
    user = UserFactory(display_name="Colleague")
    grant_role(user, world.program, Role.CLINICIAN)
    enrol_mfa(user)
    return user


def test_supervisor_writes_then_edits_one_note_a_month_encrypted_and_audited(world):
    profile = approved_mentor(world)  # approved by the world's clinician, who supervises
    middle = _this_month() + datetime.timedelta(days=14)
    note = supervision_note_save(
        actor=world.clinician, profile=profile, month=middle, body="Steady month; keeps good boundaries.", version=0
    )
    assert note.month == _this_month() and note.version == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM mentorship_supervisionnote")
        (raw,) = cursor.fetchone()
    assert "boundaries" not in raw
    edited = supervision_note_save(
        actor=world.admin, profile=profile, month=_this_month(), body="Steady month. Discussed self-care.", version=1
    )
    assert edited.pk == note.pk and edited.version == 2 and edited.written_by == world.admin
    assert SupervisionNote.objects.count() == 1
    actions = list(
        AuditEntry.objects.filter(action__startswith="mentorship.supervision_note")
        .order_by("pk")
        .values_list("action", "subject_id")
    )
    assert actions == [
        ("mentorship.supervision_note.written", world.mentor.pk),
        ("mentorship.supervision_note.updated", world.mentor.pk),
    ]


def test_a_stale_edit_is_refused_and_changes_nothing(world):
    profile = approved_mentor(world)
    supervision_note_save(actor=world.clinician, profile=profile, month=_this_month(), body="First.", version=0)
    supervision_note_save(actor=world.admin, profile=profile, month=_this_month(), body="Second.", version=1)
    with pytest.raises(ValidationError, match="Someone saved this note"):
        # The clinician's page still holds version 1.
        supervision_note_save(actor=world.clinician, profile=profile, month=_this_month(), body="Mine.", version=1)
    with pytest.raises(ValidationError, match="Someone saved this note"):
        # A second "first note" for the same month (two supervisors opened an empty form).
        supervision_note_save(actor=world.clinician, profile=profile, month=_this_month(), body="New.", version=0)
    note = SupervisionNote.objects.get()
    assert note.body == "Second." and note.version == 2


@pytest.mark.parametrize(
    ("month", "body", "version", "field"),
    [
        (None, "A note.", 0, "month"),
        ("next", "A note.", 0, "month"),
        ("this", "   ", 0, "body"),
        ("this", "x" * 5001, 0, "body"),
        ("this", "A note.", "abc", "__all__"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(world, month, body, version, field):
    profile = approved_mentor(world)
    months = {"this": _this_month(), "next": (_this_month() + datetime.timedelta(days=40)).replace(day=1), None: None}
    with pytest.raises(ValidationError) as error:
        supervision_note_save(actor=world.clinician, profile=profile, month=months[month], body=body, version=version)
    assert field in error.value.message_dict
    assert not SupervisionNote.objects.exists()


def test_only_the_supervisor_and_program_admins_write_and_read_notes(world):
    profile = approved_mentor(world)
    colleague = _colleague(world)
    for outsider in (colleague, world.mentor, world.participant, world.other_clinician):
        with pytest.raises(PermissionDenied):
            supervision_note_save(actor=outsider, profile=profile, month=_this_month(), body="No.", version=0)
    supervision_note_save(actor=world.clinician, profile=profile, month=_this_month(), body="Yes.", version=0)
    for reader in (world.clinician, world.admin):
        assert [n.body for n in supervision_notes_for_viewer(viewer=reader, months=[_this_month()])] == ["Yes."]
        assert profile_for_supervisor(viewer=reader, profile_id=profile.pk) == profile
    for outsider in (colleague, world.mentor, world.participant, world.other_clinician):
        assert not supervision_notes_for_viewer(viewer=outsider, months=[_this_month()]).exists()


def test_supervision_view_shows_the_note_and_refuses_a_stale_edit_in_the_page(
    world, client_for, django_assert_max_num_queries
):
    active_mentorship(world)
    profile = world.mentor.mentor_profile
    client = client_for(world.clinician)
    url = reverse("mentorship:supervision_note", args=[profile.pk])
    month = _this_month().strftime("%Y-%m")
    response = client.post(url, {"month": month, "body": "Calls every mentee weekly.", "version": "0"})
    assert response.status_code == 302
    page = client.get(reverse("mentorship:supervision")).content.decode()
    assert "Calls every mentee weekly." in page and 'name="version" value="1"' in page
    assert AuditEntry.objects.filter(action="mentorship.supervision_note.viewed", subject=world.mentor).exists()
    # The admin saves in between; the clinician's page still says version 1.
    supervision_note_save(actor=world.admin, profile=profile, month=_this_month(), body="Admin's words.", version=1)
    response = client.post(url, {"month": month, "body": "My late edit.", "version": "1"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Someone saved this note since you opened it" in body and "My late edit." in body  # nothing typed is lost
    assert SupervisionNote.objects.get().body == "Admin's words."
    # Another clinician of the program neither reads nor writes it.
    colleague = client_for(_colleague(world))
    assert "Admin's words." not in colleague.get(reverse("mentorship:supervision")).content.decode()
    assert colleague.post(url, {"month": month, "body": "x", "version": "2"}).status_code == 404
    # The page's queries do not grow with the mentors and notes on it.
    admin = client_for(world.admin)
    admin.get(reverse("mentorship:supervision"))
    with django_assert_max_num_queries(22) as one_mentor:
        admin.get(reverse("mentorship:supervision"))
    for n in range(3):
        user = UserFactory(display_name=f"Mentor {n}")
        grant_role(user, world.program, Role.MENTOR)
        enrol_mfa(user)
        other = approved_mentor(world, user)
        supervision_note_save(actor=world.admin, profile=other, month=_this_month(), body=f"Note {n}", version=0)
    with django_assert_max_num_queries(len(one_mentor.captured_queries)):
        page = admin.get(reverse("mentorship:supervision")).content.decode()
    assert all(f"Note {n}" in page for n in range(3))
