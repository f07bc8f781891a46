"""The console's overview in a real browser: an analyst signs in, sees the demo shop's figures, RFM grid and charts,
and picks another period with the form — in English and in 简体中文. Screenshots illustrate docs/console.md
(docs/img/console-overview-*.png are copies of them)."""
import subprocess

import pytest

from served import patron_serve

PASSWORD = "correct horse battery"



@pytest.fixture(scope="module")
def shop(patron_bin, tmp_path_factory):
    """The demo shop (a year of a tea shop), its overview snapshot taken, an analyst, served on a free port."""
    workdir = tmp_path_factory.mktemp("overview")
    database = workdir / "patron-demo.sqlite"

    def run(*args, **extra):
        done = subprocess.run([str(patron_bin), *map(str, args)], cwd=workdir, capture_output=True, text=True, timeout=600, **extra)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run("demo")
    run("overview", "snapshot", "--database", database)
    run("users", "create", "ana", "--role", "analyst", "--name", "Ana Lyst", "--password-stdin", "--actor", "setup",
        "--database", database, input=PASSWORD + "\n")
    with patron_serve(patron_bin, workdir, database) as base:
        yield base


TEXTS = {
    "en": {"title": "Overview", "models": "Customer-base models", "month": "Month", "custom": "Custom range"},
    "zh-Hans": {"title": "概览", "models": "客户群模型", "month": "月份", "custom": "自定义范围"},
}


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_an_analyst_sees_the_overview_and_picks_a_period(page, shop, screenshots, language):
    text = TEXTS[language]
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{shop}/console/sign-in?lang={language}")
    page.fill("#username", "ana")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    # The whole demo year and more: a custom range through the form.
    page.select_option("#period-choice", "custom")
    page.fill("#period-from", "2021-01-01")
    page.fill("#period-to", "2030-12-31")
    page.click("#period button[type=submit]")
    page.wait_for_load_state()
    assert "period=custom" in page.url
    assert page.locator("h1").inner_text().startswith(text["title"])
    members = page.locator("#figure-members .figure-value").inner_text()
    assert members.replace(",", "").isdigit() and int(members.replace(",", "")) > 1000, members
    assert page.locator("#levels tbody tr").count() >= 2
    assert page.locator("#rfm tbody tr").count() == 5
    assert page.locator("#retention svg").count() == 1
    assert text["models"] in page.content()
    page.screenshot(path=str(screenshots / f"console-overview-{language}.png"), full_page=True)
    # A month with no orders shows zero sales, not an error.
    page.select_option("#period-choice", "month")
    page.fill("#period-month", "2021-01")
    page.click("#period button[type=submit]")
    page.wait_for_load_state()
    assert "period=month" in page.url and "month=2021-01" in page.url
    assert page.locator("#figure-sales .figure-value").inner_text().endswith("0.00")
    assert violations == []
