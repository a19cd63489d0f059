"""A run of the import: the file a batch at a time, each batch in its own transaction (or, for a dry run,
all of them in one that is rolled back), and the summary."""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, reset_queries, transaction

from msp_cases.accounts.models import Team
from msp_cases.core.actor import Actor

from ..reading import SourceRow
from .batch import Batch
from .common import MODELS, Problem


@dataclass
class Summary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    rows: int = 0
    batches: int = 0
    refused: list[tuple[int, int, int]] = field(default_factory=list)  # (first line, last line, problems)

    @property
    def ok(self) -> bool:
        return not self.refused


class _Refused(Exception):
    pass


class ImportRun:
    def __init__(
        self,
        *,
        actor: Actor,
        source: str,
        batch_size: int = 1000,
        dry_run: bool = False,
        report: Callable[[Problem], None] = lambda problem: None,
        progress: Callable[[int], None] = lambda rows: None,
    ):
        self.actor = actor
        self.source = source
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.report = report
        self.progress = progress
        self.summary = Summary()
        self.teams = {team.name.casefold(): team for team in Team.objects.filter(is_active=True)}
        self.content_types = {
            kind: ContentType.objects.get_for_model(model) for kind, model in MODELS.items()
        }
        self.reason = f"Imported from {source}"

    def run(self, rows: Iterable[SourceRow]) -> Summary:
        if self.dry_run:
            with transaction.atomic():
                self._batches(rows)
                transaction.set_rollback(True)
        else:
            self._batches(rows)
        return self.summary

    def _batches(self, rows: Iterable[SourceRow]) -> None:
        for chunk in _chunks(rows, self.batch_size):
            # With DEBUG on, Django keeps the last 9,000 statements: a batch's inserts are large, so the
            # memory would grow with the file until then (unless a test is counting them).
            if not connection.force_debug_cursor:
                reset_queries()
            self.summary.batches += 1
            self.summary.rows += len(chunk)
            batch = Batch(self, chunk)
            try:
                with transaction.atomic():
                    batch.run()
                    if batch.problems:
                        raise _Refused
            except _Refused:
                pass
            except IntegrityError:
                # Another run wrote the same records at the same time (the unique external id decided).
                batch.problems.append(
                    Problem(
                        chunk[0].line,
                        "",
                        "",
                        "Another import wrote these records at the same time: run again",
                    )
                )
            if batch.problems:
                for problem in sorted(batch.problems, key=lambda problem: problem.line):
                    self.report(problem)
                self.summary.refused.append((chunk[0].line, chunk[-1].line, len(batch.problems)))
            else:
                self.summary.created.update(batch.created)
                self.summary.updated.update(batch.updated)
                self.summary.unchanged.update(batch.unchanged)
            self.progress(len(chunk))


def _chunks(rows: Iterable[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
