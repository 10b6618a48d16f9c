"""Encrypt the clinical identities and MFA secrets already stored (reversible: backward decrypts)."""

from django.db import migrations

from hearth.core.encryption_migrations import encrypt_columns, transform_json_values

mfa_forward, mfa_backward = transform_json_values("mfa", "Authenticator", "data", ("secret", "seed", "migrated_codes"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_encrypt_phi"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        encrypt_columns(
            "accounts",
            "ClinicalIdentity",
            ["legal_name", "date_of_birth", "phone", "emergency_contact_name", "emergency_contact_phone"],
            digests={"legal_name_digest": ("legal_name", "accounts.legal_name")},
        ),
        migrations.RunPython(mfa_forward, mfa_backward, elidable=False),
    ]
