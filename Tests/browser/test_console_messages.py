"""Messages in Chromium: staff find a dead e-mail in the console's Messages queue and send it again through the
confirmed form; a member opens an inbox message in the member zone and the unread count in the navigation drops — in
English and in 简体中文 (the member's messages rendered from the Chinese templates). Every page is checked for
Content-Security-Policy violations and for a frame that ran script. Screenshots go to Tests/browser/screenshots/.
"""
import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import subprocess
import time
import urllib.parse

import pytest

from served import patron_serve

SECRET = "messages-browser-test-secret-0123456789abcdef"
PASSWORD = "correct horse battery staple"
REWARDS = """
rewards:
  - { id: coupon-5, name: "Five off", kind: coupon, cost: 500, coupon: { value: "5.00", validDays: 30 }, limit: { perMonth: 10 } }
"""
PHONE = {"width": 390, "height": 844}
MEMBERS = {"en": ("MSG-EN", "Ann Lee", []), "zh-Hans": ("MSG-ZH", "林美", ["--tag", "locale:zh-Hans"])}
MEMBER_IDS = {}


def member_link(identity: str, base: str) -> str:
    """A signed member-zone link (docs/console.md's recipe)."""
    expires = str(int(time.time()) + 600)
    nonce = secrets.token_hex(16)
    signature = hmac.new(SECRET.encode(), f"{identity}\n{expires}\n{nonce}".encode(), hashlib.sha256).hexdigest()
    return f"{base}/member/sign-in?" + urllib.parse.urlencode({"identity": identity, "expires": expires, "nonce": nonce, "signature": signature})


@contextlib.contextmanager
def environment(**values):
    """`os.environ` with `values` set while the block runs (patron_serve passes os.environ to the server)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def shop(tmp_path_factory, patron_bin, repo):
    """A `patron serve` with the example templates on a shop where welcome and reward messages go to the inbox and by
    e-mail: two members (English; Chinese by their locale tag) each have two unread inbox messages and one dead e-mail.
    Yields the base URL."""
    folder = tmp_path_factory.mktemp("messages")
    database = folder / "shop.sqlite"
    programme = folder / "gold-club-rewards.yaml"
    programme.write_text((repo / "examples" / "programs" / "gold-club.yaml").read_text() + REWARDS)
    templates = repo / "examples" / "messages"
    env = dict(os.environ, USER=os.environ.get("USER", "tester"))

    def run(*args, **kwargs):
        return subprocess.run([str(patron_bin), *map(str, args)], cwd=folder, env=env, capture_output=True, text=True, check=True, timeout=120, **kwargs)

    run("program", "load", programme, "--database", database)
    run("messages", "trigger", "welcome", "--channel", "inbox", "--channel", "email", "--actor", "setup", "--database", database)
    run("messages", "trigger", "rewardRedeemed", "--channel", "inbox", "--actor", "setup", "--database", database)
    for customer, name, extra in MEMBERS.values():
        run("member", "enroll", "--customer", customer, "--email", f"{customer.lower()}@example.com", "--name", name, *extra, "--database", database)
        run("member", "adjust", f"customer:{customer}", "--points", "2000", "--reason", "welcome gift", "--actor", "setup", "--database", database)
        run("redeem", f"customer:{customer}", "coupon-5", "--database", database)
    # One delivery round: the inbox messages are delivered; the e-mails fail (no SMTP server is configured).
    run("messages", "deliver", "--templates", templates, "--database", database)
    # Six failed attempts take hours of backoff; the test stands for them by writing the state the sixth failure leaves
    # (status dead, the real failure text of the first attempt kept).
    with sqlite3.connect(database) as db:
        changed = db.execute("UPDATE messages SET status = 'dead', attempts = 6 WHERE channel = 'email' AND status = 'queued'").rowcount
        assert changed == 2
        for customer, _, _ in MEMBERS.values():
            (member,) = db.execute("SELECT member_id FROM identities WHERE kind = 'customer' AND value = ?", (customer,)).fetchone()
            MEMBER_IDS[customer] = member
    run("users", "create", "mia", "--role", "marketer", "--name", "Mia Marketer", "--password-stdin", "--database", database, input=PASSWORD + "\n")
    with environment(PATRON_MESSAGE_TEMPLATES=str(templates)):
        with patron_serve(patron_bin, folder, database, secret=SECRET) as base:
            yield base


def sign_in(page, shop, language):
    """Signs the marketer in to the console in `language`."""
    page.goto(f"{shop}/console/sign-in?lang={language}")
    page.fill("#username", "mia")
    page.fill("#password", PASSWORD)
    page.click("form[action='/console/sign-in'] button[type=submit]")
    page.wait_for_load_state()


def read_welcome(browser, shop, language):
    """The member of `language` opens their welcome in the member zone's inbox."""
    customer, name, _ = MEMBERS[language]
    member = browser.new_context(viewport=PHONE, device_scale_factor=1)
    reader = member.new_page()
    try:
        reader.goto(member_link(f"customer:{customer}", shop) + f"&lang={language}")
        reader.goto(f"{shop}/member/inbox")
        reader.locator("#inbox li a").last.click()
        reader.wait_for_load_state()
        assert name in reader.text_content("#message h1")
    finally:
        member.close()


