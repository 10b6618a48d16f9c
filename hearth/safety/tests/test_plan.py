import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.safety.models import SafetyPlan, SafetyPlanVersion
from hearth.safety.services import safety_plan_review, safety_plan_save

pytestmark = pytest.mark.django_db

SECTIONS = {
    "warning_signs": "Not sleeping\nSkipping group",
    "coping_strategies": "Walk",
    "distractions": "Coffee shop",
    "professionals": "",
    "environment": "Ana keeps my medication",
    "reasons_for_living": "My sister",
}


def _post_data(based_on: int, contacts: list[tuple[str, str]], **sections) -> dict:
    data = {"based_on": based_on, **SECTIONS, **sections}
    data.update(
        {
            "contacts-TOTAL_FORMS": len(contacts),
            "contacts-INITIAL_FORMS": 0,
            "contacts-MIN_NUM_FORMS": 0,
            "contacts-MAX_NUM_FORMS": 10,
        }
    )
    for i, (name, phone) in enumerate(contacts):
        data[f"contacts-{i}-name"] = name
        data[f"contacts-{i}-phone"] = phone
    return data


def _edit_url(world):
    return reverse("safety_plan_edit", args=[world.participant.pk])


def test_each_save_is_a_new_encrypted_version(world):
    v1 = safety_plan_save(actor=world.participant, person=world.participant, based_on=0, sections=SECTIONS, contacts=[])
    v2 = safety_plan_save(
        actor=world.clinician,
        person=world.participant,
        based_on=1,
        sections={**SECTIONS, "warning_signs": "Changed"},
        contacts=[{"name": "Ana", "phone": "+1 312 555 0117"}],
    )
    assert (v1.number, v2.number) == (1, 2)
    assert SafetyPlanVersion.objects.filter(plan__person=world.participant).count() == 2
    assert SafetyPlanVersion.objects.get(pk=v1.pk).warning_signs == SECTIONS["warning_signs"]
    # At rest the text is ciphertext.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT warning_signs, contacts FROM safety_safetyplanversion WHERE id = %s", [v2.pk])
        raw_signs, raw_contacts = cursor.fetchone()
    assert "Changed" not in raw_signs and "Ana" not in raw_contacts
    assert AuditEntry.objects.filter(action="safety.plan.saved", subject=world.participant).count() == 2


def test_others_may_not_write_the_plan(world):
    for outsider in (world.other_clinician, world.family_with_consent, world.other_participant):
        with pytest.raises(PermissionDenied):
            safety_plan_save(actor=outsider, person=world.participant, based_on=0, sections=SECTIONS, contacts=[])


