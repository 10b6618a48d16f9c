"""The data migrations of issue #13 item 7 encrypt rows stored before them, and reverse cleanly."""

import datetime
import json

import pytest
from django.db import connection

from hearth.core.encryption import decrypt_text, is_token
from hearth.tests.original_migrations import migrate_originals, original_leaves

BEFORE = [("accounts", "0002_initial"), ("checkins", "0001_initial"), ("mfa", "0003_authenticator_type_uniq")]


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_and_the_migration_reverses():
    leaves = original_leaves()
    old = migrate_originals(BEFORE).loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    user = User.objects.create(email="before@hearth.test", display_name="Before", password="!")
    old.get_model("accounts", "ClinicalIdentity").objects.create(
        user_id=user.pk, legal_name="Plain Person", date_of_birth=datetime.date(1980, 5, 6), phone="555-0100"
    )
    old.get_model("mfa", "Authenticator").objects.create(
        user_id=user.pk, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    old.get_model("checkins", "MeasureResponse").objects.create(
        person_id=user.pk,
        measure="gad7",
        instance_date=datetime.date(2026, 1, 1),
        answers=[3, 2, 1, 0, 0, 0, 1],
        total=7,
        band="mild",
        level="low",
    )

    migrate_originals(leaves)
    name, born, digest = _raw(
        "SELECT legal_name, date_of_birth, legal_name_digest FROM accounts_clinicalidentity WHERE user_id = %s",
        [user.pk],
    )
    assert is_token(name) and decrypt_text(name) == "Plain Person"
    assert is_token(born) and decrypt_text(born) == "1980-05-06"
    assert digest
    from hearth.accounts.models import ClinicalIdentity
    from hearth.checkins.models import MeasureResponse

    identity = ClinicalIdentity.objects.get(user_id=user.pk)
    assert identity.date_of_birth == datetime.date(1980, 5, 6)
    assert ClinicalIdentity.objects.filter(ClinicalIdentity.legal_name_lookup("plain person")).get() == identity
    (data,) = _raw("SELECT data FROM mfa_authenticator WHERE user_id = %s", [user.pk])
    secret = (json.loads(data) if isinstance(data, str) else data)["secret"]
    assert is_token(secret) and decrypt_text(secret) == "JBSWY3DPEHPK3PXP"
    (answers,) = _raw("SELECT answers FROM checkins_measureresponse WHERE person_id = %s", [user.pk])
    assert is_token(answers)
    assert MeasureResponse.objects.get(person_id=user.pk).answers == [3, 2, 1, 0, 0, 0, 1]

    # Backward: plaintext again, in the old column types.
    old = migrate_originals(BEFORE).loader.project_state(BEFORE).apps
    restored = old.get_model("accounts", "ClinicalIdentity").objects.get(user_id=user.pk)
    assert restored.legal_name == "Plain Person"
    assert restored.date_of_birth == datetime.date(1980, 5, 6)
    assert old.get_model("mfa", "Authenticator").objects.get(user_id=user.pk).data["secret"] == "JBSWY3DPEHPK3PXP"
    assert old.get_model("checkins", "MeasureResponse").objects.get(person_id=user.pk).answers == [3, 2, 1, 0, 0, 0, 1]
    migrate_originals(leaves)
