"""The browser tests on a machine without a browser: skipped with a one-line reason naming
what to install, or failed where ``SOLARCOOP_REQUIRE_BROWSER`` says a browser must be there
(as ``.ci/run`` does)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REQUIRE_BROWSER, require_browser

TESTS = Path(__file__).parent


def _nothing_installed(name: str) -> None:
    return None


def _everything_installed(name: str) -> str:
    return f"/opt/bin/{name}"


def test_a_missing_browser_skips_with_one_line_naming_what_to_install():
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_browser(which=_nothing_installed, environ={})
    reason = str(skipped.value)
    assert "\n" not in reason
    assert "chromium" in reason and "chromedriver" in reason
    assert "apt-get install chromium chromium-driver" in reason


def test_a_missing_browser_fails_where_it_is_required():
    with pytest.raises(pytest.fail.Exception, match=REQUIRE_BROWSER):
        require_browser(which=_nothing_installed, environ={REQUIRE_BROWSER: "1"})
    with pytest.raises(pytest.skip.Exception):  # "0" or empty: not required
        require_browser(which=_nothing_installed, environ={REQUIRE_BROWSER: "0"})


def test_only_the_missing_program_is_named():
    def no_driver(name: str) -> str | None:
        return None if name == "chromedriver" else f"/opt/bin/{name}"

    with pytest.raises(pytest.skip.Exception, match="need chromedriver:"):
        require_browser(which=no_driver, environ={})


def test_an_installed_browser_is_found():
    assert require_browser(which=_everything_installed, environ={REQUIRE_BROWSER: "1"}) == {
        "chromium": "/opt/bin/chromium",
        "chromedriver": "/opt/bin/chromedriver",
    }


def _run_a_browser_test(tmp_path: Path, **environ: str) -> subprocess.CompletedProcess:
    """One browser test of the app, run by pytest in a new process with an empty PATH (no
    Chromium, no chromedriver to be found)."""
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    env = {name: value for name, value in os.environ.items() if name != REQUIRE_BROWSER}
    env |= {"PATH": str(empty), **environ}
    return subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:xdist",
            "-o", "addopts=", str(TESTS / "test_app.py"), "-k", "persian_page_is_right_to_left",
        ],
        cwd=TESTS.parent, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_app_browser_test_skips_then_fails_when_required_without_a_browser(tmp_path):
    skipped = _run_a_browser_test(tmp_path)
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "1 skipped" in skipped.stdout
    assert "apt-get install chromium chromium-driver" in skipped.stdout
    required = _run_a_browser_test(tmp_path, **{REQUIRE_BROWSER: "1"})
    assert required.returncode == 1, required.stdout + required.stderr
    assert "1 error" in required.stdout
    assert f"{REQUIRE_BROWSER} is set" in required.stdout
