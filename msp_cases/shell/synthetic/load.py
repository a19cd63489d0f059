"""Getting a chunk's rows into the database: PostgreSQL COPY (psycopg 3's copy support), or bulk_create
elsewhere (SQLite, which the suite's quick tests use).

COPY streams rows in the table's own text format without building an INSERT statement, which is what
made batched `bulk_create` slow at national scale: Django compiles each statement value by value in Python.
Measured on a 10,000-concern chunk (docs/performance.md, "Synthetic data"):
- the foreign-key checks (a trigger query per row and key, at commit) cost more than the COPY itself. When the
  database user may (a superuser), each chunk's transaction sets `session_replication_role = replica`
  (SET LOCAL: it ends with the transaction, committed or not), which skips them: every id a row names was
  taken from its table's sequence for a row of the same chunk, or of a chunk already committed;
- the indexes stay: dropping the 60 secondary indexes saved about a third of the COPY time, and rebuilding
  them costs about as much, during which the pages that need them crawl.
With `background=True` (a command's run, outside any transaction) a chunk is loaded on a second connection
while the next one is built, so Python and PostgreSQL work at the same time."""

from __future__ import annotations

import json
import queue
import threading
from collections import Counter
from operator import itemgetter

from django.db import connection, models, transaction

from .batch import KEYED, ORDER, Batch

ID_BLOCK = 5000  # ids taken from a sequence per round trip


class IdBlocks:
    """Ids for KEYED rows before they are saved. On PostgreSQL they come from the table's own identity
    sequence (`nextval`, so they never collide with rows others add at the same time, and nothing needs
    resetting afterwards); elsewhere they count on from the highest id already there (the generator is the
    only writer of a test database)."""

    def __init__(self):
        self.free: dict[type, list[int]] = {}

    def take(self, model) -> int:
        free = self.free.get(model)
        if not free:
            free = self.free[model] = self._block(model)
        return free.pop()

    def _block(self, model) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, ID_BLOCK],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:
                last = getattr(self, f"_last_{table}", None)
                if last is None:
                    cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                    last = cursor.fetchone()[0] or 0
                ids = list(range(last + 1, last + 1 + ID_BLOCK))
                setattr(self, f"_last_{table}", ids[-1])
        return ids[::-1]  # popped from the end: ascending order


class Table:
    """How a model's rows become a table's rows: its columns, and the value of every column a row leaves
    out (the field's default; the run's time for auto_now and auto_now_add fields, as Django would set)."""

    def __init__(self, model, now):
        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and model not in KEYED)]
        self.model = model
        self.columns = [f.column for f in fields]
        self.defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif not f.primary_key:
                self.defaults[f.attname] = f.get_default()
        self.values = itemgetter(*[f.attname for f in fields])
        self.json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]

    def rows(self, rows: list[dict]):
        defaults, values, json_columns = self.defaults, self.values, self.json
        for row in rows:
            record = values(defaults | row)
            if json_columns:
                record = list(record)
                for i in json_columns:
                    record[i] = json.dumps(record[i])
            yield record


class Loader:
    """Saves one Batch at a time, each in its own transaction, and counts the rows by model label."""

    def __init__(self, now):
        self.tables = {model: Table(model, now) for model in ORDER}
        self.copy = connection.vendor == "postgresql"
        self.skip_key_checks = self.copy and _is_superuser()
        self.counts: Counter = Counter()

    def save(self, batch: Batch) -> None:
        with transaction.atomic():
            if self.skip_key_checks:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            self.counts.update(self._save(batch))

    def close(self) -> None:
        """Every batch saved (nothing to wait for here)."""

    def _save(self, batch: Batch) -> Counter:
        counts: Counter = Counter()
        for model in ORDER:
            rows = batch.rows[model]
            if rows:
                (self._copy if self.copy else self._bulk_create)(self.tables[model], rows)
            counts[model._meta.label] += len(rows)
        return counts

    @staticmethod
    def _copy(table: Table, rows: list[dict]) -> None:
        quote = connection.ops.quote_name
        sql = f"COPY {quote(table.model._meta.db_table)} ({', '.join(map(quote, table.columns))}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for record in table.rows(rows):
                copy.write_row(record)

    @staticmethod
    def _bulk_create(table: Table, rows: list[dict]) -> None:
        model = table.model
        model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


class BackgroundLoader(Loader):
    """A Loader whose saves run on a thread of their own (its own database connection), one chunk behind
    the caller: at most one chunk waits while another loads, so memory stays flat. A failure in the thread
    is raised in the caller at its next save or at close."""

    def __init__(self, now):
        super().__init__(now)
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="synthetic-loader", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        try:
            while (batch := self.queue.get()) is not None:
                if self.error is None:
                    super().save(batch)
        except BaseException as error:  # handed to the caller, which raises it
            self.error = error
            while self.queue.get() is not None:  # let the caller finish putting
                pass
        finally:
            connection.close()

    def save(self, batch: Batch) -> None:
        self._raise()
        self.queue.put(batch)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error
