"""Fast row writes for the generators: COPY on PostgreSQL, bulk_create elsewhere.

Generators hand over plain tuples in the order of the field names they
name; every other concrete column gets its field's default, so a field
another app adds later (with a default) does not break the generator.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from django.core.management.color import no_style
from django.db import connection, models

BATCH_SIZE = 2_000


def column_of(model: type[models.Model], name: str) -> str:
    """The table column behind one of the model's concrete fields."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model._meta.label}.{name} has no column")
    return field.column


class Progress:
    """A one-line progress bar on a terminal stream (stderr); silent when off."""

    def __init__(self, stream: TextIO | None, *, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.label = ""
        self.total = 0
        self.done = 0
        self._shown = -1

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done, self._shown = label, max(total, 1), 0, -1
        self.advance(0)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.stream is None:
            return
        percent = min(100, self.done * 100 // self.total)
        if percent == self._shown:
            return
        self._shown = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(
            f"\r  {self.label:<22} [{bar}] {percent:3d}% {self.done:>10,}"
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None:
            self.advance(0)
            self.stream.write("\n")
            self.stream.flush()


class RowWriter:
    """Write many rows of one model at a time, counting them."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress or Progress(None)
        self.counts: dict[str, int] = {}
        self.touched: list[type[models.Model]] = []

    def write(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        rows: Iterable[tuple[Any, ...]],
        *,
        total: int,
        label: str | None = None,
    ) -> int:
        """Insert the rows; ``fields`` are attnames (``function_id``, not ``function``)."""
        label = label or model._meta.label
        self.progress.start(label, total)
        tail_fields = self._defaulted_fields(model, fields)
        tail = tuple(_default(field) for field in tail_fields)
        if connection.vendor == "postgresql":
            written = self._copy(
                model, [*fields, *(f.attname for f in tail_fields)], rows, tail
            )
        else:
            written = self._bulk_create(
                model, [*fields, *(f.attname for f in tail_fields)], rows, tail
            )
        self.progress.finish()
        self.counts[label] = self.counts.get(label, 0) + written
        if model not in self.touched:
            self.touched.append(model)
        return written

    def _copy(
        self,
        model: type[models.Model],
        names: list[str],
        rows: Iterable[tuple[Any, ...]],
        tail: tuple[Any, ...],
    ) -> int:
        meta = model._meta
        columns = ", ".join(
            connection.ops.quote_name(column_of(model, name)) for name in names
        )
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        written = 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + tail)
                written += 1
                if written % BATCH_SIZE == 0:
                    self.progress.advance(BATCH_SIZE)
        self.progress.advance(written % BATCH_SIZE)
        return written

    def _bulk_create(
        self,
        model: type[models.Model],
        names: list[str],
        rows: Iterable[tuple[Any, ...]],
        tail: tuple[Any, ...],
    ) -> int:
        written = 0
        batch: list[models.Model] = []
        for row in rows:
            batch.append(model(**dict(zip(names, row + tail, strict=True))))
            if len(batch) == BATCH_SIZE:
                model._default_manager.bulk_create(batch)
                written += len(batch)
                self.progress.advance(len(batch))
                batch = []
        model._default_manager.bulk_create(batch)
        written += len(batch)
        self.progress.advance(len(batch))
        return written

    @staticmethod
    def _defaulted_fields(
        model: type[models.Model], fields: Sequence[str]
    ) -> list[models.Field[Any, Any]]:
        given = set(fields)
        missing = []
        for field in model._meta.concrete_fields:
            if field.attname in given:
                continue
            if field.primary_key and isinstance(field, models.AutoField):
                continue  # numbered by the database
            if not field.has_default() and not field.null and not field.blank:
                raise ValueError(
                    f"The bench generator for {model._meta.label} must give "
                    f"{field.attname}: it has no default."
                )
            missing.append(field)
        return missing

    def reset_sequences(self) -> None:
        """Move id sequences past the explicit ids the generators wrote."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _default(field: models.Field[Any, Any]) -> Any:
    value = field.get_default()
    if value is None and not field.null and field.empty_strings_allowed:
        return ""
    return value


def stderr_progress(verbosity: int) -> Progress:
    return Progress(sys.stderr if verbosity > 0 else None)
