"""Benchmark the contacts app the way it is deployed, and print a comparable table.

1. Migrate and seed COUNT contacts for one user (skipped when they are already there).
2. Start gunicorn with config.settings.production on 127.0.0.1 (HTTPS redirect off,
   because there is no TLS proxy in front; everything else as in production).
3. Run wrk (bounded: fixed connections and duration) against each target with that
   user's session cookie, and print requests/s, p50/p99 latency, response size and
   the ratio to the ceiling (a tiny view through the same stack: /robots.txt). Beside
   it, the floor: a plain Django "hello" app (scripts/bench_hello.py, no middleware)
   under the same gunicorn, so the stack's own cost shows.
4. Memory: one gunicorn worker serves MEMORY_REQUESTS list pages; print its RSS before
   and after.
5. In process (scripts/bench_inprocess.py): server time per target without a socket, and
   each middleware layer's own time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pgdb import ensure_postgres_database, seed_contacts_ensure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import production_env  # noqa: E402  (the one production environment)

PY = str(ROOT / ".venv" / "bin" / "python")
BENCH_USER = "bench@example.com"

SETUP = """
import json
from django.conf import settings
from django.test import Client
from apps.contacts.models import Contact
from apps.contacts.lists import ContactList
from apps.users.models import User
from common.pagination import KeysetPaginator

user = User.objects.get(email={email!r})
client = Client()
client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
# A second user with a time zone: the same request through the time zone middleware.
zoned, _ = User.objects.get_or_create(email="bench-tz@example.com")
zoned.timezone = "Europe/Berlin"
zoned.save(update_fields=["timezone"])
zoned_client = Client()
zoned_client.force_login(zoned, backend="django.contrib.auth.backends.ModelBackend")
ordering = ContactList.sorts["name"][1]
qs = Contact.objects.filter(owner=user)
deep = qs.order_by(*ordering)[int(qs.count() * 0.9)]
print(json.dumps({{
    "cookie": settings.SESSION_COOKIE_NAME,
    "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    "zoned_session": zoned_client.cookies[settings.SESSION_COOKIE_NAME].value,
    "deep_cursor": KeysetPaginator(qs, ordering=ordering, page_size=50).cursor_for(deep),
}}))
"""


@dataclass
class Target:
    name: str
    path: str
    htmx: bool = False
    zoned: bool = False  # as the user with a time zone


@dataclass
class Result:
    target: Target
    rps: float
    p50_ms: float
    p99_ms: float
    size: int
    gzipped: int
    errors: int
    server: tuple[float, float] | None = None  # p50, p99 ms from the access log


def run(cmd: list[str], env: dict[str, str], **kwargs: object) -> str:
    out = subprocess.run(
        cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True, **kwargs
    )  # type: ignore[call-overload]
    return str(out.stdout)


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def percentile(out: str, pct: int) -> float:
    """Return the PCT latency of wrk's "Latency Distribution" table, in ms.

    Anchored to the start of a line: the "Thread Stats" lines end with percentages too
    (e.g. "87.99%"), which an unanchored "99%" would match.
    """
    match = re.search(rf"^\s*{pct}%\s+(\S+)\s*$", out, re.MULTILINE)
    if match is None:
        raise SystemExit(f"wrk printed no {pct}% latency:\n{out}")
    return to_ms(match.group(1))


def server_percentiles(lines: list[str]) -> tuple[float, float] | None:
    """Return the p50 and p99 of the ``duration_ms`` in access log LINES (JSON), if any.

    That is the server's own time for each request (``common.middleware.AccessLogMiddleware``,
    near the top of the stack), without the wait in the listen queue that wrk's latency holds.
    """
    durations = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("duration_ms"), int | float):
            durations.append(float(entry["duration_ms"]))
    if not durations:
        return None
    durations.sort()

    def rank(pct: int) -> float:
        return durations[max(0, math.ceil(pct / 100 * len(durations)) - 1)]

    return rank(50), rank(99)


def wrk(
    url: str, headers: list[str], *, duration: int, connections: int
) -> tuple[float, float, float, int, int]:
    """Return requests/s, p50 and p99 in ms, errors and the number of requests."""
    cmd = [
        "wrk",
        "--latency",
        "-t",
        "1",
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        "10s",
    ]
    for header in headers:
        cmd += ["-H", header]
    out = subprocess.run(
        [*cmd, url], check=True, capture_output=True, text=True, timeout=duration + 30
    ).stdout
    if "Requests/sec" not in out or "50%" not in out:
        raise SystemExit(f"wrk gave no result for {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50, p99 = percentile(out, 50), percentile(out, 99)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    done = re.search(r"(\d+) requests in", out)
    return rps, p50, p99, errors, int(done.group(1)) if done else 0


def fetch_size(url: str, headers: list[str]) -> tuple[int, int]:
    """Return the response size, raw and gzip-compressed (as a compressing proxy would send)."""
    request = urllib.request.Request(url)  # noqa: S310 - 127.0.0.1 only
    for header in headers:
        key, value = header.split(": ", 1)
        request.add_header(key, value)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
        body = response.read()
        return len(body), len(gzip.compress(body))


def wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited; see its output above.")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up in 20 s.")


def gunicorn_start(
    app: str,
    *,
    port: int,
    workers: int,
    threads: int,
    env: dict[str, str],
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start gunicorn serving APP on 127.0.0.1:PORT; return the master process.

    LOG: the file that gets the access log (one JSON line per request), else nowhere.
    """
    out = log.open("ab") if log is not None else subprocess.DEVNULL
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,  # the access log: one JSON line per request
    )


