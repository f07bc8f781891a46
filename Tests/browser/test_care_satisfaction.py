"""Satisfaction and win-back in Chromium, in English and in 简体中文: on the demo shop with NPS surveys on, a member
signed in by a link (phone-sized) answers their NPS invitation on the Help page and rates their closed ticket; a
service agent then sees both on the console's Satisfaction page (with the monthly NPS trend drawn as SVG), and records
a win-back offer for the first member at risk. Every page is checked for Content-Security-Policy violations.
Screenshots go to Tests/browser/screenshots/ (docs/img/console-care-satisfaction-*.png and member-care-survey-*.png are
copies of them)."""
import datetime
import json
import os
import subprocess

import pytest

from page_checks import assert_labels_inside, charts
from served import create_staff, patron_serve

SECRET = "satisfaction-browser-test-secret-0123456789abcdef"
PASSWORD = "correct horse battery staple"
ANSWERS = {
    "en": {"score": 3, "comment": "The parcel came late and the tin was dented.", "rating": 4, "rated": "Sorted out quickly, thank you."},
    "zh-Hans": {"score": 10, "comment": "茶叶很新鲜，包装也很好。", "rating": 5, "rated": "客服很耐心。"},
}
WORDS = {
    "en": {"care": "Care", "thanks": "our service team will contact you", "rated": "You rated our help 4 of 5.", "offer": "Offer "},
    "zh-Hans": {"care": "客户服务", "thanks": "感谢您的回答。", "rated": "您给这次服务打了 5 分（满分 5 分）。", "offer": "已记录给会员"},
}


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def shop(tmp_path_factory, patron_bin, repo):
    """The demo shop (400 members) on the starter programme with every completed order surveyed; invitations made on
    2026-01-01 and some answered over the five months before today (the trend), one closed ticket for each of two
    invited members, a service agent; served on a free port. Yields (base URL, database, folder, members), members by
    language: (customer identity, invitation id, ticket id, order id)."""
    folder = tmp_path_factory.mktemp("satisfaction")
    database = folder / "shop.sqlite"
    program = folder / "program.yaml"
    program.write_text((repo / "examples" / "programs" / "starter.yaml").read_text()
                       + "\ncare:\n  surveys: { samplePercent: 100, oncePerDays: 30 }\n")
    env = dict(os.environ, USER=os.environ.get("USER", "tester"))

    def run(*args, now=None):
        extra = ["--now", now] if now else []
        done = subprocess.run([str(patron_bin), *map(str, args), *extra], cwd=folder, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"patron {' '.join(map(str, args))}: {done.stdout}{done.stderr}"
        return done.stdout

    run("demo", "--database", database, "--members", 400, "--program", program)
    run("care", "surveys", "invite", "--database", database, now="2026-01-01T00:00:00Z")
    invitations = json.loads(run("care", "surveys", "list", "--unanswered", "--json", "--limit", 200, "--database", database))
    chosen, seen = [], set()
    for invitation in invitations:
        if invitation["memberId"] not in seen:
            seen.add(invitation["memberId"])
            chosen.append(invitation)
        if len(chosen) == 2:
            break
    assert len(chosen) == 2, invitations
    members = {}
    for language, invitation in zip(["en", "zh-Hans"], chosen):
        statement = run("member", "show", invitation["memberId"], "--database", database)
        identities = next(line for line in statement.splitlines() if line.startswith("Identities: "))
        customer = next(i for i in identities.removeprefix("Identities: ").split(", ") if i.startswith("customer:"))
        opened = run("care", "tickets", "open", customer, "--category", "delivery", "--subject", "Late parcel", "--body", "Two weeks late",
                     "--actor", "setup", "--database", database)
        ticket = int(opened.split("opened ticket ")[1].split(" ")[0])
        run("care", "tickets", "move", ticket, "closed", "--actor", "setup", "--database", database)
        members[language] = (customer, invitation["id"], ticket, invitation["orderId"])
    # The trend: other invitations answered over the last five months.
    reserved = {invitation["id"] for invitation in chosen}
    others = [invitation for invitation in invitations if invitation["id"] not in reserved][:30]
    today = datetime.datetime.now(datetime.timezone.utc)
    scores = [10, 9, 7, 3, 8, 10]
    for index, invitation in enumerate(others):
        when = today - datetime.timedelta(days=30 * (5 - index % 5) + 2)
        run("care", "surveys", "answer", invitation["id"], "--score", scores[index % len(scores)], "--comment", f"answer {index}",
            "--database", database, now=stamp(when))
    create_staff(patron_bin, folder, database, "ana", "service", "Ana Agent", PASSWORD)
    with patron_serve(patron_bin, folder, database, secret=SECRET) as base:
        yield base, database, folder, members


def watch_csp(page, violations):
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_a_member_answers_and_rates_and_an_agent_sees_both_and_records_an_offer(shop, browser, patron_bin, screenshots, language):
    base, database, folder, members = shop
    customer, invitation, ticket, order = members[language]
    answer = ANSWERS[language]
    words = WORDS[language]
    violations = []

    link = subprocess.run([str(patron_bin), "member", "link", customer, "--minutes", "5", "--base-url", base, "--database", database],
                          cwd=folder, capture_output=True, text=True, timeout=60, env=dict(os.environ, PATRON_MEMBER_LINK_SECRET=SECRET))
    assert link.returncode == 0, link.stderr
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    member = phone.new_page()
    watch_csp(member, violations)
    try:
        member.goto(link.stdout.strip() + f"&lang={language}")
        member.click("a[href='/member/care']")
        member.wait_for_load_state()
        assert order in member.locator(f"#my-survey-{invitation}").inner_text()
        member.click(f"#my-survey-{invitation} a")
        member.wait_for_load_state()
        assert member.url.endswith(f"/member/care/surveys/{invitation}")
        assert order in member.locator("#survey-order").inner_text()
        member.click(f"label[for=nps-{answer['score']}]")
        member.fill("#nps-comment", answer["comment"])
        assert member.evaluate("document.documentElement.scrollWidth") <= 390
        member.screenshot(path=str(screenshots / f"member-care-survey-{language}.png"), full_page=True)
        member.click("#answer-survey button[type=submit]")
        member.wait_for_load_state()
        assert member.url.endswith("/member/care")
        assert words["thanks"] in member.locator(".notice").inner_text()
        assert member.locator(f"#my-survey-{invitation}").count() == 0

        member.goto(f"{base}/member/care/{ticket}?lang={language}")
        member.screenshot(path=str(screenshots / f"member-care-rating-{language}.png"), full_page=True)
        member.click(f"label[for=csat-{answer['rating']}]")
        member.fill("#csat-comment", answer["rated"])
        member.click("#rate-ticket button[type=submit]")
        member.wait_for_load_state()
        assert member.locator("#my-rating").inner_text().count(words["rated"]) >= 1
        assert member.locator("#rate-ticket").count() == 0
        assert member.evaluate("document.documentElement.scrollWidth") <= 390
        member.screenshot(path=str(screenshots / f"member-care-rated-{language}.png"), full_page=True)
    finally:
        phone.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = desk.new_page()
    watch_csp(page, violations)
    try:
        page.goto(f"{base}/console/sign-in?lang={language}")
        page.fill("#username", "ana")
        page.fill("#password", PASSWORD)
        page.click("form[action='/console/sign-in'] button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/console/care?lang={language}")
        page.click("#care-tabs a[href='/console/care/satisfaction']")
        page.wait_for_load_state()
        assert page.locator(".mainnav a.current").inner_text() == words["care"]
        assert page.locator("#care-tabs a[aria-current=page]").get_attribute("href") == "/console/care/satisfaction"
        nps = page.locator("#nps-value").inner_text()
        assert nps != "–" and int(nps.replace("+", "")) in range(-100, 101)
        latest = page.locator("#latest-answers").inner_text()
        assert answer["comment"] in latest
        assert answer["rated"] in page.locator("#latest-ratings").inner_text()
        assert page.locator("#nps-trend svg .series").count() == 1
        for index, chart in enumerate(charts(page)):
            if chart["texts"]:
                assert_labels_inside(chart, index)
        page.screenshot(path=str(screenshots / f"console-care-satisfaction-{language}.png"), full_page=True)

        page.click("#care-tabs a[href='/console/care/winback']")
        page.wait_for_load_state()
        assert page.locator("#at-risk tbody tr").count() > 0
        first = page.locator("#at-risk tbody tr").first
        member_id = first.get_attribute("id").removeprefix("at-risk-")
        first.locator("a[href*='#record-offer']").click()
        page.wait_for_load_state()
        assert page.locator("#offer-member").input_value() == member_id
        page.fill("#offer-text", f"coupon:COMEBACK-{language}")
        page.check("#record-offer input[name=confirm]")
        page.click("#record-offer button[type=submit]")
        page.wait_for_load_state()
        assert words["offer"] in page.locator(".notice").inner_text()
        assert f"coupon:COMEBACK-{language}" in page.locator("#offer-outcomes").inner_text()
        page.screenshot(path=str(screenshots / f"console-care-winback-{language}.png"), full_page=True)
    finally:
        desk.close()
    assert violations == []
