"""Issue #13 item 7: secrets and PHI are Fernet tokens in the database, not plain text."""

import datetime
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from hearth.accounts.models import ClinicalIdentity
from hearth.accounts.services import clinical_identity_update
from hearth.checkins.services import measure_submit
from hearth.consent.models import Category, RecipientKind
from hearth.consent.services import consent_grant
from hearth.core.encryption import is_token
from hearth.intake.services import intake_about_save, intake_packet_start, intake_screening_submit

pytestmark = pytest.mark.django_db


def raw(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        (value,) = cursor.fetchone()
    return value if isinstance(value, str) else str(value)


def test_clinical_identity_is_encrypted_and_reads_back(world):
    person = world.participant
    identity = clinical_identity_update(
        actor=person,
        person=person,
        legal_name="Dolores Quintanilla",
        date_of_birth=datetime.date(1984, 7, 9),
        phone="+1 312 555 0199",
        emergency_contact_name="Ana Quintanilla",
    )
    for column, plain in [
        ("legal_name", "Dolores"),
        ("date_of_birth", "1984"),
        ("phone", "555"),
        ("emergency_contact_name", "Ana"),
    ]:
        stored = raw("accounts_clinicalidentity", column, identity.pk)
        assert plain not in stored
        assert is_token(stored)
    fresh = ClinicalIdentity.objects.get(pk=identity.pk)
    assert fresh.date_of_birth == datetime.date(1984, 7, 9)
    assert fresh.legal_name == "Dolores Quintanilla"
    # Found by exact match (case and spacing ignored) through the keyed hash only.
    assert ClinicalIdentity.objects.filter(ClinicalIdentity.legal_name_lookup("  dolores  QUINTANILLA")).get() == fresh
    assert "Dolores" not in fresh.legal_name_digest
    # Renaming keeps the hash in step.
    clinical_identity_update(actor=person, person=person, legal_name="Dolores Q. Smith")
    assert ClinicalIdentity.objects.filter(ClinicalIdentity.legal_name_lookup("dolores q. smith")).exists()
    assert not ClinicalIdentity.objects.filter(ClinicalIdentity.legal_name_lookup("Dolores Quintanilla")).exists()


def test_answers_gender_and_consent_purpose_are_encrypted(world):
    person = world.participant
    response = measure_submit(actor=person, person=person, measure="phq9", answers=[1, 2, 3, 0, 1, 2, 3, 0, 0])
    assert is_token(raw("checkins_measureresponse", "answers", response.pk))
    assert type(response).objects.get(pk=response.pk).answers == [1, 2, 3, 0, 1, 2, 3, 0, 0]

    packet = intake_packet_start(actor=person, program=world.program)
    intake_about_save(
        actor=person,
        packet=packet,
        date_of_birth=None,
        phone="",
        emergency_contact_name="Sam",
        emergency_contact_phone="+1 312 555 0100",
        language="en",
        time_zone="America/Chicago",
        accessibility_needs="",
        sex_at_birth="",
        gender_identity="Nonbinary",
        availability=[],
        availability_note="",
    )
    assert is_token(raw("intake_intakepacket", "gender_identity", packet.pk))
    result = intake_screening_submit(actor=person, packet=packet, measure_code="gad7", answers=[0, 1, 2, 3, 0, 1, 2])
    assert is_token(raw("intake_screeningresult", "answers", result.pk))
    assert type(result).objects.get(pk=result.pk).answers == [0, 1, 2, 3, 0, 1, 2]

    consent = consent_grant(
        actor=person,
        program=world.program,
        recipient_kind=RecipientKind.COURT,
        recipient_name="County court",
        categories=[Category.ATTENDANCE],
        purpose="Drug court compliance review",
        expires_at=timezone.now() + datetime.timedelta(days=30),
        signature="Dolores Quintanilla",
    )
    assert is_token(raw("consent_consent", "purpose", consent.pk))
    assert is_token(raw("consent_consent", "signature", consent.pk))
    assert type(consent).objects.get(pk=consent.pk).purpose == "Drug court compliance review"


def test_mfa_secrets_are_encrypted_and_still_work(world):
    user = world.participant
    secret = generate_totp_secret()
    totp = TOTP.activate(user, secret)
    stored = Authenticator.objects.get(pk=totp.instance.pk).data["secret"]
    assert stored != secret
    assert is_token(stored)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert TOTP(Authenticator.objects.get(pk=totp.instance.pk)).validate_code(code)

    codes = RecoveryCodes.activate(user)
    seed = Authenticator.objects.get(pk=codes.instance.pk).data["seed"]
    assert is_token(seed)
    first = codes.get_unused_codes()[0]
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(first)


def test_rotation_covers_new_columns_and_mfa_secrets(world, settings):
    from cryptography.fernet import Fernet

    person = world.participant
    identity = clinical_identity_update(
        actor=person, person=person, legal_name="Rotating Person", date_of_birth=datetime.date(1990, 1, 2)
    )
    secret = generate_totp_secret()
    totp = TOTP.activate(world.other_participant, secret)
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, *old_keys]):
        call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert ClinicalIdentity.objects.get(pk=identity.pk).date_of_birth == datetime.date(1990, 1, 2)
        assert ClinicalIdentity.objects.filter(ClinicalIdentity.legal_name_lookup("rotating person")).exists()
        assert TOTP(Authenticator.objects.get(pk=totp.instance.pk)).validate_code(
            format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        )
