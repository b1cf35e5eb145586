"""Reading uploads (common.lists.csvjobs.parsing): one bad record never swallows the rest."""

from __future__ import annotations

from typing import Any

import pytest

from common.lists.csvjobs import parsing
from common.lists.csvjobs.parsing import ImportFileError, Record, read_header, records


def _lines(text: str) -> list[tuple[int, list[str] | None]]:
    return [(r.line, r.cells) for r in records(text)]


def test_each_record_has_its_first_line_number():
    text = 'a,b\r\n"two\nlines",x\nlast,y'
    assert _lines(text) == [(1, ["a", "b"]), (2, ["two\nlines", "x"]), (4, ["last", "y"])]


def test_a_stray_quote_is_reported_and_the_next_line_read():
    rows = list(records('ok,1\n"Bad "quote,2\nnext,3\n'))
    assert [r.line for r in rows] == [1, 2, 3]
    assert rows[1].cells is None and rows[1].error
    assert rows[2].cells == ["next", "3"]


def test_an_unterminated_quote_does_not_swallow_the_file():
    rows = list(records('ok,1\n"never closed,2\nnext,3\nlast,4\n'))
    assert [(r.line, r.cells) for r in rows] == [
        (1, ["ok", "1"]),
        (2, None),
        (3, ["next", "3"]),
        (4, ["last", "4"]),
    ]


def test_a_record_spans_at_most_max_record_lines(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_RECORD_LINES", 3)
    text = '"a\nb\nc",1\n"a\nb\nc\nd",2\nafter,3\n'
    rows = list(records(text))
    assert rows[0] == Record(line=1, cells=["a\nb\nc", "1"])
    assert rows[1].line == 4 and rows[1].cells is None  # 4 lines: too long, reported
    # reading resumed on the next line (5), inside what would have been the record
    assert rows[-1] == Record(line=8, cells=["after", "3"])


def test_blank_lines_are_empty_records():
    assert _lines("a\n\nb\n") == [(1, ["a"]), (2, []), (3, ["b"])]


HEADER: dict[str, Any] = {
    "aliases": {"name": "name", "company": "name", "url": "website"},
    "required": frozenset({"name"}),
    "required_label": "a name column",
    "example": "name,website",
}


def test_header_maps_aliases_first_column_of_each_field_wins():
    mapping, rows = read_header("Company,URL,Name\nAcme,a.example,ignored\n", **HEADER)
    assert mapping == {0: "name", 1: "website"}
    assert next(rows).cells == ["Acme", "a.example", "ignored"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty: expected a header row and some rows."),
        ("\n\n", "The file is empty"),
        ('"open,\n', "The header row could not be read as CSV"),
        ("website\nx\n", "with at least a name column (e.g. name,website). Found: website."),
    ],
)
def test_unusable_headers_say_why(text, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_header(text, **HEADER)


def test_tab_separated_when_the_header_has_tabs_and_no_commas():
    mapping, rows = read_header("name\turl\nA, B & Co\tx\n", **HEADER)
    assert mapping == {0: "name", 1: "website"}
    assert next(rows).cells == ["A, B & Co", "x"]
