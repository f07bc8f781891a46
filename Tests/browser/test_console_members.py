"""The console's member pages in a real browser: a service agent signs in, finds a member, adjusts points through the
form and its confirmation, and sees the ledger change — in English and in 简体中文. Screenshots illustrate
docs/console.md (docs/img/console-members-*.png are copies of them)."""
import re

import pytest

from served import create_staff, patron_serve

PASSWORD = "correct horse battery"



@pytest.fixture
def shop(patron, patron_bin, workdir, repo):
    """A shop with the gold-club programme, one member with points and a service agent, served on a free port."""
    database = workdir / "shop.sqlite"
    patron("program", "load", repo / "examples" / "programs" / "gold-club.yaml", "--actor", "setup", "--database", database)
    patron("member", "enroll", "--customer", "C-1001", "--email", "ann.lee@example.com", "--phone", "+1 212 555 0100",
           "--name", "Ann Lee", "--consent", "email=true", "--consent", "sms=false", "--database", database)
    patron("member", "adjust", "customer:C-1001", "--points", "1200", "--reason", "welcome gift", "--actor", "setup",
           "--database", database)
    create_staff(patron_bin, workdir, database, "agent", "service", "Sam Agent", PASSWORD)
    with patron_serve(patron_bin, workdir, database) as base:
        yield base


def sign_in(page, base, language):
    page.goto(f"{base}/console/sign-in?lang={language}")
    page.fill("#username", "agent")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


TEXTS = {
    "en": {"search": "Search", "adjust": "Adjust points", "review": "Review", "confirm": "Confirm", "entry": "adjusted by staff",
           "balance": "1,450 pts", "notANumber": "Not a whole number."},
    "zh-Hans": {"search": "搜索", "adjust": "调整积分", "review": "检查", "confirm": "确认", "entry": "人工调整",
                "balance": "1,450 积分", "notANumber": "不是整数。"},
}


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_staff_find_a_member_adjust_points_and_see_the_ledger_change(page, shop, screenshots, language):
    text = TEXTS[language]
    page.set_viewport_size({"width": 1280, "height": 1000})
    sign_in(page, shop, language)
    page.goto(f"{shop}/console/members")
    page.fill("#q", "ANN.LEE@example.com")
    page.click(f"button:has-text('{text['search']}')")
    page.wait_for_load_state()
    assert "q=ANN.LEE%40example.com" in page.url
    results = page.locator("#results tbody tr")
    assert results.count() == 1
    page.screenshot(path=str(screenshots / f"console-members-search-{language}.png"), full_page=True)
    results.locator("a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/console/members/\d+$", page.url)
    assert page.locator("#entries tbody tr").count() == 1

    page.click(f"a.button:has-text('{text['adjust']}')")
    # Bad input first: the form comes back with the error beside the field.
    page.fill("#points", "25O")
    page.fill("#reason", "late delivery <script>alert(1)</script>")
    page.click(f"button:has-text('{text['review']}')")
    page.wait_for_load_state()
    assert page.locator("#points-error").inner_text() == text["notANumber"]
    page.fill("#points", "250")
    page.click(f"button:has-text('{text['review']}')")
    page.wait_for_load_state()
    assert "+250" in page.locator("#confirm-lines").inner_text()
    page.screenshot(path=str(screenshots / f"console-members-confirm-{language}.png"), full_page=True)
    confirm_action = page.eval_on_selector("#confirm-form", "form => form.action")
    confirm_fields = dict(page.eval_on_selector_all("#confirm-form input[type=hidden]", "inputs => inputs.map(i => [i.name, i.value])"))
    page.click("#confirm")
    page.wait_for_load_state()

    assert re.search(r"/console/members/\d+$", page.url)
    assert text["balance"] in page.locator(".notice").inner_text()
    rows = page.locator("#entries tbody tr")
    assert rows.count() == 2
    newest = rows.first.inner_text()
    assert text["entry"] in newest and "+250" in newest and "late delivery <script>alert(1)</script>" in newest
    assert "staff:agent" in newest
    assert text["balance"] in page.locator("#balances").inner_text()
    page.screenshot(path=str(screenshots / f"console-members-member-{language}.png"), full_page=True)

    # The same confirmation sent again (a double click, a resent form) does not add the points twice.
    member_page = page.url
    again = page.request.post(confirm_action, form=confirm_fields, max_redirects=0)
    assert again.status == 303
    page.goto(member_page)
    assert page.locator("#entries tbody tr").count() == 2
    assert text["balance"] in page.locator("#balances").inner_text()
