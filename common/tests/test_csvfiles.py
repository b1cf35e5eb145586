"""The shared CSV writer defuses spreadsheet formulas and keeps everything else as is."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from common.csvfiles import csv_cell, csv_safe, csv_writer


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.test","click")', '\'=HYPERLINK("http://evil.test","click")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("=", "'="),
        ("-", "'-"),
        ("-12.5", "'-12.5"),  # not only digits: defused (harmless, and safe)
        # Plain signed numbers and phone numbers are harmless and stay as typed.
        ("-12", "-12"),
        ("=12", "=12"),  # a "formula" that is only a number: harmless, kept (as before)
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("+1 555 123 4567", "+1 555 123 4567"),
        # Anything else is untouched, including a formula character later on.
        ("Ada Lovelace", "Ada Lovelace"),
        ("a=b", "a=b"),
        (" =1+1", " =1+1"),
        ("", ""),
        ("'already quoted", "'already quoted"),
        ("مرحبا", "مرحبا"),
        ("\u202e=1+1", "\u202e=1+1"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "True"),
        (False, "False"),
        (-12, -12),
        (-1.5, -1.5),
        (Decimal("-3.10"), Decimal("-3.10")),
        (["=a", "b"], '["=a", "b"]'),
        ({"k": "Zoë"}, '{"k": "Zoë"}'),
        (datetime(2026, 1, 2, 3, 4, tzinfo=UTC), "2026-01-02T03:04:00+00:00"),
        ("=A1", "'=A1"),
    ],
)
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


def test_writer_defuses_hostile_rows_and_round_trips_the_rest():
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    hostile = ["=1+1", "+cmd", "-cmd", "@cmd", "\tTAB", "\rCR"]
    writer.writerow(hostile)
    writer.writerows(
        row for row in [["a,b", 'quote "x"', "line\nbreak", "nul\x00", "😀", "+44 20 7946 0000"]]
    )
    out.seek(0)
    first, second = list(csv.reader(out))
    assert first == ["'" + cell for cell in hostile]
    assert second == ["a,b", 'quote "x"', "line\nbreak", "nul\x00", "😀", "+44 20 7946 0000"]


def test_writer_line_terminator():
    out = io.StringIO(newline="")
    csv_writer(out, lineterminator="\n").writerow(["a", None, 1])
    assert out.getvalue() == "a,,1\n"
    out = io.StringIO(newline="")
    csv_writer(out).writerow(["a"])
    assert out.getvalue() == "a\r\n"
