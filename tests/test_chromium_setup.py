"""e2e/chromium.py --install: how `make test` gets a browser on a bare machine."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from e2e import chromium

ROOT = Path(__file__).resolve().parent.parent


class FakeRunner:
    """Records commands; each one 'succeeds' when a predicate says so."""

    def __init__(self, succeeds=lambda cmd: True, on_success=lambda cmd: None):
        self.calls: list[list[str]] = []
        self.succeeds = succeeds
        self.on_success = on_success

    def __call__(self, cmd: Sequence[str], timeout: float) -> bool:
        self.calls.append(list(cmd))
        ok = self.succeeds(list(cmd))
        if ok:
            self.on_success(list(cmd))
        return ok


def _is_playwright(cmd: list[str]) -> bool:
    return "playwright" in cmd


def _is_apt_install(cmd: list[str]) -> bool:
    return "apt-get" in cmd and "install" in cmd


def test_found_means_nothing_is_installed():
    run = FakeRunner()
    path = chromium.install_chromium(
        find=lambda: "/usr/bin/chromium", run=run, apt_prefix=lambda: pytest.fail("asked")
    )
    assert path == "/usr/bin/chromium"
    assert run.calls == []


def test_not_found_and_playwright_works_uses_playwright():
    installed: list[str] = []
    run = FakeRunner(on_success=lambda cmd: installed.append("pw"))
    path = chromium.install_chromium(
        find=lambda: "/cache/ms-playwright/chromium-1/chrome" if installed else None,
        run=run,
        usable=lambda p: True,
        apt_prefix=lambda: pytest.fail("apt must not be needed"),
        python="/venv/bin/python",
    )
    assert path == "/cache/ms-playwright/chromium-1/chrome"
    assert run.calls == [["/venv/bin/python", "-m", "playwright", "install", "chromium"]]


def test_playwright_fails_and_root_with_apt_uses_apt():
    installed: list[str] = []
    run = FakeRunner(
        succeeds=lambda cmd: not _is_playwright(cmd),
        on_success=lambda cmd: installed.append("apt") if _is_apt_install(cmd) else None,
    )
    path = chromium.install_chromium(
        find=lambda: "/usr/bin/chromium" if installed else None,
        run=run,
        apt_prefix=lambda: [],  # root
    )
    assert path == "/usr/bin/chromium"
    assert _is_playwright(run.calls[0])
    assert run.calls[1:] == [
        ["apt-get", "update", "-qq"],
        ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "chromium"],
    ]


def test_apt_through_passwordless_sudo():
    run = FakeRunner(succeeds=lambda cmd: not _is_playwright(cmd))
    chromium.install_chromium(find=lambda: None, run=run, apt_prefix=lambda: ["sudo", "-n"])
    assert all(cmd[:2] == ["sudo", "-n"] for cmd in run.calls[1:])


def test_playwright_browser_that_does_not_start_falls_back_to_apt():
    found = iter([None, "/cache/ms-playwright/chromium-1/chrome", "/usr/bin/chromium"])
    run = FakeRunner()
    path = chromium.install_chromium(
        find=lambda: next(found), run=run, usable=lambda p: False, apt_prefix=lambda: []
    )
    assert _is_playwright(run.calls[0])
    assert any(_is_apt_install(cmd) for cmd in run.calls)
    assert path == "/usr/bin/chromium"


def test_neither_returns_none_without_asking_apt_when_not_allowed():
    run = FakeRunner(succeeds=lambda cmd: False)
    path = chromium.install_chromium(find=lambda: None, run=run, apt_prefix=lambda: None)
    assert path is None
    assert len(run.calls) == 1  # only the playwright attempt


def test_apt_needs_apt_get_and_root_or_passwordless_sudo(monkeypatch):
    assert chromium.may_use_apt(which=lambda name: None) is None
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert chromium.may_use_apt(which=lambda name: f"/usr/bin/{name}") == []
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert (
        chromium.may_use_apt(which=lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)
        is None
    )


def test_run_command_gives_up_at_the_timeout_and_kills_the_whole_group():
    started = time.monotonic()
    ok = chromium.run_command(["sh", "-c", "sleep 30 & sleep 30"], timeout=0.5)
    assert ok is False
    assert time.monotonic() - started < 5


def test_run_command_reports_exit_status():
    assert chromium.run_command(["true"], timeout=10) is True
    assert chromium.run_command(["false"], timeout=10) is False
    assert chromium.run_command(["/nonexistent/command"], timeout=10) is False


def test_script_on_a_machine_without_a_browser_says_how_to_get_one(tmp_path):
    """No browser anywhere, installs stubbed (dry run): every step shown, then the message."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "apt-get").symlink_to("/bin/true")
    env = {
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),  # no Playwright cache
        "KIS_CHROMIUM_INSTALL_DRY_RUN": "1",
    }
    result = subprocess.run(
        [sys.executable, "e2e/chromium.py", "--install"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "would run: " + sys.executable + " -m playwright install chromium" in result.stdout
    if os.geteuid() == 0:
        assert "apt-get install -y -qq chromium" in result.stdout
    assert "No Chromium found for the browser tests" in result.stderr


def test_script_with_chromium_path_finds_it(tmp_path):
    browser = tmp_path / "chrome"
    browser.write_text("")
    result = subprocess.run(
        [sys.executable, "e2e/chromium.py", "--install"],
        cwd=ROOT,
        env={"PATH": "/nonexistent", "HOME": str(tmp_path), "CHROMIUM_PATH": str(browser)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert str(browser) in result.stdout
