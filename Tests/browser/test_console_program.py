"""The console's programme page in Chromium: a staff owner uploads a broken programme and sees each error at its line
(nothing loaded), then a good one, confirms the diff and sees the new version — in English and in 简体中文. Also the
rewards and operations pages render, and an order import shows its result. Screenshots go to Tests/browser/screenshots/.
"""
import os
import re
import subprocess

import pytest

from served import patron_serve

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def console(tmp_path_factory, patron_bin, repo):
    """A `patron serve` on a fresh SQLite shop with the gold-club programme and one owner: yields its base URL."""
    folder = tmp_path_factory.mktemp("console")
    database = folder / "shop.sqlite"
    env = dict(os.environ, USER=os.environ.get("USER", "tester"), PATRON_MEMBER_LINK_SECRET="7" * 64)

    def run(*args, **kwargs):
        return subprocess.run([str(patron_bin), *map(str, args)], cwd=folder, env=env, capture_output=True, text=True, check=True, timeout=120, **kwargs)

    run("program", "load", repo / "examples" / "programs" / "gold-club.yaml", "--database", database)
    run("users", "create", "olive", "--role", "owner", "--name", "Olive Owner", "--password-stdin", "--database", database, input=PASSWORD + "\n")
    with patron_serve(patron_bin, folder, database) as base:
        yield base


def sign_in(page, base):
    page.goto(f"{base}/console/sign-in")
    page.fill("#username", "olive")
    page.fill("#password", PASSWORD)
    page.click("form[action='/console/sign-in'] button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_a_broken_programme_shows_its_lines_and_a_good_one_becomes_the_new_version(console, page, repo, workdir, screenshots, language):
    sign_in(page, console)
    good = (repo / "examples" / "programs" / "gold-club.yaml").read_text()
    broken = good.replace("currency: USD", "currency: XYZ").replace("  days: 30", "  days: -4")
    broken_file = workdir / "broken.yaml"
    broken_file.write_text(broken)

    page.goto(f"{console}/console/program/upload?lang={language}")
    page.set_input_files("#program-file", str(broken_file))
    page.wait_for_function("document.getElementById('program-source').value.includes('XYZ')")
    page.click("#upload-form button[type=submit]")
    errors = page.locator("#program-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "currency (line 3)" in text
    assert "pending.days (line" in text
    page.screenshot(path=str(screenshots / f"console-program-errors-{language}.png"), full_page=True)

    page.goto(f"{console}/console/program?lang={language}")
    versions_before = page.locator("#versions tbody tr").count()

    days = "14" if language == "en" else "21"
    page.goto(f"{console}/console/program/upload?lang={language}")
    page.fill("#program-source", good.replace("  days: 30", f"  days: {days}"))
    page.click("#upload-form button[type=submit]")
    page.locator("#changes").wait_for()
    assert "pendingDays" in page.locator("#changes").inner_text()
    assert page.locator("#line-diff .diff-added").count() >= 1
    page.screenshot(path=str(screenshots / f"console-program-confirm-{language}.png"), full_page=True)
    page.check("#confirm-form input[name=confirm]")
    page.click("#confirm-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/program$"))
    assert page.locator(".notice").count() >= 1
    rows = page.locator("#versions tbody tr")
    assert rows.count() == versions_before + 1
    newest = rows.first.inner_text()
    assert "staff:olive" in newest
    expected = f"Points stay pending for {days} days" if language == "en" else f"积分在收货后待生效 {days} 天"
    assert expected in page.locator("#explanation").inner_text()
    page.screenshot(path=str(screenshots / f"console-program-{language}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_rewards_and_operations_pages_render_and_an_import_shows_its_refused_rows(console, page, workdir, screenshots, language):
    sign_in(page, console)
    page.goto(f"{console}/console/rewards?lang={language}")
    assert page.locator("h1").count() == 1
    page.screenshot(path=str(screenshots / f"console-rewards-{language}.png"), full_page=True)

    page.goto(f"{console}/console/operations?lang={language}")
    orders = workdir / f"orders-{language}.csv"
    orders.write_text("customer,date,amount\nB1,2026-01-05,120.00\nB2,2026-13-40,80.00\nB1,2026-02-01,30.00\n")
    page.set_input_files("#orders-file", str(orders))
    page.wait_for_function("document.getElementById('orders').value.includes('B2')")
    page.check("#import-form input[name=confirm]")
    page.click("#import-form button[type=submit]")
    page.locator("#import-summary").wait_for(timeout=20000)
    summary = page.locator("#import-summary").inner_text()
    assert "line 3" in summary
    assert orders.name in page.locator("h1").inner_text()
    page.screenshot(path=str(screenshots / f"console-import-{language}.png"), full_page=True)

    page.goto(f"{console}/console/operations?lang={language}")
    page.screenshot(path=str(screenshots / f"console-operations-{language}.png"), full_page=True)
