"""Importing an earlier system's extract: a batch of rows at a time, each batch all or nothing.

For each batch: every row is read and checked (kinds.py: the service's own rules), the records it refers to
are found (in the same batch, or imported before: one query per record type), and each row is matched to the
record an earlier run made of it (ImportedRecord). A row as it was last imported is unchanged; a changed row
updates its record, recorded in the record's history with the importing account as the author; a new row is
created with the others of its type in one insert. A batch with any problem writes nothing: every problem is
reported, with the row's line and column. Later batches still run; a row that refers to a record of a refused
batch is reported too.

A dry run is the same run inside one transaction that is rolled back at the end: it reports exactly what the
real run would, and changes nothing."""

from .common import Problem, row_hash
from .run import ImportRun, Summary

__all__ = ["ImportRun", "Problem", "Summary", "row_hash"]
