"""Reading an extract a row at a time, so a file of any size is read in the same memory: CSV with a header
row, or JSON lines (one object a line). Each row comes with the line it starts on, for the report."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from .columns import ALL_COLUMNS

CSV, JSONL = "csv", "jsonl"


@dataclass
class SourceRow:
    line: int
    data: dict


class UnreadableFile(Exception):
    """The file as a whole cannot be read as the format says: nothing is imported."""


def format_of(path: str, given: str | None) -> str:
    if given:
        return given
    return JSONL if path.endswith((".jsonl", ".ndjson", ".json")) else CSV


def read_rows(handle: IO[str], file_format: str) -> Iterator[SourceRow]:
    if file_format == JSONL:
        yield from _jsonl(handle)
    else:
        yield from _csv(handle)


def _csv(handle: IO[str]) -> Iterator[SourceRow]:
    reader = csv.reader(handle)
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except StopIteration:
        return
    unknown = [name for name in header if name not in ALL_COLUMNS]
    if unknown:
        raise UnreadableFile(f"Line 1: these columns are not ones the import takes: {', '.join(unknown)}")
    if "record_type" not in header or "external_id" not in header:
        raise UnreadableFile("Line 1: the header must name the record_type and external_id columns")
    line = reader.line_num + 1
    for values in reader:
        if any(value.strip() for value in values):
            if len(values) != len(header):
                data = {
                    "record_type": "",
                    "external_id": "",
                    "_shape": f"it has {len(values)} values where the header has {len(header)}",
                }
            else:
                data = dict(zip(header, values, strict=True))
            yield SourceRow(line=line, data=data)
        line = reader.line_num + 1


def _jsonl(handle: IO[str]) -> Iterator[SourceRow]:
    for number, text in enumerate(handle, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except ValueError:
            data = {"_shape": "it is not JSON"}
        if not isinstance(data, dict):
            data = {"_shape": "it is not a JSON object"}
        yield SourceRow(line=number, data=data)
