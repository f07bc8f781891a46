"""The member zone in Chromium: a member signs in through a signed link minted with the Python recipe of
docs/console.md, sees their points, redeems a reward through the confirmation step and sees the balance drop — in
English and in 简体中文, on a desktop window and on a phone (390 × 844). A reused link gets the refusal page. Every page
is checked for Content-Security-Policy violations. Screenshots go to Tests/browser/screenshots/.
"""
import hashlib
import hmac
import json
import os
import re
import secrets
import subprocess
import time
import urllib.parse

import pytest

from page_checks import untranslated_words
from served import patron_serve

SECRET = "member-zone-browser-test-secret-0123456789abcdef"
REWARDS = """
rewards:
  - { id: coupon-5, name: "Five off", kind: coupon, cost: 500, coupon: { value: "5.00", validDays: 30 }, limit: { perMonth: 10 } }
  - { id: mug, name: Northwind mug, kind: gift, cost: 800, stock: 20 }
  - { id: machine, name: Espresso machine, kind: gift, cost: 100000 }
"""
PHONE = {"width": 390, "height": 844}
DATABASES = {}


def zone_database(base):
    """The database file of the server at `base`."""
    return DATABASES[base]


def member_link(identity: str, base: str, minutes: int = 10) -> str:
    """The Python recipe of docs/console.md, as a shop's backend would run it."""
    expires = str(int(time.time()) + minutes * 60)
    nonce = secrets.token_hex(16)
    message = f"{identity}\n{expires}\n{nonce}".encode()
    signature = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    query = urllib.parse.urlencode({"identity": identity, "expires": expires, "nonce": nonce, "signature": signature})
    return f"{base}/member/sign-in?{query}"


@pytest.fixture(scope="module")
def zone(tmp_path_factory, patron_bin, repo):
    """A `patron serve` on a fresh SQLite shop (gold-club with three rewards) and four members with 5,000 points:
    yields the base URL."""
    folder = tmp_path_factory.mktemp("zone")
    database = folder / "shop.sqlite"
    programme = folder / "gold-club-rewards.yaml"
    programme.write_text((repo / "examples" / "programs" / "gold-club.yaml").read_text() + REWARDS)
    env = dict(os.environ, USER=os.environ.get("USER", "tester"))

    def run(*args):
        return subprocess.run([str(patron_bin), *map(str, args)], cwd=folder, env=env, capture_output=True, text=True, check=True, timeout=120)

    run("program", "load", programme, "--database", database)
    for customer, name in [("EN-D", "Ann Lee"), ("EN-P", "Ann Lee"), ("ZH-D", "李安"), ("ZH-P", "李安")]:
        run("member", "enroll", "--customer", customer, "--name", name, "--consent", "email=true", "--database", database)
        run("member", "adjust", f"customer:{customer}", "--points", "5000", "--reason", "welcome gift", "--actor", "test", "--database", database)
    # A member with a history, for the docs' pictures: points about to expire, an order on the way, a level with
    # benefits, a coupon.
    run("member", "enroll", "--customer", "DOC", "--name", "Mei Lin", "--consent", "email=true", "--database", database)
    events = folder / "orders.jsonl"
    events.write_text("".join(order_events("DOC", f"D-{n}", placed, completed, amount) for n, (placed, completed, amount) in enumerate([
        (530, 528, 90000), (200, 198, 26000), (60, 58, 12500), (5, 3, 9800)])))
    run("import", "orders", events, "--database", database)
    run("jobs", "run", "--database", database)
    run("redeem", "customer:DOC", "coupon-5", "--database", database)
    # A review's points: the ledger records the activity by its code (`review`), which the history must put in words.
    run("member", "activity", "customer:DOC", "review", "--key", "doc-review-1", "--database", database)
    with patron_serve(patron_bin, folder, database, secret=SECRET) as base:
        DATABASES[base] = database
        yield base


def order_events(customer: str, order: str, placed_days_ago: int, completed_days_ago: int, cents: int) -> str:
    """JSON Lines of an order placed and completed some days ago."""
    def at(days):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - days * 86400))
    placed = {"id": f"{order}-p", "kind": "placed", "orderId": order, "occurredAt": at(placed_days_ago),
              "order": {"id": order, "member": {"kind": "customer", "value": customer},
                        "lines": [{"sku": "TEA", "quantity": 1, "unitPrice": cents}]}}
    completed = {"id": f"{order}-c", "kind": "completed", "orderId": order, "occurredAt": at(completed_days_ago)}
    return json.dumps(placed) + "\n" + json.dumps(completed) + "\n"


def points(text: str) -> int:
    """5,000 pts / 5,000 积分 → 5000."""
    return int(re.search(r"-?[\d,]+", text).group(0).replace(",", ""))