def watch(page):
    """Collects Content-Security-Policy violations and dialogs (a script that ran would open one)."""
    seen = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("dialog", lambda dialog: (seen.append("dialog: " + dialog.message), dialog.dismiss()))
    return seen


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_staff_find_a_dead_message_and_send_it_again(shop, browser, screenshots, language):
    customer, name, _ = MEMBERS[language]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    seen = watch(page)
    try:
        sign_in(page, shop, language)
        page.click("nav.mainnav a[href='/console/messages']")
        page.wait_for_load_state()
        assert page.locator("#counts").count() == 1
        page.screenshot(path=str(screenshots / f"console-messages-{language}.png"), full_page=True)

        page.select_option("#filters select[name=status]", "dead")
        page.click("#filters button[type=submit]")
        page.wait_for_load_state()
        assert "status=dead" in page.url
        page.screenshot(path=str(screenshots / f"console-messages-dead-{language}.png"), full_page=True)
        assert "no sender is configured for email" in page.text_content("#queue")
        # The member's dead e-mail: the row whose member link is theirs.
        row = page.locator("#queue tbody tr[id^=message-]", has=page.locator(f"a[href='/console/members/{MEMBER_IDS[customer]}']"))
        assert row.count() == 1
        row.locator("td:first-child a").click()
        page.wait_for_load_state()
        status = page.text_content("#message-status").strip()
        assert status == ("dead" if language == "en" else "已放弃")
        page.screenshot(path=str(screenshots / f"console-message-dead-{language}.png"), full_page=True)

        page.check("#requeue input[name=confirm]")
        page.click("#requeue button[type=submit]")
        page.wait_for_load_state()
        notice = page.text_content(".notice")
        assert ("queued again" in notice) if language == "en" else ("已重新排队" in notice)
        assert page.text_content("#message-status").strip() == ("queued" if language == "en" else "排队中")
        assert page.locator("#requeue").count() == 0, "a queued message offers no second requeue"
        assert seen == []
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_staff_see_a_message_and_its_templates_safely(shop, browser, screenshots, language):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    seen = watch(page)
    try:
        sign_in(page, shop, language)
        page.goto(f"{shop}/console/messages?status=delivered&kind=welcome")
        page.locator("#queue tbody tr[id^=message-] td:first-child a").first.click()
        page.wait_for_load_state()
        frame = page.frame_locator("#rendered-html")
        assert frame.locator("h1").count() == 1, "the HTML is drawn inside the sandboxed frame"
        assert page.locator("#rendered-html").get_attribute("sandbox") == ""
        page.locator("#rendered-html").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"console-message-{language}.png"), full_page=True)

        page.goto(f"{shop}/console/messages/templates")
        assert page.locator("#templates tbody tr").count() >= 10
        page.select_option("#preview-form select[name=kind]", "welcome")
        page.fill("#preview-form input[name=member]", f"customer:{MEMBERS[language][0]}")
        page.click("#preview-form button[type=submit]")
        page.wait_for_load_state()
        subject = page.text_content("#rendered-subject")
        assert MEMBERS[language][1] in subject
        assert ("Welcome" in subject) if language == "en" else ("欢迎" in subject)
        page.screenshot(path=str(screenshots / f"console-messages-templates-{language}.png"), full_page=True)
        assert seen == []
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_a_member_reads_an_inbox_message_and_the_unread_count_drops(shop, browser, screenshots, language):
    customer, name, _ = MEMBERS[language]
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    seen = watch(page)
    try:
        page.goto(member_link(f"customer:{customer}", shop) + f"&lang={language}")
        assert page.url.endswith("/member/")
        assert page.text_content("#unread-count").strip() == "2"
        page.click("nav.membernav a[href='/member/inbox']")
        page.wait_for_load_state()
        assert page.locator("#inbox li").count() == 2
        assert page.locator("#inbox li.unread").count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(screenshots / f"member-inbox-{language}.png"), full_page=True)

        subject = page.locator("#inbox li .inbox-subject").last.text_content()
        assert name in subject, "the welcome, in the member's language"
        page.locator("#inbox li a").last.click()
        page.wait_for_load_state()
        assert page.text_content("#message h1") == subject
        assert page.text_content("#unread-count").strip() == "1"
        page.screenshot(path=str(screenshots / f"member-inbox-message-{language}-phone.png"), full_page=True)

        page.click("nav.membernav a[href='/member/inbox']")
        page.wait_for_load_state()
        assert page.locator("#inbox li.unread").count() == 1
        assert page.text_content("#unread-count").strip() == "1"
        assert seen == []
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_staff_see_the_results_and_an_inbox_message_read_counts_as_opened(shop, browser, screenshots, language):
    # Both members read their welcome in the inbox (again, when an earlier test did: a message counts one open).
    for reader in MEMBERS:
        read_welcome(browser, shop, reader)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    seen = watch(page)
    try:
        sign_in(page, shop, language)
        page.goto(f"{shop}/console/messages")
        welcome = page.locator("#results tr.result-welcome td")
        assert welcome.nth(0).text_content().strip() == ("Welcome" if language == "en" else "欢迎")
        # Both members' welcomes went to the inbox (sent, delivered) and were read, some of them more than once.
        assert welcome.nth(4).text_content().strip() == "2"
        assert welcome.nth(5).text_content().strip() == "2"
        assert welcome.nth(8).text_content().split()[0] == "2"
        label = page.text_content("#results-period-label")
        assert "America/New_York" in label and (("shop's time" in label) if language == "en" else ("店铺时间" in label))
        page.screenshot(path=str(screenshots / f"console-messages-results-{language}.png"), full_page=False)

        # Another period, chosen in the form: the table stays, the choice is kept.
        page.select_option("#results-choice", "90")
        page.fill("#results-window", "3")
        page.click("#results-period button[type=submit]")
        page.wait_for_load_state()
        assert "period=90" in page.url and "window=3" in page.url
        assert page.locator("#results tr.result-welcome").count() == 1
        assert page.input_value("#results-window") == "3"
        # A window out of range is refused beside the form; the queue is still there.
        page.fill("#results-window", "91")
        page.evaluate("document.querySelector('#results-window').removeAttribute('max')")
        page.click("#results-period button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#results-error").count() == 1
        assert page.locator("#queue tbody tr[id^=message-]").count() > 0
        assert seen == []
    finally:
        context.close()
