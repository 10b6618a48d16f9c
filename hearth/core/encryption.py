"""Encryption at rest for sensitive free text (clinical notes, check-in notes, safety plans).

Keys come from settings.FIELD_ENCRYPTION_KEYS, newest first: the first key encrypts, every key
decrypts, so a new key can be put in front and old rows re-encrypted with
``manage.py rotate_encryption_keys`` before the old key is removed.
"""

import datetime
import json
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: set it (make keys prints one) before storing sensitive text."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS holds an invalid Fernet key: {exc}") from exc


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with FIELD_ENCRYPTION_KEYS: a key that encrypted it is missing."
        ) from exc


def is_token(value: str) -> bool:
    """True when ``value`` is a token one of the current keys decrypts (used by data migrations)."""
    try:
        fernet().decrypt(value.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError, ValueError):
        return False
    return True


def rotate_token(token: str) -> str:
    return fernet().rotate(token.encode("ascii")).decode("ascii")


# Tokens kept outside EncryptedTextField columns (allauth's MFA secrets inside a JSON column):
# the app that stores them registers a function that re-encrypts them and returns the row count.
EXTRA_ROTATIONS: dict[str, Callable[[], int]] = {}


def register_rotation(label: str, rotate: Callable[[], int]) -> None:
    EXTRA_ROTATIONS[label] = rotate


class EncryptedTextField(models.TextField):
    """A TextField stored as a Fernet token. Not searchable or orderable by content, on purpose."""

    description = "Text encrypted at rest (Fernet)"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def to_python(self, value):
        return value


class EncryptedCharField(EncryptedTextField):
    """A short encrypted value (a name, a phone number): one-line form input, length checked on the
    plaintext. The column is text, since the token is longer than the value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs})


class EncryptedDateField(EncryptedTextField):
    """A date stored as an encrypted ISO string; Python code sees a ``datetime.date``."""

    description = "Date encrypted at rest (Fernet)"
    default_error_messages = {"invalid": _("Enter a valid date.")}

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, datetime.date):
            if isinstance(value, datetime.datetime):
                return value.date()
            return value or None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt_text(value.isoformat())

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return datetime.date.fromisoformat(decrypt_text(value))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (questionnaire answers) stored as an encrypted JSON string."""

    description = "JSON encrypted at rest (Fernet)"

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_text(json.dumps(value, separators=(",", ":")))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return json.loads(decrypt_text(value))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.JSONField, **kwargs})


def _normalise_for_lookup(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of the normalised value (case, spacing and Unicode form ignored) under a key
    derived from SECRET_KEY and ``purpose``, so an encrypted value can still be found by exact
    match without storing it in the clear. Empty values hash to ""."""
    normalised = _normalise_for_lookup(value or "")
    if not normalised:
        return ""
    return salted_hmac(f"hearth.keyed_hash.{purpose}", normalised, algorithm="sha256").hexdigest()


class KeyedHashField(models.CharField):
    """The keyed hash of another field of the same model, written whenever the row is saved.

    ``save(update_fields=[...])`` writes only the fields named: name this field too when the
    source changes. ``rotate_encryption_keys`` recomputes every such column (after a change of
    SECRET_KEY, lookups need it)."""

    def __init__(self, *args, source: str, purpose: str, **kwargs):
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def digest(self, value: str) -> str:
        return keyed_hash(value, purpose=self.purpose)

    def pre_save(self, model_instance, add):
        value = self.digest(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