def gunicorn_stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=20)


def rss_mb(pid: int) -> float:
    """Return the resident set size of process PID, in MB (Linux /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    if match is None:
        raise SystemExit(f"no VmRSS for process {pid}")
    return int(match.group(1)) / 1024


def workers_of(master: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def memory_run(
    base: str, headers: list[str], *, requests: int, connections: int, proc: subprocess.Popen[bytes]
) -> tuple[float, float, int]:
    """Serve REQUESTS list pages with PROC's one worker; return its RSS before, after, count."""
    (worker,) = workers_of(proc)
    for _ in range(20):  # warm: imports, templates, the row cache's first rows
        fetch_size(base + "/contacts/", headers)
    before = rss_mb(worker)
    served = 0
    while served < requests:
        *_, done = wrk(base + "/contacts/", headers, duration=10, connections=connections)
        served += done
        if not done:
            raise SystemExit("the memory run served no request")
    return before, rss_mb(worker), served


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8150")))
    parser.add_argument("--duration", type=int, default=10, help="seconds per target")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument(
        "--memory-requests",
        type=int,
        default=10_000,
        help="list pages one worker serves before its RSS is read (0: no memory run)",
    )
    return parser.parse_args()


def prepare(database_url: str, env: dict[str, str], count: int) -> dict[str, str]:
    """Migrate, collect static files, seed; return SETUP's cookies and cursor."""
    import json

    print(f"database: {database_url.rsplit('@', maxsplit=1)[-1]}")
    run([PY, "manage.py", "migrate", "--noinput"], env)
    run([PY, "manage.py", "collectstatic", "--noinput"], env)
    seed_contacts_ensure(python=PY, root=ROOT, env=env, email=BENCH_USER, count=count)
    # What autovacuum does after a bulk load: statistics, and the visibility map that lets
    # COUNT(*) be an index-only scan.
    if database_url.startswith("postgres"):
        run(
            [
                PY,
                "manage.py",
                "shell",
                "--no-imports",
                "-c",
                "from django.db import connection; "
                "connection.cursor().execute('VACUUM ANALYZE contacts_contact')",
            ],
            env,
        )
    output = run([PY, "manage.py", "shell", "-c", SETUP.format(email=BENCH_USER)], env)
    return dict(json.loads(output.strip().splitlines()[-1]))


def targets_for(info: dict[str, str], hello_url: str) -> list[Target]:
    cursor = info["deep_cursor"]
    return [
        # The ceiling: the smallest real view through the same middleware stack.
        Target("ceiling: /robots.txt (full stack, no DB)", "/robots.txt"),
        Target("ceiling, user with a time zone", "/robots.txt", zoned=True),
        Target("probe: /healthz (answered before the stack)", "/healthz"),
        Target("floor: plain Django hello (no middleware)", hello_url),
        Target("list, full page", "/contacts/"),
        Target("search partial (htmx), q=zofia", "/contacts/?q=zofia", htmx=True),
        Target("search partial, worst case q=smith", "/contacts/?q=smith", htmx=True),
        Target("search partial, q=a", "/contacts/?q=a", htmx=True),
        Target("search partial, q=example.com", "/contacts/?q=example.com", htmx=True),
        Target("search partial, phone q=555 12", "/contacts/?q=555+12", htmx=True),
        Target("search partial, no match q=qqqzz", "/contacts/?q=qqqzz", htmx=True),
        Target("deep page (90%), full", f"/contacts/?cursor={cursor}"),
        Target("load more (htmx rows)", f"/contacts/?cursor={cursor}", htmx=True),
        Target("lazy count (htmx)", "/contacts/count/", htmx=True),
    ]


