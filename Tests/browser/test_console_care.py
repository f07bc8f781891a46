"""Customer care in Chromium, in English and in 简体中文: a service agent signs in, opens a member's ticket from the
queue, sends a note to the member (a confirmed form) and resolves the ticket; the member, signed in by a link from
`patron member link`, sees the request and the reply in the member zone, and opens a new request there. Every page is
checked for Content-Security-Policy violations. Screenshots go to Tests/browser/screenshots/.
"""
import os
import subprocess

import pytest

from served import create_staff, patron_serve

SECRET = "care-browser-test-secret-0123456789abcdef-0123"
PASSWORD = "correct horse battery staple"
CUSTOMERS = {"en": ("CARE-EN", "Ann Lee", "My parcel is late"), "zh-Hans": ("CARE-ZH", "李安", "包裹还没到")}
REPLIES = {"en": "Your parcel arrives on Monday.", "zh-Hans": "您的包裹将于周一送达。"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory, patron_bin, repo):
    """A `patron serve` on a gold-club shop with a service agent, two members and one ticket each: yields
    (base URL, database, folder)."""
    folder = tmp_path_factory.mktemp("care")
    database = folder / "shop.sqlite"
    env = dict(os.environ, USER=os.environ.get("USER", "tester"))

    def run(*args):
        return subprocess.run([str(patron_bin), *map(str, args)], cwd=folder, env=env, capture_output=True, text=True, check=True, timeout=120)

    run("program", "load", repo / "examples" / "programs" / "gold-club.yaml", "--database", database)
    run("messages", "trigger", "careReply", "--channel", "inbox", "--actor", "setup", "--database", database)
    for language, (customer, name, subject) in CUSTOMERS.items():
        run("member", "enroll", "--customer", customer, "--name", name, "--database", database)
        run("care", "tickets", "open", f"customer:{customer}", "--category", "delivery", "--subject", subject, "--body", "Ordered a week ago",
            "--channel", "phone", "--actor", "setup", "--database", database)
    create_staff(patron_bin, folder, database, "sam", "service", "Sam Agent", PASSWORD)
    with patron_serve(patron_bin, folder, database, secret=SECRET) as base:
        yield base, database, folder


def watch_csp(page):
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    return violations


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_an_agent_answers_and_resolves_a_ticket_and_the_member_sees_the_reply(shop, browser, patron_bin, screenshots, language):
    base, database, folder = shop
    customer, name, subject = CUSTOMERS[language]
    reply = REPLIES[language]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    violations = watch_csp(page)
    try:
        page.goto(f"{base}/console/sign-in?lang={language}")
        page.fill("#username", "sam")
        page.fill("#password", PASSWORD)
        page.click("form[action='/console/sign-in'] button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/console/care?lang={language}")
        assert page.locator(".mainnav a.current").inner_text() == ("Care" if language == "en" else "客户服务")
        assert page.locator("#care-summary .card").count() == 5
        queue = page.locator("#queue").inner_text()
        assert subject in queue
        page.screenshot(path=str(screenshots / f"console-care-queue-{language}.png"), full_page=True)

        page.click(f"#queue a:text-is('{subject}')")
        page.wait_for_load_state()
        assert page.locator("#ticket-subject").inner_text() == subject
        page.fill("#note-text", reply)
        page.check("#add-note input[name=visibility][value=toMember]")
        page.check("#add-note input[name=confirm]")
        page.click("#add-note button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".notice").inner_text() == ("The note was sent to the member." if language == "en" else "已将备注发送给会员。")
        assert reply in page.locator("#thread .note-member").inner_text()

        page.select_option("#move-status", "resolved")
        page.check("#move-ticket input[name=confirm]")
        page.click("#move-ticket button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#ticket-status").inner_text() == ("resolved" if language == "en" else "已解决")
        assert page.locator("#due-times .badge").first.inner_text() == ("met" if language == "en" else "已达成")
        page.screenshot(path=str(screenshots / f"console-care-ticket-{language}.png"), full_page=True)
    finally:
        context.close()

    link = subprocess.run([str(patron_bin), "member", "link", f"customer:{customer}", "--minutes", "5", "--base-url", base, "--database", database],
                          cwd=folder, capture_output=True, text=True, timeout=60, env=dict(os.environ, PATRON_MEMBER_LINK_SECRET=SECRET))
    assert link.returncode == 0, link.stderr
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    member = phone.new_page()
    violations += watch_csp(member)
    try:
        member.goto(link.stdout.strip() + f"&lang={language}")
        member.click("a[href='/member/care']")
        member.wait_for_load_state()
        assert subject in member.locator("#my-tickets").inner_text()
        member.click(f"#my-tickets a:text-is('{subject}')")
        member.wait_for_load_state()
        assert reply in member.locator("#replies").inner_text()
        assert member.locator("#my-ticket-status").inner_text() == ("resolved" if language == "en" else "已解决")
        member.screenshot(path=str(screenshots / f"member-care-ticket-{language}.png"), full_page=True)

        member.click("a[href='/member/care']")
        member.select_option("#care-category", "pointsAndBenefits")
        member.fill("#care-subject", "Points missing" if language == "en" else "积分没有到账")
        member.fill("#care-body", "Order O-77")
        member.check("#open-ticket input[name=confirm]")
        member.click("#open-ticket button[type=submit]")
        member.wait_for_load_state()
        assert "/member/care/" in member.url
        assert member.locator("#no-replies").count() == 1
        member.click("a[href='/member/care']")
        assert member.locator("#my-tickets li").count() == 2
        assert member.evaluate("document.documentElement.scrollWidth") <= 390
        member.screenshot(path=str(screenshots / f"member-care-{language}.png"), full_page=True)
    finally:
        phone.close()
    assert violations == []
