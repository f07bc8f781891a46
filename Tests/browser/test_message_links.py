"""The public pages of message links in Chromium: the one-click unsubscribe page and the double opt-in confirmation
page, reached with tokens signed the way docs/messages.md describes, in English and in 简体中文 (by the browser's
Accept-Language). The button does what the page says, the consent history shows it, a bad token gets the refusal page,
and no page breaks its own Content-Security-Policy. Screenshots go to Tests/browser/screenshots/.
"""
import base64
import hashlib
import hmac
import json
import os
import subprocess

import pytest

from served import patron_serve

SECRET = "message-links-browser-test-secret-0123456789"


def signed(payload: str, prefix: str = "") -> str:
    """A link token: PAYLOAD.SIGNATURE, the HMAC-SHA256 of PREFIX+PAYLOAD in base64url without padding."""
    mac = hmac.new(SECRET.encode(), (prefix + payload).encode(), hashlib.sha256).digest()
    return payload + "." + base64.urlsafe_b64encode(mac).decode().rstrip("=")


@pytest.fixture(scope="module")
def shop(tmp_path_factory, patron_bin, repo):
    """A fresh SQLite shop with double opt-in and two members who asked for e-mail and sms; yields (base URL, run)."""
    folder = tmp_path_factory.mktemp("links")
    database = folder / "shop.sqlite"
    programme = folder / "programme.yaml"
    programme.write_text((repo / "examples" / "programs" / "gold-club.yaml").read_text() + "\nconsent:\n  doubleOptIn: true\n")
    env = dict(os.environ, USER=os.environ.get("USER", "tester"), PATRON_UNSUBSCRIBE_URL="http://127.0.0.1/unsubscribe",
               PATRON_UNSUBSCRIBE_SECRET=SECRET)

    def run(*args):
        done = subprocess.run([str(patron_bin), *map(str, args), "--database", database], cwd=folder, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("program", "load", programme)
    run("member", "enroll", "--customer", "EN", "--email", "en@example.com", "--consent", "email=true", "--consent", "sms=true")
    run("member", "enroll", "--customer", "ZH", "--email", "zh@example.com", "--consent", "email=true", "--consent", "sms=true",
        "--locale", "zh-Hans")
    old = {name: os.environ.get(name) for name in ["PATRON_UNSUBSCRIBE_URL", "PATRON_UNSUBSCRIBE_SECRET"]}
    os.environ.update(PATRON_UNSUBSCRIBE_URL="http://127.0.0.1/unsubscribe", PATRON_UNSUBSCRIBE_SECRET=SECRET)
    try:
        with patron_serve(patron_bin, folder, database) as base:
            yield base, run
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def history(run, member):
    return json.loads(run("member", "consents", member, "--json"))


@pytest.mark.parametrize("locale,member,member_id", [("en-GB", "customer:EN", 1), ("zh-CN", "customer:ZH", 2)])
def test_the_unsubscribe_button_unsubscribes_and_the_page_says_so_in_the_readers_language(browser, shop, screenshots, locale, member, member_id):
    base, run = shop
    context = browser.new_context(locale=locale, viewport={"width": 1024, "height": 700})
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    chinese = locale.startswith("zh")
    token = signed(f"{member_id}.sms")
    page.goto(f"{base}/unsubscribe?token={token}")
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if chinese else "en")
    assert page.locator("h1").inner_text() == ("退订" if chinese else "Unsubscribe")
    page.screenshot(path=str(screenshots / f"unsubscribe-ask-{locale}.png"))
    assert history(run, member)["consents"]["sms"] is True  # looking changes nothing
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == ("已退订" if chinese else "You are unsubscribed")
    page.screenshot(path=str(screenshots / f"unsubscribe-done-{locale}.png"))
    after = history(run, member)
    assert after["consents"]["sms"] is False
    assert after["records"][-1]["source"] == "unsubscribe-link" and after["records"][-1]["state"] == "withdrawn"
    assert violations == []
    context.close()


@pytest.mark.parametrize("locale,member,member_id", [("en-US", "customer:EN", 1), ("zh-CN", "customer:ZH", 2)])
def test_the_confirmation_button_grants_the_pending_email_consent(browser, shop, screenshots, locale, member, member_id):
    base, run = shop
    before = history(run, member)
    assert before["pending"] == ["email"] and "email" not in before["consents"]
    request = next(r["id"] for r in before["records"] if r["channel"] == "email" and r["state"] == "pending")
    context = browser.new_context(locale=locale, viewport={"width": 1024, "height": 700})
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    chinese = locale.startswith("zh")
    page.goto(f"{base}/consent/confirm?token={signed(f'{member_id}.email.{request}', 'confirm.')}")
    assert page.locator("h1").inner_text() == ("确认订阅" if chinese else "Confirm your subscription")
    page.screenshot(path=str(screenshots / f"confirm-ask-{locale}.png"))
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == ("订阅已确认" if chinese else "Subscription confirmed")
    page.screenshot(path=str(screenshots / f"confirm-done-{locale}.png"))
    after = history(run, member)
    assert after["consents"]["email"] is True and after["pending"] == []
    assert after["records"][-1]["source"] == "double-opt-in" and after["records"][-1]["actor"] == f"member:{member_id}"
    assert violations == []
    context.close()


def test_a_bad_token_gets_the_refusal_page_without_the_member(browser, shop, screenshots):
    base, run = shop
    for locale in ["en-US", "zh-CN"]:
        context = browser.new_context(locale=locale, viewport={"width": 1024, "height": 700})
        page = context.new_page()
        token = signed("1.email")
        forged = token[:-1] + ("B" if token.endswith("A") else "A")
        response = page.goto(f"{base}/unsubscribe?token={forged}")
        assert response.status == 400
        assert page.locator("h1").inner_text() == ("此链接无效" if locale.startswith("zh") else "This link is not valid")
        text = page.locator("body").inner_text()
        assert "token:" in text and "en@example.com" not in text
        page.screenshot(path=str(screenshots / f"link-refused-{locale}.png"))
        context.close()
