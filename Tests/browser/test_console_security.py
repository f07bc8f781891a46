"""Markup typed into names and reasons stays text in a real browser: no dialog opens and no injected element
appears on the staff pages that show a hostile staff name and member."""
import pytest

from served import create_staff, patron_serve
from test_console_signin import PASSWORD

SCRIPT = "<script>alert('xss')</script>"
IMAGE = "\"><img src=x onerror=alert('xss')>"


@pytest.fixture
def hostile(patron, patron_bin, workdir, repo):
    database = workdir / "shop.sqlite"
    patron("program", "load", repo / "examples" / "programs" / "gold-club.yaml", "--actor", "setup", "--database", database)
    patron("member", "enroll", "--customer", "C-666", "--name", SCRIPT + IMAGE, "--database", database)
    patron("member", "adjust", "customer:C-666", "--points", "100", "--reason", "gift " + SCRIPT + IMAGE, "--actor", "setup",
           "--database", database)
    create_staff(patron_bin, workdir, database, "mallory", "owner", SCRIPT + IMAGE, PASSWORD)
    with patron_serve(patron_bin, workdir, database) as base:
        yield base


def test_hostile_names_and_reasons_run_nothing(page, hostile):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{hostile}/console/sign-in")
    page.fill("#username", "mallory")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for path in ["/console/staff", "/console/members?q=C-666", "/console/members"]:
        page.goto(hostile + path)
        page.wait_for_load_state()
        assert page.locator("img[src=x]").count() == 0, path
        assert page.locator("script:not([src])").count() == 0, path
    page.goto(hostile + "/console/staff")
    assert SCRIPT + IMAGE in page.locator(".account").inner_text()
    assert dialogs == []
