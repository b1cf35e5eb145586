"""Reading an uploaded CSV: decode it, find its delimiter and header, yield its records.

Records are read one at a time, each by a fresh strict ``csv.reader`` that starts at the
record's first line and may read at most ``MAX_RECORD_LINES`` lines (a quoted cell can
hold line breaks). A record that cannot be read — a stray quote, an unterminated quoted
cell — is reported with its first line number and reading goes on at the next line, so
one bad quote never swallows the rest of the file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

MAX_RECORD_LINES = 100  # lines one record (a quoted cell with line breaks) may span


class ImportFileError(ValueError):
    """The uploaded file cannot be imported at all; the message says why."""


@dataclass(frozen=True)
class Record:
    """One record of the file: its first line number, and its cells or why it is unreadable."""

    line: int
    cells: list[str] | None
    error: str = ""  # the csv module's message when CELLS is None


def _binary() -> ImportFileError:
    return ImportFileError(
        "This does not look like a CSV text file (it contains binary data). "
        "Export your spreadsheet as “CSV UTF-8” and upload that."
    )


def decode(data: bytes) -> str:
    """Return DATA as text: UTF-8 with or without a BOM, or UTF-16 (LE or BE) with a BOM.

    Excel writes UTF-16 with a BOM for "Unicode Text"; without a BOM, a NUL in the first
    4 KiB means binary data. A NUL further on is left to the rows (each one is reported).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, label = "utf-16", "UTF-16"  # the BOM gives the byte order; decoding drops it
    elif b"\x00" in data[:4096]:
        raise _binary()
    else:
        encoding, label = "utf-8-sig", "UTF-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"The file is not {label} text (unreadable byte at position {exc.start}). "
            "Save it as “CSV UTF-8” and upload it again."
        ) from exc
    if "\x00" in text[:4096]:
        raise _binary()
    return text


def delimiter_of(text: str) -> str:
    """Return the column separator: a tab for Excel's "Unicode Text", else a comma."""
    first_line = text.partition("\n")[0]
    return "\t" if "\t" in first_line and "," not in first_line else ","


def records(text: str, *, delimiter: str = ",") -> Iterator[Record]:
    """Yield every record of TEXT, readable or not, with the number of its first line."""
    # Lines split as csv.reader splits them (\r\n, \n or \r), their ends kept.
    lines = io.StringIO(text, newline="").readlines()
    i, n = 0, len(lines)
    while i < n:
        reader = csv.reader(
            (lines[j] for j in range(i, min(i + MAX_RECORD_LINES, n))),
            delimiter=delimiter,
            strict=True,
        )
        try:
            cells = next(reader)
        except csv.Error as exc:
            yield Record(line=i + 1, cells=None, error=str(exc))
            i += 1  # go on with the next line
            continue
        except StopIteration:  # pragma: no cover - a non-empty chunk always gives a row
            break
        yield Record(line=i + 1, cells=cells)
        i += reader.line_num


def estimate_rows(text: str) -> int:
    """Return about how many rows TEXT has after its header (its line count, less one)."""
    return max(0, text.count("\n") - 1 + (0 if text.endswith("\n") else 1))


def header_key(name: str) -> str:
    """Return a header cell as an alias key: lower-cased, spaces and dashes as underscores."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def header_map(
    header: list[str],
    *,
    aliases: Mapping[str, str],
    required: frozenset[str],
    required_label: str,
    example: str,
) -> dict[int, str]:
    """Return column index -> field for HEADER's known columns (the first of each field).

    Raises ImportFileError when none of the REQUIRED fields is a column.
    """
    mapping: dict[int, str] = {}
    for i, name in enumerate(header):
        field = aliases.get(header_key(name))
        if field and field not in mapping.values():
            mapping[i] = field
    if not required & set(mapping.values()):
        shown = ", ".join(h.strip()[:30] for h in header[:8]) or "(empty)"
        raise ImportFileError(
            "The first row must be a header naming the columns, with at least "
            f"{required_label} (e.g. {example}). Found: {shown}."
        )
    return mapping


def read_header(
    text: str,
    *,
    aliases: Mapping[str, str],
    required: frozenset[str],
    required_label: str,
    example: str,
    noun: str = "rows",
) -> tuple[dict[int, str], Iterator[Record]]:
    """Return TEXT's column mapping and an iterator over the records after the header.

    Raises ImportFileError for an unreadable, empty or unusable header (NOUN: what the
    rows are, for the message).
    """
    rows = records(text, delimiter=delimiter_of(text))
    first = next(rows, None)
    if first is not None and first.cells is None:
        raise ImportFileError(f"The header row could not be read as CSV: {first.error}.")
    if first is None or not first.cells or not any(h.strip() for h in first.cells):
        raise ImportFileError(f"The file is empty: expected a header row and some {noun}.")
    mapping = header_map(
        first.cells,
        aliases=aliases,
        required=required,
        required_label=required_label,
        example=example,
    )
    return mapping, rows
