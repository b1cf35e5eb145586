"""A throwaway PostgreSQL cluster for fault tests: initdb into a temp dir, start, stop."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.servers import free_port

# This project's throwaway clusters stay in this range. It lies below the kernel's ephemeral
# range (32768-60999): there, an outgoing connection can take the port as its source while
# an outage test has the cluster stopped, and the restart then fails ("address in use").
PG_PORTS = range(15400, 15500)


def find_pg_bin() -> Path | None:
    """Return Debian's PostgreSQL bin directory (newest version), or None."""
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    for path in sorted(
        versions, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True
    ):
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


@dataclass
class Cluster:
    """One PostgreSQL server in DIRECTORY on PORT (trust auth, user postgres)."""

    bin: Path
    directory: Path
    port: int

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            log = self.directory / "server.log"
            extra = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}{extra}")

    def init(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.directory / "server.log"),
            "-o", options, "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def createdb(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def make_cluster(bin_dir: Path) -> Cluster:
    """Create and start a new cluster on a free port in PG_PORTS."""
    directory = Path(tempfile.mkdtemp(prefix="kis-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    cluster = Cluster(bin=bin_dir, directory=directory, port=free_port(PG_PORTS))
    cluster.init()
    cluster.start()
    deadline = time.monotonic() + 10
    while not (cluster.data / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return cluster
