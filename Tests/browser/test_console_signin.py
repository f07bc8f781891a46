"""Staff sign-in in a real browser: the right password opens the console, a wrong one says so without saying which
part was wrong, sign-out ends the session — in English and in 简体中文. The screenshots illustrate docs/console.md."""

import pytest

from served import create_staff, patron_serve

PASSWORD = "correct horse battery"



@pytest.fixture
def console(patron, patron_bin, workdir, repo):
    """The gold-club shop with an owner account, served on a free port."""
    database = workdir / "shop.sqlite"
    patron("program", "load", repo / "examples" / "programs" / "gold-club.yaml", "--actor", "setup", "--database", database)
    create_staff(patron_bin, workdir, database, "ann", "owner", "Ann Lee", PASSWORD)
    with patron_serve(patron_bin, workdir, database) as base:
        yield base



TEXTS = {
    "en": {"title": "Sign in", "wrong": "The username or the password is wrong.", "out": "Sign out", "staff": "Staff accounts",
           "signedOut": "You are signed out."},
    "zh-Hans": {"title": "登录", "wrong": "用户名或密码错误。", "out": "退出", "staff": "员工账号", "signedOut": "您已退出。"},
}


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_staff_sign_in_see_a_wrong_password_refused_and_sign_out(page, console, screenshots, language):
    text = TEXTS[language]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{console}/console/staff?lang={language}")
    # Signed out, the staff page sends the browser to the sign-in page, which remembers where it was going.
    assert "/console/sign-in" in page.url
    assert page.locator("h1").inner_text() == text["title"]
    page.screenshot(path=str(screenshots / f"console-signin-{language}.png"))

    page.fill("#username", "ann")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error").inner_text() == text["wrong"]
    assert page.input_value("#username") == "ann"

    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/console/staff" in page.url
    assert page.locator("h1").inner_text() == text["staff"]
    assert "Ann Lee" in page.locator(".account").inner_text()
    page.screenshot(path=str(screenshots / f"console-staff-{language}.png"))

    page.click(f"button:has-text('{text['out']}')")
    page.wait_for_load_state()
    assert "/console/sign-in" in page.url
    assert page.locator(".notice").inner_text() == text["signedOut"]
    page.goto(f"{console}/console/staff")
    assert "/console/sign-in" in page.url, "the session is gone"
