"""A throwaway redis-server for fault tests: no persistence, a free port, stopped by us."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field

from tests.servers import free_port

# This project's throwaway Redis servers stay here: below the ephemeral range, like PG_PORTS.
REDIS_PORTS = range(16300, 16400)


def find_redis_server() -> str | None:
    """Return the redis-server binary, or None."""
    return shutil.which("redis-server")


@dataclass
class RedisServer:
    """One redis-server on PORT, started and stopped (or frozen) by the test."""

    binary: str
    port: int = field(default_factory=lambda: free_port(REDIS_PORTS))
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "timeout", "600", self.binary, "--port", str(self.port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--loglevel", "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGCONT)  # in case it was frozen
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def freeze(self) -> None:
        """Stop answering but keep the data and the port (a hung server)."""
        assert self.process is not None
        self._signal_server(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self._signal_server(signal.SIGCONT)

    def _signal_server(self, sig: signal.Signals) -> None:
        # The process is `timeout`; redis-server is its only child.
        assert self.process is not None
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(children) == 1, children
        subprocess.run(["kill", f"-{sig.name.removeprefix('SIG')}", children[0]], check=True)
