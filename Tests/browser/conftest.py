"""Shared fixtures of the browser test suite (pytest + Playwright for Python, the system's Chromium).

Nothing here downloads a browser: Chromium is /usr/bin/chromium (or $PATRON_CHROMIUM). Tests that need the
`patron` binary take it from $PATRON_BIN (scripts/test sets it), else .build/debug/patron. Screenshots go to
$PATRON_SCREENSHOTS, else Tests/browser/screenshots/ (kept out of git).
"""
import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PATRON_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    """The repository's root folder (examples/, docs/ …)."""
    return REPO


@pytest.fixture(scope="session")
def patron_bin() -> pathlib.Path:
    """The built `patron` binary."""
    path = pathlib.Path(os.environ.get("PATRON_BIN", REPO / ".build" / "debug" / "patron"))
    if not path.exists():
        pytest.skip(f"no patron binary at {path}: run `swift build` or set PATRON_BIN")
    return path


@pytest.fixture
def patron(patron_bin, workdir):
    """Runs `patron ARGS…` in the temporary folder; returns the CompletedProcess (text) and fails on a non-zero exit
    unless check=False."""

    def run(*args, check=True):
        done = subprocess.run([str(patron_bin), *map(str, args)], cwd=workdir, capture_output=True, text=True, timeout=300)
        if check and done.returncode != 0:
            raise AssertionError(f"patron {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr}")
        return done

    return run


@pytest.fixture
def workdir(tmp_path) -> pathlib.Path:
    """A fresh temporary folder for the test's files."""
    return tmp_path


@pytest.fixture(scope="session")
def screenshots() -> pathlib.Path:
    """Where tests save the screenshots a person looks at."""
    folder = pathlib.Path(os.environ.get("PATRON_SCREENSHOTS", REPO / "Tests" / "browser" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A new page at 1024 × 800 CSS pixels."""
    context = browser.new_context(viewport={"width": 1024, "height": 800}, device_scale_factor=1)
    tab = context.new_page()
    yield tab
    context.close()