@pytest.mark.parametrize("language,viewport,customer", [
    ("en", None, "EN-D"), ("en", PHONE, "EN-P"), ("zh-Hans", None, "ZH-D"), ("zh-Hans", PHONE, "ZH-P"),
])
def test_a_member_signs_in_by_link_redeems_a_reward_and_sees_the_balance_drop(zone, browser, screenshots, language, viewport, customer):
    context = browser.new_context(viewport=viewport or {"width": 1024, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    size = "phone" if viewport else "desktop"
    try:
        page.goto(member_link(f"customer:{customer}", zone) + f"&lang={language}")
        assert page.url.endswith("/member/")
        assert page.locator("html").get_attribute("lang") == language
        before = points(page.text_content("[data-testid=active-points]"))
        assert before == 5000
        page.screenshot(path=str(screenshots / f"member-home-{language}-{size}.png"), full_page=True)

        page.click("a[href='/member/rewards']")
        assert "Five off" in page.content()
        page.click("a[href='/member/rewards/coupon-5']")
        page.screenshot(path=str(screenshots / f"member-confirm-{language}-{size}.png"), full_page=True)
        page.check("input[name=confirm]")
        page.click("form[action='/member/rewards/coupon-5'] button[type=submit]")
        page.wait_for_load_state()
        assert page.url.endswith("/member/coupons")
        notice = page.text_content(".notice")
        assert "4,500" in notice
        assert page.locator("[data-testid=coupon-code]").count() == 1
        page.screenshot(path=str(screenshots / f"member-coupons-{language}-{size}.png"), full_page=True)

        page.click("a[href='/member/']")
        assert points(page.text_content("[data-testid=active-points]")) == before - 500
        page.click("a[href='/member/history']")
        history = page.text_content("main")
        assert ("Spent 500 pts on Five off" in history) if language == "en" else ("兑换 Five off，使用 500 积分" in history)
        page.screenshot(path=str(screenshots / f"member-history-{language}-{size}.png"), full_page=True)
        page.click("a[href='/member/handbook']")
        page.screenshot(path=str(screenshots / f"member-handbook-{language}-{size}.png"), full_page=True)
        assert "Diamond" in page.text_content("main")
        if viewport:
            # Nothing wider than the phone's screen.
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert violations == []
    finally:
        context.close()


def test_a_reused_link_shows_the_refusal_and_opens_nothing(zone, browser, screenshots):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    try:
        link = member_link("customer:EN-D", zone)
        page.goto(link)
        assert page.url.endswith("/member/")
        page.click("nav.membernav button[type=submit]")  # sign out
        page.wait_for_load_state()
        assert page.url.endswith("/member/signed-out")
        response = page.goto(link)
        assert response.status == 403
        assert "already been used" in page.text_content("main")
        page.screenshot(path=str(screenshots / "member-link-reused-en-phone.png"), full_page=True)
        assert page.goto(f"{zone}/member/").status == 401
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_a_member_with_a_history_sees_pending_expiring_level_and_benefits(zone, browser, screenshots, language):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(member_link("customer:DOC", zone) + f"&lang={language}")
        main = page.text_content("main")
        assert "D-3" in main  # the order on the way
        assert page.locator("#points-heading ~ h3").count() == 2  # on the way, and expiring soon
        assert page.locator("progress").count() == 1
        assert "Silver" in page.text_content("[data-testid=level]")
        assert page.locator("#benefits-heading").count() == 1
        assert page.locator("text=/3 %|3%/").count() >= 1
        page.screenshot(path=str(screenshots / f"member-doc-home-{language}-phone.png"), full_page=True)
        page.goto(f"{zone}/member/rewards")
        page.screenshot(path=str(screenshots / f"member-doc-rewards-{language}-phone.png"), full_page=True)
        page.goto(f"{zone}/member/history")
        assert "D-0" in page.text_content("main")
        assert ("writing a review" if language == "en" else "发表评价") in page.text_content("main")
        if language == "zh-Hans":
            # Nothing the system wrote is left in English: only the reward's name, the currency's "US$" and the switch.
            assert untranslated_words(page, ["Five", "off", "US", "English"]) == []
        page.screenshot(path=str(screenshots / f"member-doc-history-{language}-phone.png"), full_page=True)
    finally:
        context.close()


def test_patron_member_link_prints_a_link_that_signs_the_member_in(zone, browser, patron_bin):
    database = zone_database(zone)
    with_secret = dict(os.environ, PATRON_MEMBER_LINK_SECRET=SECRET)
    done = subprocess.run([str(patron_bin), "member", "link", "customer:DOC", "--minutes", "5", "--base-url", zone, "--database", database],
                          capture_output=True, text=True, timeout=60, env=with_secret)
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip()
    assert link.startswith(f"{zone}/member/sign-in?identity=customer%3ADOC&expires=")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(link)
        assert page.url.endswith("/member/")
        assert "Mei Lin" in page.text_content("h1")
    finally:
        context.close()
    # Refused: too long a life, an unknown member, no secret.
    for args, env, message in [
        (["customer:DOC", "--minutes", "16"], with_secret, "1 to 15 minutes"),
        (["customer:NOBODY"], with_secret, "no member has the identity customer:NOBODY"),
        (["customer:DOC"], {k: v for k, v in os.environ.items() if k != "PATRON_MEMBER_LINK_SECRET"}, "PATRON_MEMBER_LINK_SECRET is not set"),
    ]:
        refused = subprocess.run([str(patron_bin), "member", "link", *args, "--database", database], capture_output=True, text=True, timeout=60, env=env)
        assert refused.returncode != 0
        assert message in refused.stderr, refused.stderr
