"""Re-encrypt every EncryptedTextField value with the first key in FIELD_ENCRYPTION_KEYS, and the
other tokens apps register (MFA secrets); recompute every keyed-hash column."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from hearth.core.encryption import EXTRA_ROTATIONS, EncryptedTextField, KeyedHashField, rotate_token


class Command(BaseCommand):
    help = "Re-encrypt sensitive text with the newest key, so older keys can be retired."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            columns = [f.attname for f in fields]
            count = 0
            with transaction.atomic():
                for pk, *tokens in _raw_rows(model, columns, batch_size):
                    updates = {col: rotate_token(tok) for col, tok in zip(columns, tokens, strict=True) if tok}
                    if updates:
                        _write_raw(model, pk, updates)
                        count += 1
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        for label, rotate in EXTRA_ROTATIONS.items():
            with transaction.atomic():
                count = rotate()
            total += count
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        for model in apps.get_models():
            hashes = [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]
            if hashes:
                count = _recompute_hashes(model, hashes, batch_size)
                self.stdout.write(f"{model._meta.label}: {count} keyed hashes recomputed")
        self.stdout.write(self.style.SUCCESS(f"done: {total} rows"))


def _recompute_hashes(model, hashes, batch_size) -> int:
    """Keyed hashes follow SECRET_KEY: recompute them (this step decrypts the source values)."""
    count = 0
    sources = {f.source for f in hashes}
    with transaction.atomic():
        batch = []
        for obj in (
            model._base_manager.only("pk", *sources, *(f.attname for f in hashes))
            .order_by("pk")
            .iterator(chunk_size=batch_size)
        ):
            changed = False
            for field in hashes:
                digest = field.digest(getattr(obj, field.source) or "")
                if getattr(obj, field.attname) != digest:
                    setattr(obj, field.attname, digest)
                    changed = True
            if changed:
                batch.append(obj)
        # bulk_update writes the values set above (it does not call pre_save).
        model._base_manager.bulk_update(batch, [f.name for f in hashes], batch_size=batch_size)
        count = len(batch)
    return count


def _raw_rows(model, columns, batch_size):
    """Raw tokens in primary-key order, a batch at a time, so rotation never decrypts to plaintext."""
    table = connection.ops.quote_name(model._meta.db_table)
    pk_col = connection.ops.quote_name(model._meta.pk.column)
    cols = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    last = None
    while True:
        where, params = ("", []) if last is None else (f"WHERE {pk_col} > %s", [last])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk_col}, {cols} FROM {table} {where} ORDER BY {pk_col} LIMIT %s",  # noqa: S608
                [*params, batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def _write_raw(model, pk, updates):
    table = connection.ops.quote_name(model._meta.db_table)
    pk_col = connection.ops.quote_name(model._meta.pk.column)
    assignments = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(c).column)} = %s" for c in updates)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE {pk_col} = %s", [*updates.values(), pk])  # noqa: S608
