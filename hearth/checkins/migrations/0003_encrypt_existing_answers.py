"""Encrypt the questionnaire answers already stored (reversible: backward decrypts)."""

from django.db import migrations

from hearth.core.encryption_migrations import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [("checkins", "0002_encrypt_phi")]

    operations = [encrypt_columns("checkins", "MeasureResponse", ["answers"])]
