"""Find a Chromium for the e2e suite, install one, or explain how to get one.

Order: $CHROMIUM_PATH, the system's chromium / chrome, then Playwright's managed
browser. Run as a script it prints the path, or instructions and exits 1.

`python e2e/chromium.py --install` (make test / make e2e / .ci/run) sets one up when
none is found, like every other dependency: Playwright's managed Chromium when its CDN
answers (bounded by a timeout), else the system's package manager when allowed (Debian's
`chromium` through apt-get, as root or with passwordless sudo), else the instructions
and exit 1. KIS_CHROMIUM_INSTALL_DRY_RUN=1 prints the commands instead of running them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

_SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_MAC_APPS = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
_PLAYWRIGHT_CACHES = (
    Path.home() / ".cache" / "ms-playwright",
    Path.home() / "Library" / "Caches" / "ms-playwright",
)
_PLAYWRIGHT_BINARIES = (
    "chrome-linux/chrome",
    "chrome-linux64/chrome",
    "chrome-mac/Chromium.app/Contents/MacOS/Chromium",
    "chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
)

HOW_TO_GET_ONE = """No Chromium found for the browser tests. Get one of:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium
  macOS:          brew install --cask chromium
  Playwright:     .venv/bin/playwright install chromium
or point CHROMIUM_PATH at a Chromium or Chrome binary."""


def find_chromium() -> str | None:
    """Return the path of a usable Chromium binary, or None."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in _SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for app in _MAC_APPS:
        if Path(app).is_file():
            return app
    for cache in _PLAYWRIGHT_CACHES:
        for build in sorted(cache.glob("chromium-*"), reverse=True):
            for rel in _PLAYWRIGHT_BINARIES:
                if (build / rel).is_file():
                    return str(build / rel)
    return None


PLAYWRIGHT_TIMEOUT = 120  # seconds; a download that is not done by then is not coming
APT_TIMEOUT = 600

Runner = Callable[[Sequence[str], float], bool]


def run_command(cmd: Sequence[str], timeout: float) -> bool:
    """Run CMD (output shown), True when it exits 0 within TIMEOUT seconds.

    The command runs in its own process group, killed whole on timeout (playwright's
    installer is a Python wrapper around a Node.js download process)."""
    print("+ " + " ".join(cmd), flush=True)
    try:
        proc = subprocess.Popen(cmd, start_new_session=True)
    except OSError as exc:
        print(f"  could not start: {exc}", file=sys.stderr)
        return False
    try:
        return proc.wait(timeout=timeout) == 0
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        print(f"  gave up after {timeout:.0f} s", file=sys.stderr)
        return False


def dry_run(cmd: Sequence[str], timeout: float) -> bool:
    """Print CMD instead of running it; it counts as failed, so every step is shown."""
    print("would run: " + " ".join(cmd), flush=True)
    return False


def works(path: str) -> bool:
    """True when the binary at PATH starts (`--version`; catches missing libraries)."""
    try:
        result = subprocess.run([path, "--version"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def may_use_apt(which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The prefix to run apt-get with (`[]` as root, `["sudo", "-n"]` with passwordless
    sudo), or None when apt-get is missing or not allowed."""
    if which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if which("sudo") is not None:
        try:
            sudo = subprocess.run(
                ["sudo", "-n", "true"], capture_output=True, timeout=10, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if sudo.returncode == 0:
            return ["sudo", "-n"]
    return None


def install_chromium(
    *,
    find: Callable[[], str | None] = find_chromium,
    run: Runner = run_command,
    usable: Callable[[str], bool] = works,
    apt_prefix: Callable[[], list[str] | None] = may_use_apt,
    python: str = sys.executable,
) -> str | None:
    """Return a usable Chromium, installing one if needed; None when that failed."""
    path = find()
    if path is not None:
        return path
    print("No Chromium found for the browser tests; installing Playwright's Chromium.")
    if run([python, "-m", "playwright", "install", "chromium"], PLAYWRIGHT_TIMEOUT):
        path = find()
        if path is not None and usable(path):
            return path
        print("Playwright's Chromium does not start here (missing system libraries?).")
    prefix = apt_prefix()
    if prefix is None:
        return None
    print("Installing the system's Chromium with apt-get.")
    # A failed update (no network) still leaves the cached package lists to install from.
    run([*prefix, "apt-get", "update", "-qq"], APT_TIMEOUT)
    noninteractive = ["env", "DEBIAN_FRONTEND=noninteractive"]
    if run([*prefix, *noninteractive, "apt-get", "install", "-y", "-qq", "chromium"], APT_TIMEOUT):
        return find()
    return None


def main(argv: Sequence[str]) -> int:
    if "--install" in argv:
        dry = os.environ.get("KIS_CHROMIUM_INSTALL_DRY_RUN", "") not in ("", "0")
        path = install_chromium(run=dry_run if dry else run_command)
    else:
        path = find_chromium()
    if path is None:
        print(HOW_TO_GET_ONE, file=sys.stderr)
        return 1
    print(f"Chromium for e2e tests: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
