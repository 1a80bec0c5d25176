"""Inserting many rows at once: ``bulk_create``, through COPY on PostgreSQL.

Teletransmission writes hundreds of thousands of rows per file; COPY takes them several times
faster than INSERT. The ids are reserved from the table's sequence first, so the objects come
back with their primary keys exactly as ``bulk_create`` returns them.
"""

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

# Fields of exactly these types go to the database as they are on the object; any other
# (encrypted text, date-times…) through Django's own conversion.
PLAIN_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.DateField,
        models.BooleanField,
        models.ForeignKey,
    }
)


def _converter(field: models.Field, connection: Any) -> Callable[[models.Model], Any]:
    if type(field) in PLAIN_FIELDS and not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):
        return lambda obj: getattr(obj, field.attname)
    # Decimals rounded, JSON encoded (SQL NULL for None), encrypted text, auto dates: as Django does.
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, add=True), connection)


def insert_many(model: type[M], objects: Sequence[M], *, using: str = "default") -> Sequence[M]:
    """Insert ``objects`` and give each its primary key; no signals, as ``bulk_create``."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not objects:
        return model._default_manager.using(using).bulk_create(objects)
    meta = model._meta
    fields = list(meta.concrete_fields)
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="insert_many")  # related objects saved meanwhile
    new = [obj for obj in objects if obj.pk is None]
    with connection.cursor() as cursor:
        if new:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(new)],
            )
            for obj, (pk,) in zip(new, cursor.fetchall(), strict=True):
                obj.pk = pk
        converters = [_converter(field, connection) for field in fields]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([convert(obj) for convert in converters])
    for obj in objects:
        obj._state.adding, obj._state.db = False, using
    return objects


def _json_at(position: int) -> Callable[[Sequence[Any]], str | None]:
    """The JSON text of a row's value; rows often share one value (the same explanation for the same
    care): it is encoded once. The value is kept with its text, so its id is never reused meanwhile."""
    encoded: dict[int, tuple[Any, str]] = {}

    def take(row: Sequence[Any]) -> str | None:
        value = row[position]
        if value is None:
            return None
        found = encoded.get(id(value))
        if found is None:
            found = encoded[id(value)] = (value, json.dumps(value))
        return found[1]

    return take


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert rows given as plain values of ``fields`` (attribute names: ``claim_id``, not ``claim``)
    and return their new primary keys, in order: the bulk path builds no model instance.

    The other columns take their defaults (the time for ``auto_now`` ones). On PostgreSQL the ids are
    reserved from the sequence and the rows sent by COPY; elsewhere through ``bulk_create``.
    """
    if not rows:
        return []
    connection = connections["default"]
    if connection.vendor != "postgresql":
        created = model._default_manager.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
        return [obj.pk for obj in created]
    meta = model._meta
    given = {name: position for position, name in enumerate(fields)}
    now = timezone.now()
    columns, takes = [], []
    for field in meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in given:
            position = given[field.attname]
            if isinstance(field, models.JSONField):
                takes.append(_json_at(position))
            else:
                takes.append(lambda row, p=position: row[p])
        else:
            automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            value = now if automatic else field.get_default()
            if isinstance(field, models.JSONField) and value is not None:
                value = json.dumps(value)
            takes.append(lambda row, v=value: v)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
        names = ", ".join([connection.ops.quote_name(meta.pk.column), *columns])
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN") as copy:
            for pk, row in zip(pks, rows, strict=True):
                copy.write_row([pk, *(take(row) for take in takes)])
    return pks
