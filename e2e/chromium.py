"""Find a Chromium for the e2e suite, or explain how to get one.

Order: $CHROMIUM_PATH, the system's chromium / chrome, then Playwright's managed
browser. Run as a script it prints the path, or instructions and exits 1.
"""

from __future__ import annotations

import os
import shutil
import sys
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


if __name__ == "__main__":
    path = find_chromium()
    if path is None:
        print(HOW_TO_GET_ONE, file=sys.stderr)
        sys.exit(1)
    print(f"Chromium for e2e tests: {path}")
