import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from hearth.core.encryption import decrypt_text
from hearth.safety.models import SafetySignal

pytestmark = pytest.mark.django_db

SECRET = "Said they are thinking about using again after the funeral."


def _raw_evidence(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT evidence FROM safety_safetysignal WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_database_holds_ciphertext(world):
    signal = SafetySignal.objects.create(person=world.participant, source="t.t", severity="high", evidence=SECRET)
    raw = _raw_evidence(signal.pk)
    assert SECRET not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    assert SafetySignal.objects.get(pk=signal.pk).evidence == SECRET


def test_rotation_reencrypts_with_the_new_key(world, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    signal = SafetySignal.objects.create(person=world.participant, source="t.t", severity="high", evidence=SECRET)
    before = _raw_evidence(signal.pk)

    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys")
    after = _raw_evidence(signal.pk)
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()).decode() == SECRET

    # The old key can now be retired: everything still reads with the new key alone.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert SafetySignal.objects.get(pk=signal.pk).evidence == SECRET
    assert decrypt_text(after) == SECRET
