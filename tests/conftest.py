import os
import shutil

import matplotlib
import pytest

matplotlib.use("Agg")

from hypothesis import settings  # noqa: E402

import solarcoop as sc  # noqa: E402

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    # in CI the property tests draw the same examples every run, so that a run is red only
    # for a change; on a developer's machine they keep exploring new ones
    settings.load_profile("ci")

REQUIRE_BROWSER = "SOLARCOOP_REQUIRE_BROWSER"
"""Set (to anything but empty or 0) where a browser must be present, as ``.ci/run`` does:
a missing Chromium then fails the browser tests instead of skipping them."""

BROWSER_PROGRAMS = {
    "chromium": ("chromium", "chromium-browser"),
    "chromedriver": ("chromedriver",),
}
"""What the browser tests run, and the names each is installed under."""

INSTALL_BROWSER = (
    "pip install selenium; apt-get install chromium chromium-driver "
    "(or brew install --cask chromium chromedriver)"
)


def missing_browser_parts(which=shutil.which) -> list[str]:
    """What the browser tests need and this machine lacks: ``selenium`` (the Python
    package), ``chromium`` and ``chromedriver`` (programs on the PATH)."""
    missing = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium")
    for program, names in BROWSER_PROGRAMS.items():
        if not any(which(name) for name in names):
            missing.append(program)
    return missing


def require_browser(which=shutil.which, environ=os.environ) -> dict[str, str]:
    """The paths of Chromium and chromedriver; without them the test is skipped with a
    one-line reason naming what to install, or failed when :data:`REQUIRE_BROWSER` is set."""
    missing = missing_browser_parts(which)
    if missing:
        reason = f"browser tests need {', '.join(missing)}: {INSTALL_BROWSER}"
        if environ.get(REQUIRE_BROWSER, "") not in ("", "0"):
            pytest.fail(f"{reason} ({REQUIRE_BROWSER} is set: the browser must be present)")
        pytest.skip(reason)
    return {
        program: next(which(name) for name in names if which(name))
        for program, names in BROWSER_PROGRAMS.items()
    }


@pytest.fixture(scope="session")
def browser_programs() -> dict[str, str]:
    """Chromium and chromedriver for the browser tests (see :func:`require_browser`)."""
    return require_browser()


@pytest.fixture(scope="session")
def baseline_result():
    """The Qom baseline, simulated once for the whole session."""
    return sc.simulate(sc.qom_baseline())
