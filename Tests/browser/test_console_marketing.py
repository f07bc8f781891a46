"""The console's Marketing and What-if pages in Chromium, on a small demo shop (`patron demo --members 300`, which
runs the win-back campaign to the end): the segment and campaign lists, a segment preview, the finished campaign's
report, a draft campaign started and paused through the confirmed lifecycle buttons; the what-if page refusing a
broken draft line by line, then comparing new level thresholds side by side — in English and in 简体中文.
Screenshots go to Tests/browser/screenshots/.
"""
import os
import subprocess

import pytest

from served import patron_serve

PASSWORD = "correct horse battery staple"

SPRING = """name: spring-tea
description: Spring tasting for lapsing buyers
segment: win-back
window: { starts: 2027-03-01, ends: 2027-03-31 }
attributionDays: 14
holdout: 20
budget: { points: 50000 }
actions:
  - grantPoints: 100
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory, patron_bin):
    """A `patron serve` on a 300-member demo shop with one owner and a draft campaign: yields its base URL."""
    folder = tmp_path_factory.mktemp("marketing")
    database = folder / "shop.sqlite"
    env = dict(os.environ, USER=os.environ.get("USER", "tester"), PATRON_MEMBER_LINK_SECRET="7" * 64)

    def run(*args, **kwargs):
        return subprocess.run([str(patron_bin), *map(str, args)], cwd=folder, env=env, capture_output=True, text=True, check=True, timeout=300, **kwargs)

    run("demo", "--members", "300", "--database", database)
    run("users", "create", "olive", "--role", "owner", "--name", "Olive Owner", "--password-stdin", "--database", database, input=PASSWORD + "\n")
    (folder / "spring.yaml").write_text(SPRING)
    run("campaigns", "create", folder / "spring.yaml", "--database", database)
    with patron_serve(patron_bin, folder, database) as base:
        yield base


def sign_in(page, base):
    page.goto(f"{base}/console/sign-in")
    page.fill("#username", "olive")
    page.fill("#password", PASSWORD)
    page.click("form[action='/console/sign-in'] button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_the_marketing_page_a_segment_preview_and_a_campaign_report(shop, page, screenshots, language):
    sign_in(page, shop)
    page.goto(f"{shop}/console/marketing?lang={language}")
    assert page.locator(".mainnav a.current").inner_text() == ("Marketing" if language == "en" else "营销")
    assert "win-back" in page.locator("#segments").inner_text()
    campaigns = page.locator("#campaigns").inner_text()
    assert "win-back" in campaigns and "spring-tea" in campaigns
    assert ("finished" if language == "en" else "已结束") in campaigns
    page.screenshot(path=str(screenshots / f"console-marketing-{language}.png"), full_page=True)

    page.click("#segments a:text-is('win-back')")
    page.wait_for_load_state()
    assert page.locator("#preview .figure").count() == 3
    assert page.locator("#sample tbody tr").count() > 0
    page.screenshot(path=str(screenshots / f"console-marketing-segment-{language}.png"), full_page=True)

    page.goto(f"{shop}/console/marketing?lang={language}")
    page.click("#campaigns a:text-is('win-back')")
    page.wait_for_load_state()
    groups = page.locator("#groups").inner_text()
    assert ("Treated" if language == "en" else "受惠组") in groups
    uplift = page.locator("#uplift").inner_text()
    assert ("95 % interval" if language == "en" else "95% 区间") in uplift
    assert page.locator("#steps").count() == 0, "a finished campaign offers no step"
    page.screenshot(path=str(screenshots / f"console-marketing-campaign-{language}.png"), full_page=True)


def test_a_draft_campaign_is_started_and_paused_only_when_confirmed(shop, page):
    sign_in(page, shop)
    page.goto(f"{shop}/console/marketing/campaigns/spring-tea?lang=en")
    assert page.locator("#campaign-status").inner_text() == "draft"
    page.click("#step-start button[type=submit]")  # the box is not ticked: the browser does not send the form
    assert page.locator("#campaign-status").inner_text() == "draft"
    page.check("#step-start input[name=confirm]")
    page.click("#step-start button[type=submit]")
    page.wait_for_load_state()
    assert "is running" in page.locator(".notice").inner_text()
    assert page.locator("#campaign-status").inner_text() == "running"
    assert page.locator("#step-start").count() == 0 and page.locator("#step-pause").count() == 1
    page.check("#step-pause input[name=confirm]")
    page.click("#step-pause button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#campaign-status").inner_text() == "paused"


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_what_if_refuses_a_broken_draft_and_compares_new_thresholds(shop, page, screenshots, language):
    sign_in(page, shop)
    page.goto(f"{shop}/console/program?lang={language}")
    page.click("#compare-link")
    page.wait_for_load_state()
    source = page.locator("#draft-source").input_value()
    assert "levels:" in source, "the form starts from the programme in force"

    page.fill("#draft-source", source.replace('threshold: "1000.00"', 'threshold: "-5"').replace("currency: CNY", "currency: XYZ"))
    page.click("#compare-form button[type=submit]")
    page.wait_for_load_state()
    errors = page.locator("#compare-errors").inner_text()
    assert "(line" in errors and "XYZ" in errors
    assert page.locator("#comparison").count() == 0

    page.fill("#draft-source", source.replace('threshold: "1000.00"', 'threshold: "600.00"'))
    page.fill("#months", "12")
    page.click("#compare-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#comparison").count() == 1
    assert page.locator("#sides tbody tr").count() == 8
    moves = page.locator("#moves").inner_text()
    assert ("would move up" if language == "en" else "将升级的会员") in moves
    page.screenshot(path=str(screenshots / f"console-compare-{language}.png"), full_page=True)

    with page.expect_download() as download:
        page.click("#report-form button[type=submit]")
    report = download.value.path().read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in report
