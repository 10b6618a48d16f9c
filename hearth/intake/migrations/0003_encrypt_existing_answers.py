"""Encrypt the intake screening answers and gender already stored (reversible: backward decrypts)."""

from django.db import migrations

from hearth.core.encryption_migrations import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_encrypt_phi")]

    operations = [
        encrypt_columns("intake", "IntakePacket", ["gender_identity"]),
        encrypt_columns("intake", "ScreeningResult", ["answers"]),
    ]
