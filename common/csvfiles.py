"""The one CSV writer for every file KIS writes: spreadsheet formula cells are defused.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)``, ``+cmd|...``,
``@SUM(...)``). Such a text cell gets a leading ``'`` so spreadsheets show it as text.
Text whose rest is only digits once spaces are ignored (``-12``, ``=12``,
``+44 20 7946 0000``) is left alone: it is harmless, and phone numbers stay as typed.
Numbers (``int``, ``float``, ``Decimal``) are written as numbers; ``None`` as an empty cell;
lists and dicts as JSON text (defused like any text).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = "=+-@\t\r"


class _Writable(Protocol):
    def write(self, s: str, /) -> object: ...


def csv_safe(value: str) -> str:
    """Return VALUE, with a leading ``'`` when a spreadsheet would run it as a formula."""
    if value and value[0] in FORMULA_STARTS and not value[1:].replace(" ", "").isdigit():
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    """Return VALUE as a safe CSV cell (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (dict, list, tuple)):
        value = json.dumps(value, default=str, ensure_ascii=False)
    elif not isinstance(value, str):
        value = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return csv_safe(value)


class SafeCSVWriter:
    """``csv.writer`` whose every cell goes through ``csv_cell``."""

    def __init__(self, stream: _Writable, *, lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(stream, lineterminator=lineterminator)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row of cells."""
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row of ROWS, one at a time (ROWS may be a generator)."""
        for row in rows:
            self.writerow(row)


def csv_writer(stream: _Writable, *, lineterminator: str = "\r\n") -> SafeCSVWriter:
    """Return a writer of defused CSV rows onto the text stream STREAM."""
    return SafeCSVWriter(stream, lineterminator=lineterminator)
