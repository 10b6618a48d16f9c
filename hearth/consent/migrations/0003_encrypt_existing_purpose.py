"""Encrypt the consents already stored (reversible: backward decrypts)."""

from django.db import migrations

from hearth.core.encryption_migrations import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_encrypt_phi")]

    operations = [encrypt_columns("consent", "Consent", ["purpose", "signature"])]
