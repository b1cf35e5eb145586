"""Hostile values and hypothesis strategies that build whole requests from them.

Bodies and query strings are built here as bytes, not by the test client, so that values the
client could not encode (lone surrogates, invalid UTF-8, NULs) reach Django as a browser or a
script could send them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

BIG = "x" * 100_000
C0 = "".join(chr(i) for i in range(32)) + "\x7f"
C1 = "".join(chr(i) for i in range(0x80, 0xA0))

# Text values (str; may hold lone surrogates, which are sent as their invalid UTF-8 bytes).
HOSTILE_TEXT: tuple[str, ...] = (
    "",
    " ",
    "\x00",
    "a\x00b",
    C0,
    C1,
    "\ud800",
    "x\udfffy",
    BIG,
    "é" * 20_000,
    "👩‍👩‍👧‍👦" * 50,
    "\u202egnp.exe",
    "\u200f\u200e\u2066rtl\u2069",
    "\u200b\ufeff",
    "e\u0301" * 500,
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "{{ 7|add:7 }}{% debug %}",
    "' OR 1=1 --",
    "%s%s%n%x",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "http://[::1",
    "http://[",
    "///",
    "0",
    "-1",
    "1.5",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    str(2**64),
    "99999999999999999999",
    "0x10",
    "\uff11\uff12\uff13",  # fullwidth digits
    "\u0663",  # Arabic-Indic digit
    "true",
    "null",
    "[]",
    "{}",
    "a@b",
    "a@" + "x" * 300 + ".com",
    "ä@ü.de",
    "a@[127.0.0.1]",
    "user@example.com\x00",
    "user@example.com\r\nBcc: evil@example.com",
    "Mars/Phobos",
    "-",
    "__",
    "owner__password",
    "!!!",
    "eyJpZCI6IDF9",
    "=" * 64,
)

# Raw query strings / urlencoded bodies that are not valid UTF-8 or not valid encoding.
RAW_ENCODED: tuple[bytes, ...] = (
    b"q=%FF%FE&next=%C0%AF",
    b"q=%ED%A0%80",
    b"%00=%00",
    b"q=%",
    b"q=%zz&&&===&",
    b"\xff\xfe=\xff",
    b"q",
    b"=",
    b"a[]=1&a[]=2&a[b]=3",
)

HOSTILE_HEADERS: tuple[tuple[str, str], ...] = (
    ("HTTP_USER_AGENT", "\x00" * 10 + "ua"),
    ("HTTP_USER_AGENT", "u" * 20_000),
    ("HTTP_X_REQUEST_ID", "\r\nSet-Cookie: x=1"),
    ("HTTP_X_REQUEST_ID", "r" * 5000),
    ("HTTP_REFERER", "http://["),
    ("HTTP_ACCEPT_LANGUAGE", "xx-" + "y" * 500 + ";q=NaN"),
    ("HTTP_ACCEPT", "application/json;q=2, */*;q=-1"),
    ("HTTP_X_FORWARDED_FOR", "999.999.999.999, \x00"),
    ("HTTP_ORIGIN", "null"),
)

HTMX_VALUES: tuple[str, ...] = (
    "http://testserver/contacts/?q=x",
    "http://[",
    "javascript:alert(1)",
    "http://evil.example/",
    "/\\evil",
    "\x00",
    "",
)

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def encode(value: str) -> bytes:
    """VALUE as UTF-8, lone surrogates included (which makes the bytes invalid UTF-8)."""
    return value.encode("utf-8", "surrogatepass")


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    return b"&".join(
        quote_from_bytes(encode(k)).encode() + b"=" + quote_from_bytes(encode(v)).encode()
        for k, v in pairs
    )


BOUNDARY = "hostileBoundary7MA4YWxkTrZu0gW"


def multipart(pairs: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> bytes:
    """A multipart/form-data body (hand-built: field names and values may be anything)."""
    out: list[bytes] = []
    for name, value in pairs:
        out += [
            f"--{BOUNDARY}".encode(),
            b'Content-Disposition: form-data; name="' + encode(name) + b'"',
            b"",
            encode(value),
        ]
    for name, filename, content in files:
        out += [
            f"--{BOUNDARY}".encode(),
            b'Content-Disposition: form-data; name="'
            + encode(name)
            + b'"; filename="'
            + encode(filename)
            + b'"',
            b"Content-Type: application/octet-stream",
            b"",
            content,
        ]
    out += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(out)


BOGUS_FILES: tuple[tuple[str, bytes], ...] = (
    ("contacts.csv", b"first_name,email\n\x00\x00,\xff\xfe\n"),
    ("contacts.csv", "\ufefffirst_name,email\nA,a@example.com\n".encode("utf-16")),
    ("../../etc/passwd", b"root:x:0:0"),
    ("\x00.csv", b""),
    ("x" * 300 + ".csv", b"a,b\n" * 10),
    ("evil.csv", b'=cmd|" /C calc"!A0,@SUM(1)\n+1,-1\n'),
    ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ("empty.csv", b""),
)

BODY_KINDS = ("form", "form", "form", "multipart", "json", "text", "raw", "none", "many")


@dataclass
class Case:
    """One hostile request (besides its method and path)."""

    query: bytes = b""
    body: bytes = b""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def describe(self, limit: int = 300) -> str:
        def cut(data: bytes | str) -> str:
            text = repr(data)
            return text if len(text) <= limit else f"{text[:limit]}... ({len(data)} long)"

        parts = []
        if self.query:
            parts.append(f"query={cut(self.query)}")
        if self.content_type:
            parts.append(f"content_type={self.content_type!r} body={cut(self.body)}")
        if self.headers:
            parts.append("headers=" + ", ".join(f"{k}={cut(v)}" for k, v in self.headers.items()))
        return " ".join(parts) or "(no query, body or extra headers)"


def _headers(draw: st.DrawFn) -> dict[str, str]:
    """htmx headers on or off (with hostile values), sometimes one hostile plain header."""
    headers: dict[str, str] = {}
    htmx = draw(st.sampled_from(("off", "off", "request", "boosted", "hostile")))
    if htmx != "off":
        headers["HTTP_HX_REQUEST"] = "true"
        headers["HTTP_HX_CURRENT_URL"] = draw(st.sampled_from(HTMX_VALUES))
    if htmx == "boosted":
        headers["HTTP_HX_BOOSTED"] = "true"
    if htmx == "hostile":
        headers["HTTP_HX_TARGET"] = draw(hostile_text)[:200]
        headers["HTTP_HX_TRIGGER"] = draw(hostile_text)[:200]
    if draw(st.integers(0, 3)) == 0:
        key, value = draw(st.sampled_from(HOSTILE_HEADERS))
        headers[key] = value
    return headers


@st.composite
def cases(
    draw: st.DrawFn,
    *,
    names: list[str],
    defaults: dict[str, list[str]],
    file_names: list[str],
    with_body: bool,
) -> Case:
    """A Case for a route whose known field NAMES have DEFAULTS (from its rendered form)."""
    name_pool = names or ["q"]

    def pairs_for() -> list[tuple[str, str]]:
        # Start from the form's own values (so the request can get past validation), drop
        # some (missing fields), then overwrite some with hostile values, maybe repeated.
        pairs: list[tuple[str, str]] = []
        for name, values in defaults.items():
            if not draw(st.booleans()):
                pairs += [(name, v) for v in values]
        for name in draw(st.lists(st.sampled_from(name_pool), max_size=4, unique=True)):
            pairs = [p for p in pairs if p[0] != name]
            repeat = draw(st.integers(min_value=1, max_value=3))
            pairs += [(name, draw(hostile_text)) for _ in range(repeat)]
        if draw(st.integers(0, 9)) == 0:
            pairs.append((draw(hostile_text), draw(hostile_text)))  # a hostile field name
        return pairs

    case = Case()
    query_kind = draw(st.sampled_from(("none", "pairs", "pairs", "raw")))
    if query_kind == "pairs":
        case.query = urlencoded(pairs_for())
    elif query_kind == "raw":
        case.query = draw(st.sampled_from(RAW_ENCODED))
    if with_body:
        kind = draw(st.sampled_from(BODY_KINDS))
        if kind == "form":
            case.body, case.content_type = (
                urlencoded(pairs_for()),
                "application/x-www-form-urlencoded",
            )
        elif kind == "multipart":
            uploads = [
                (name, *draw(st.sampled_from(BOGUS_FILES))) for name in (file_names or ["file"])
            ]
            case.body = multipart(pairs_for(), uploads)
            case.content_type = f"multipart/form-data; boundary={BOUNDARY}"
            if draw(st.integers(0, 5)) == 0:
                case.body = case.body[: len(case.body) // 2]  # truncated upload
        elif kind == "json":
            case.body, case.content_type = b'{"q": "\\u0000", "ids": [1e999]}', "application/json"
        elif kind == "text":
            case.body, case.content_type = encode(draw(hostile_text)), "text/plain"
        elif kind == "raw":
            case.body = draw(st.sampled_from(RAW_ENCODED))
            case.content_type = draw(
                st.sampled_from(
                    (
                        "application/x-www-form-urlencoded",
                        "application/x-www-form-urlencoded; charset=bogus-8",
                        "multipart/form-data",  # no boundary
                        "multipart/form-data; boundary=",
                    )
                )
            )
        elif kind == "many":
            name = draw(st.sampled_from(name_pool))
            case.body = urlencoded([(name, "1")] * 1200)  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
            case.content_type = "application/x-www-form-urlencoded"
    case.headers = _headers(draw)
    return case