def measure(
    base: str,
    targets: list[Target],
    cookies: dict[str, str],
    args: argparse.Namespace,
    log: Path,
) -> list[Result]:
    results = []
    for target in targets:
        headers = [cookies["zoned" if target.zoned else "plain"]]
        headers += ["HX-Request: true"] if target.htmx else []
        url = target.path if target.path.startswith("http") else base + target.path
        size, gzipped = fetch_size(url, headers)
        for _ in range(5):  # warm up: templates, connection pool, database cache
            fetch_size(url, headers)
        start = log.stat().st_size
        rps, p50, p99, errors, _ = wrk(
            url, headers, duration=args.duration, connections=args.connections
        )
        with log.open("rb") as lines:
            lines.seek(start)
            server = server_percentiles(lines.read().decode(errors="replace").splitlines())
        results.append(Result(target, rps, p50, p99, size, gzipped, errors, server))
        print(f"  measured {target.name}: {rps:.0f} req/s", file=sys.stderr)
    return results


def report(
    args: argparse.Namespace,
    results: list[Result],
    memory: tuple[float, float, int] | None,
    inprocess: str,
) -> None:
    ceiling = results[0].rps
    print()
    print(
        f"{args.count:,} contacts · gunicorn {args.workers} workers x {args.threads} threads · "
        f"wrk 1 thread, {args.connections} connections, {args.duration} s per target · "
        f"{os.cpu_count()} CPUs"
    )
    print()
    print(
        "| target | req/s | p50 ms | p99 ms | server p50 | server p99 | bytes | gzip bytes "
        "| vs ceiling | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        server = f"{r.server[0]:.1f} | {r.server[1]:.1f}" if r.server else "n/a | n/a"
        print(
            f"| {r.target.name} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {server} | "
            f"{r.size:,} | {r.gzipped:,} | {r.rps / ceiling:.0%} | {r.errors} |"
        )
    print()
    print(
        "p50/p99: wrk's latency (with the wait for a free worker); server: the time inside "
        "Django from the access log."
    )
    if memory is not None:
        before, after, served = memory
        print()
        print(
            f"Memory: one gunicorn worker, RSS {before:.0f} MB after warm-up, "
            f"{after:.0f} MB after {served:,} list pages"
        )
    print()
    print(inprocess)


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit(
            "wrk is needed: sudo apt-get install -y wrk (Debian/Ubuntu) or brew install wrk."
        )
    tmp = Path(tempfile.mkdtemp(prefix="kis-bench-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    ensure_postgres_database(database_url)
    env = production_env(
        DATABASE_URL=database_url,
        DJANGO_SECURE_SSL_REDIRECT="false",  # no TLS proxy in front of this local run
        DATABASE_POOL_MAX_SIZE=str(max(2, args.threads + 1)),
    )
    info = prepare(database_url, env, args.count)
    cookies = {
        "plain": f"Cookie: {info['cookie']}={info['session']}",
        "zoned": f"Cookie: {info['cookie']}={info['zoned_session']}",
    }
    base = f"http://127.0.0.1:{args.port}"
    hello_url = f"http://127.0.0.1:{args.port + 1}/hello/"
    servers = {"config.wsgi": args.port, "scripts.bench_hello:application": args.port + 1}
    log = tmp / "access.log"
    log.touch()
    procs = [
        gunicorn_start(
            app,
            port=port,
            workers=args.workers,
            threads=args.threads,
            env=env,
            log=log if app == "config.wsgi" else None,
        )
        for app, port in servers.items()
    ]
    memory: tuple[float, float, int] | None = None
    try:
        wait_until_up(f"{base}/healthz", procs[0])
        wait_until_up(hello_url, procs[1])
        results = measure(base, targets_for(info, hello_url), cookies, args, log)
        for proc in procs:
            gunicorn_stop(proc)
        if args.memory_requests:
            print("  memory run: one worker, list pages", file=sys.stderr)
            procs = [gunicorn_start("config.wsgi", port=args.port, workers=1, threads=1, env=env)]
            wait_until_up(f"{base}/healthz", procs[0])
            memory = memory_run(
                base,
                [cookies["plain"]],
                requests=args.memory_requests,
                connections=args.connections,
                proc=procs[0],
            )
        inprocess = run(
            [PY, "scripts/bench_inprocess.py", "--email", BENCH_USER],
            env,
        )
    finally:
        for proc in procs:
            if proc.poll() is None:
                gunicorn_stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    report(args, results, memory, inprocess)


if __name__ == "__main__":
    main()
