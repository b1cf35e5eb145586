"""Measure the personal-data export's memory and time for one user with many contacts.

1. Migrate a database (DATABASE_URL, or a throwaway SQLite file) and seed COUNT contacts
   for one user with the fast bulk seeder (skipped when they are already there).
2. In a fresh process (production settings, DEBUG off), run the export task function
   ``data_export_run`` once and print the resident memory before, after and at peak
   (``/proc/self/status`` VmRSS/VmHWM and ``getrusage(RUSAGE_SELF).ru_maxrss``), the time,
   and the ZIP's size. Target: the peak grows less than 50 MB over the start for 200k
   contacts, i.e. memory stays flat however many rows there are.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pgdb import ensure_postgres_database, seed_contacts_ensure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import production_env  # noqa: E402  (the one production environment)

PY = str(ROOT / ".venv" / "bin" / "python")
BENCH_USER = "bench-export@example.com"
TARGET_MB = 50

MEASURE = """
import json, resource, time
from apps.accounts.models import DataExport
from apps.accounts.services import data_export_run
from apps.users.models import User


def status():
    fields = {{}}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) // 1024
    return fields


user = User.objects.get(email={email!r})
job = DataExport.objects.create(owner=user)
before = status()
maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
start = time.perf_counter()
data_export_run(job_id=job.pk)
seconds = time.perf_counter() - start
after = status()
job.refresh_from_db()
print(json.dumps({{
    "status": job.status,
    "error": job.error,
    "rows": job.processed,
    "zip_bytes": job.file.size if job.file else 0,
    "seconds": seconds,
    "rss_before_mb": before["VmRSS"],
    "rss_after_mb": after["VmRSS"],
    "peak_before_mb": maxrss_before,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    "hwm_mb": after["VmHWM"],
}}))
if job.file:
    job.file.delete(save=False)
job.delete()
"""


def run(cmd: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return str(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=200_000, help="contacts of the user")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kis-bench-export-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    ensure_postgres_database(database_url)
    env = production_env(DATABASE_URL=database_url, DJANGO_MEDIA_ROOT=str(tmp / "media"))
    try:
        print(f"database: {database_url.split('@')[-1]}")
        run([PY, "manage.py", "migrate", "--noinput"], env)
        seed_contacts_ensure(python=PY, root=ROOT, env=env, email=BENCH_USER, count=args.count)
        result = json.loads(
            run([PY, "manage.py", "shell", "-c", MEASURE.format(email=BENCH_USER)], env)
            .strip()
            .splitlines()[-1]
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if result["status"] != "done":
        raise SystemExit(f"the export failed: {result['error']}")
    growth = result["peak_mb"] - result["rss_before_mb"]
    print()
    print(f"{args.count:,} contacts · {result['rows']:,} rows · {os.cpu_count()} CPUs")
    print()
    print("| RSS before | RSS after | peak (ru_maxrss) | peak growth | time | ZIP |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {result['rss_before_mb']} MB | {result['rss_after_mb']} MB | {result['peak_mb']} MB | "
        f"{growth} MB | {result['seconds']:.1f} s | {result['zip_bytes'] / 1e6:.1f} MB |"
    )
    verdict = "OK" if growth < TARGET_MB else "OVER TARGET"
    print(f"\npeak growth {growth} MB (target < {TARGET_MB} MB): {verdict}")
    if growth >= TARGET_MB:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