def test_stale_save_is_refused_and_the_text_stays_in_the_form(world, client_for):
    client = client_for(world.participant)
    assert client.post(_edit_url(world), _post_data(0, [("Ana", "312 555 0117")])).status_code == 302
    # The clinician saves version 2 while the participant still has version 1 open.
    safety_plan_save(actor=world.clinician, person=world.participant, based_on=1, sections=SECTIONS, contacts=[])
    response = client.post(_edit_url(world), _post_data(1, [("Sam", "312 555 0180")], warning_signs="My new words"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone saved this plan while you were editing it" in page
    assert "My new words" in page and "Sam" in page
    assert SafetyPlanVersion.objects.filter(plan__person=world.participant).count() == 2


def test_two_hundred_contacts_are_refused(world, client_for):
    contacts = [(f"Person {i}", f"312 555 {i:04d}") for i in range(200)]
    response = client_for(world.participant).post(_edit_url(world), _post_data(0, contacts))
    assert response.status_code == 200
    assert "at most 10" in response.content.decode()
    assert not SafetyPlan.objects.exists()
    with pytest.raises(ValidationError):
        safety_plan_save(
            actor=world.participant,
            person=world.participant,
            based_on=0,
            sections=SECTIONS,
            contacts=[{"name": f"P{i}", "phone": "3125550100"} for i in range(11)],
        )


@pytest.mark.parametrize("phone", ["call me maybe", "12", "555-CALL-NOW", "1234567890123456789", "javascript:alert(1)"])
def test_a_phone_that_is_not_one_is_refused(world, client_for, phone):
    response = client_for(world.participant).post(_edit_url(world), _post_data(0, [("Ana", phone)]))
    assert response.status_code == 200
    assert "Enter a phone number" in response.content.decode()
    assert not SafetyPlanVersion.objects.exists()


def test_script_in_any_field_is_shown_as_text(world, client_for):
    script = "<script>alert('x')</script>"
    sections = {name: f"{script} {name}" for name in SECTIONS}
    client = client_for(world.participant)
    assert client.post(_edit_url(world), _post_data(0, [(script, "312 555 0117")], **sections)).status_code == 302
    for url in (reverse("safety_plan", args=[world.participant.pk]), reverse("crisis")):
        page = client.get(url).content.decode()
        assert script not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; warning_signs" in page


def test_plan_page_shows_tap_to_call_and_text(world, client_for):
    safety_plan_save(
        actor=world.participant,
        person=world.participant,
        based_on=0,
        sections=SECTIONS,
        contacts=[{"name": "Ana", "phone": "+1 (312) 555-0117"}],
    )
    page = client_for(world.participant).get(reverse("safety_plan", args=[world.participant.pk])).content.decode()
    assert 'href="tel:+13125550117"' in page and 'href="sms:+13125550117"' in page
    assert 'href="tel:911"' in page and 'href="tel:988"' in page
    assert "<script" not in page.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("participant", 200),
        ("clinician", 200),
        ("admin", 200),
        ("family_with_consent", 200),
        ("family_without", 404),
        ("other_participant", 404),
        ("other_clinician", 404),
        ("mentor", 404),
    ],
)
def test_who_may_read_the_plan(world, client_for, persona, status):
    safety_plan_save(actor=world.participant, person=world.participant, based_on=0, sections=SECTIONS, contacts=[])
    response = client_for(world.personas()[persona]).get(reverse("safety_plan", args=[world.participant.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Skipping group" in response.content.decode()


def test_family_loses_the_plan_when_consent_is_revoked(world, client_for):
    from hearth.consent.services import consent_revoke

    safety_plan_save(actor=world.participant, person=world.participant, based_on=0, sections=SECTIONS, contacts=[])
    consent_revoke(actor=world.participant, consent=world.consent)
    url = reverse("safety_plan", args=[world.participant.pk])
    assert client_for(world.family_with_consent).get(url).status_code == 404


def test_clinician_reviews_the_current_version_only(world):
    safety_plan_save(actor=world.participant, person=world.participant, based_on=0, sections=SECTIONS, contacts=[])
    with pytest.raises(PermissionDenied):
        safety_plan_review(actor=world.participant, person=world.participant, number=1)
    with pytest.raises(ValidationError):
        safety_plan_review(actor=world.clinician, person=world.participant, number=7)
    version = safety_plan_review(actor=world.clinician, person=world.participant, number=1)
    assert version.reviewed_by == world.clinician


def test_participant_saving_asks_the_primary_clinician_to_review(world):
    from hearth.notifications.models import Notification

    safety_plan_save(actor=world.participant, person=world.participant, based_on=0, sections=SECTIONS, contacts=[])
    notes = Notification.objects.filter(kind="safety.plan_review")
    assert list(notes.values_list("recipient_id", flat=True)) == [world.clinician.pk]
    assert "Skipping" not in notes.get().title


def test_crisis_page_shows_my_plan_first(world, client_for):
    client = client_for(world.participant)
    page = client.get(reverse("crisis")).content.decode()
    assert "My safety plan" not in page.split("</header>", 1)[1]
    safety_plan_save(
        actor=world.participant,
        person=world.participant,
        based_on=0,
        sections=SECTIONS,
        contacts=[{"name": "Ana", "phone": "312 555 0117"}],
    )
    page = client.get(reverse("crisis")).content.decode()
    main = page.split('<main id="main"', 1)[1]
    assert main.index("My sister") < main.index("Call or text 988")
    # The panel on every page leads with the plan and its people.
    header = page.split("</header>", 1)[0]
    assert header.index("Open my safety plan") < header.index("Call or text 988")
    assert 'href="tel:3125550117"' in header
    # Someone else's crisis page never shows the participant's plan.
    assert "My sister" not in client_for(world.other_participant).get(reverse("crisis")).content.decode()
    assert "My sister" not in client_for(None).get(reverse("crisis")).content.decode()


def test_contacts_are_stored_as_json(world):
    version = safety_plan_save(
        actor=world.participant,
        person=world.participant,
        based_on=0,
        sections=SECTIONS,
        contacts=[{"name": " Ana ", "phone": " 312 555 0117 "}],
    )
    assert json.loads(SafetyPlanVersion.objects.get(pk=version.pk).contacts) == [
        {"name": "Ana", "phone": "312 555 0117"}
    ]
