"""The what-if report (`patron program compare --html`) as a person sees it in Chromium, in English and 简体中文.

A small demo shop is made (`patron demo --members 300`), the draft examples/programs/starter-draft.yaml (triple app
points, a higher Bud threshold, the shop's guard-rails) is compared with it in both languages, and each page is
opened in Chromium: the ledger check and the guard-rails' warnings are on the screen, money has its currency and
separators, the charts keep their labels inside, the page never scrolls sideways, and the Chinese page has no English
words outside data (rule and level names, the program file's keys).
"""
import re
import subprocess

import pytest

from page_checks import assert_labels_inside, charts, untranslated_words

LANGUAGES = ["en", "zh-Hans"]
# Data and names that stay as they are on the Chinese page: the demo's level names, the guard-rails' keys in the
# program file, the currency and RFM.
NAMES = {"CNY", "RFM", "Leaf", "Bud", "Blossom", "guardRails", "costShareOfSales", "levelShares", "liabilityGrowth"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory, patron_bin, repo):
    """The comparison of one demo shop with the draft, in each language: {language: path}."""
    folder = tmp_path_factory.mktemp("compare")
    database = folder / "demo.sqlite"

    def run(*args):
        done = subprocess.run([str(patron_bin), *map(str, args)], cwd=folder, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"patron {' '.join(map(str, args))}: {done.stderr}"
        return done

    run("demo", "--members", "300", "--database", database)
    paths = {}
    for language in LANGUAGES:
        paths[language] = folder / f"compare-{language}.html"
        text = run("program", "compare", repo / "examples" / "programs" / "starter-draft.yaml", "--database", database,
                   "--html", paths[language], "--language", language).stdout
        assert text.startswith("replay of the current program matches the ledger:"), text.splitlines()[0]
    return paths


def open_report(page, path):
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_shows_the_ledger_check_and_the_warnings(page, reports, screenshots, language):
    open_report(page, reports[language])
    page.screenshot(path=str(screenshots / f"program-compare-{language}.png"), full_page=True)
    check = page.inner_text("#ledger-check")
    assert ("matches the ledger" in check) if language == "en" else ("与积分账本一致" in check), check
    assert re.search(r"\d{1,3}(,\d{3})* ", check), "the ledger check names its points"
    warnings = page.inner_text("#warnings")
    assert ("liability" in warnings) if language == "en" else ("积分负债" in warnings), warnings
    text = page.inner_text("body")
    assert not re.search(r"\b(NaN|nan|Infinity|inf)\b", text), "a non-finite number is on the page"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than the window"
    assert page.evaluate("document.documentElement.lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_has_currency_and_charts_keep_their_labels(page, reports, language):
    open_report(page, reports[language])
    cells = page.evaluate("() => [...document.querySelectorAll('td')].map(td => td.innerText.trim())")
    money = [c for c in cells if "CNY " in c]
    assert money, "no amount names its currency"
    for cell in money:
        assert re.fullmatch(r"[+-]?CNY -?\d{1,3}(,\d{3})*\.\d{2}", cell), f"badly formatted money: {cell!r}"
    found = charts(page)
    assert len(found) >= 2
    for i, chart in enumerate(found):
        assert_labels_inside(chart, i)


def test_chinese_page_has_no_english_words(page, reports):
    open_report(page, reports["zh-Hans"])
    left = untranslated_words(page, NAMES)
    assert not left, f"untranslated on the zh-Hans page: {left}"
