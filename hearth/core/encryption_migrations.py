"""Data-migration steps that move existing plaintext columns to Fernet tokens and back.

They read and write the columns with SQL: the historical model's field decrypts on load, so
loading a plaintext row through the ORM would fail. Forward skips values that are already tokens
(so a half-done run can be repeated); backward decrypts, so the schema change before it can be
reversed too (``USING col::date`` / ``::jsonb`` on PostgreSQL then reads the plaintext).
"""

from collections.abc import Callable, Iterable

from django.db import migrations

from .encryption import decrypt_text, encrypt_text, is_token, keyed_hash


def _rows(connection, table: str, pk: str, columns: list[str]) -> Iterable[tuple]:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q(pk)}, {', '.join(q(c) for c in columns)} FROM {q(table)}")  # noqa: S608
        return cursor.fetchall()


def _update(connection, table: str, pk: str, pk_value, values: dict[str, str | None]) -> None:
    q = connection.ops.quote_name
    assignments = ", ".join(f"{q(column)} = %s" for column in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(table)} SET {assignments} WHERE {q(pk)} = %s",  # noqa: S608
            [*values.values(), pk_value],
        )


def _as_text(value) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def encrypt_columns(
    app_label: str,
    model_name: str,
    fields: list[str],
    *,
    digests: dict[str, tuple[str, str]] | None = None,
) -> migrations.RunPython:
    """Encrypt ``fields`` of every row; ``digests`` maps a hash column to (source field, purpose)."""
    digests = digests or {}

    def columns_of(apps):
        model = apps.get_model(app_label, model_name)
        meta = model._meta
        return meta.db_table, meta.pk.column, [meta.get_field(f).column for f in fields], meta

    def forward(apps, schema_editor):
        connection = schema_editor.connection
        table, pk, columns, meta = columns_of(apps)
        digest_sources = {
            meta.get_field(target).column: (columns[fields.index(source)], purpose)
            for target, (source, purpose) in digests.items()
        }
        for pk_value, *values in _rows(connection, table, pk, columns):
            plain = {c: (None if v is None else _as_text(v)) for c, v in zip(columns, values, strict=True)}
            changes: dict[str, str | None] = {
                c: encrypt_text(v) for c, v in plain.items() if v not in (None, "") and not is_token(v)
            }
            for target, (source_column, purpose) in digest_sources.items():
                source = plain[source_column]
                if source and is_token(source):
                    source = decrypt_text(source)
                changes[target] = keyed_hash(source or "", purpose=purpose)
            if changes:
                _update(connection, table, pk, pk_value, changes)

    def backward(apps, schema_editor):
        connection = schema_editor.connection
        table, pk, columns, _meta = columns_of(apps)
        for pk_value, *values in _rows(connection, table, pk, columns):
            changes = {
                c: decrypt_text(_as_text(v))
                for c, v in zip(columns, values, strict=True)
                if v not in (None, "") and is_token(_as_text(v))
            }
            if changes:
                _update(connection, table, pk, pk_value, changes)

    # Elidable: it only changes rows that existed before the column was encrypted, so a squashed
    # migration (used on a database that applied none of the replaced ones) may leave it out.
    return migrations.RunPython(forward, backward, elidable=True)


def transform_json_values(
    app_label: str, model_name: str, field: str, keys: tuple[str, ...]
) -> tuple[Callable, Callable]:
    """Forward/backward functions that encrypt/decrypt the named keys inside a JSON column
    (allauth's ``mfa.Authenticator.data``: ``secret``, ``seed``, ``migrated_codes``)."""

    def apply(apps, convert):
        model = apps.get_model(app_label, model_name)
        for obj in model.objects.all().only("pk", field):
            data = dict(getattr(obj, field) or {})
            changed = False
            for key in keys:
                if key not in data or data[key] in (None, ""):
                    continue
                new = [convert(v) for v in data[key]] if isinstance(data[key], list) else convert(data[key])
                if new != data[key]:
                    data[key] = new
                    changed = True
            if changed:
                setattr(obj, field, data)
                obj.save(update_fields=[field])

    def forward(apps, schema_editor):
        apply(apps, lambda v: v if is_token(v) else encrypt_text(v))

    def backward(apps, schema_editor):
        apply(apps, lambda v: decrypt_text(v) if is_token(v) else v)

    return forward, backward
