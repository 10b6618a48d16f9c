import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "alive"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "channel_layer": "ok"}


def _production_env(**overrides):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "hearth.config.settings.production",
        "SECRET_KEY": "p" * 30 + "roduction-secret-key-for-this-test-only-0123456789",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": "postgres://hearth@127.0.0.1:5432/hearth",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "hearth.example.org",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _check(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=_production_env(**env),
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _check("--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"FIELD_ENCRYPTION_KEYS": None}, "FIELD_ENCRYPTION_KEYS"),
        ({"DATABASE_URL": None}, "PostgreSQL"),
        ({"DEBUG": "maybe"}, "must be a boolean"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_insecure_settings(override, message):
    result = _check(**override)
    assert result.returncode != 0
    assert message in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text("f" * 60)
    result = _check(SECRET_KEY=None, SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_logs_carry_no_personal_health_information(world, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for(world.clinician)
    client.get(f"/people/{world.participant.pk}/")
    client.get("/people/999999/")  # a 404 is logged with its path only
    client_for(world.participant).get("/profile/clinical/")
    text = caplog.text
    assert world.participant.clinical_identity.legal_name not in text
    assert world.participant.email not in text
