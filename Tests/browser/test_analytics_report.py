"""The HTML analytics report as a person sees it in Chromium, in English and 简体中文.

A small shop is made from scratch (orders generated here, the starter program, an import and the daily jobs), its
report is written in both languages and opened in Chromium; the tests check what is on the screen, not the markup:
axis labels inside their chart, no two labels on top of each other, money with its currency and separators, no
NaN, a date and a data source, no English on the Chinese page, and Chinese characters drawn as glyphs, not boxes.
"""
import datetime
import random
import re
import subprocess

import pytest

from page_checks import assert_labels_inside, charts, untranslated_words

LANGUAGES = ["en", "zh-Hans"]
# Names that stay as they are on the Chinese page (model and product names); data is marked translate="no".
NAMES = {"Patron", "CLV", "RFM", "BG", "NBD", "Pareto", "Gamma", "CNY"}


def write_orders(path, customers=80, seed=7):
    """Orders of `customers` customers over 14 months: different rates, lifetimes and spends, one big spender."""
    rng = random.Random(seed)
    start = datetime.date(2025, 1, 1)
    rows, n = ["customer,order_id,date,amount"], 0
    for c in range(customers):
        first, rate, life = rng.randint(0, 300), rng.choice([7, 14, 30, 60, 120]), rng.randint(0, 420)
        day = first
        while day <= min(first + life, 425):
            n += 1
            amount = 2345.67 if c == 3 else round(rng.lognormvariate(5.5, 0.9), 2)
            rows.append(f"C{c:03d},O{n},{(start + datetime.timedelta(days=day)).isoformat()},{amount:.2f}")
            day += max(1, int(rng.expovariate(1 / rate)))
    path.write_text("\n".join(rows) + "\n")


@pytest.fixture(scope="module")
def reports(tmp_path_factory, patron_bin, repo):
    """The report of one small shop in each language: {language: path}."""
    folder = tmp_path_factory.mktemp("report")
    database = folder / "shop.sqlite"
    write_orders(folder / "orders.csv")

    def run(*args):
        done = subprocess.run([str(patron_bin), *map(str, args)], cwd=folder, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"patron {' '.join(map(str, args))}: {done.stderr}"

    run("program", "load", repo / "examples" / "programs" / "starter.yaml", "--database", database)
    run("import", "orders", folder / "orders.csv", "--database", database, "--customer", "customer", "--order-id", "order_id",
        "--date", "date", "--amount", "amount")
    run("jobs", "run", "--database", database)
    paths = {}
    for language in LANGUAGES:
        paths[language] = folder / f"report-{language}.html"
        run("analyze", "report", "--database", database, "--html", paths[language], "--language", language)
    return paths


def open_report(page, path):
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_is_readable(page, reports, screenshots, language):
    open_report(page, reports[language])
    page.screenshot(path=str(screenshots / f"analytics-report-{language}.png"), full_page=True)
    text = page.inner_text("body")

    # No NaN or infinity anywhere a person reads.
    assert not re.search(r"\b(NaN|nan|Infinity|inf)\b", text), "a non-finite number is on the page"

    # A date and the data source under the title.
    meta = page.inner_text(".meta")
    assert ("Generated" in meta and "Data" in meta) if language == "en" else ("生成时间" in meta and "数据来源" in meta)
    assert "shop.sqlite" in meta

    # The page never scrolls sideways: wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than the window"


@pytest.mark.parametrize("language", LANGUAGES)
def test_chart_labels_are_inside_their_chart_and_apart(page, reports, language):
    open_report(page, reports[language])
    found = charts(page)
    assert len(found) >= 4
    for i, chart in enumerate(found):
        assert_labels_inside(chart, i)
        texts = chart["texts"]
        for a in range(len(texts)):
            for b in range(a + 1, len(texts)):
                p, q = texts[a], texts[b]
                width = min(p["right"], q["right"]) - max(p["left"], q["left"])
                height = min(p["bottom"], q["bottom"]) - max(p["top"], q["top"])
                assert width <= 1 or height <= 1, f"chart {i}: '{p['text']}' overlaps '{q['text']}'"
    # Every chart has titles on both axes.
    titles = page.evaluate("() => [...document.querySelectorAll('svg')].map(s => s.querySelectorAll('.axis-title').length)")
    assert all(n == 2 for n in titles), titles


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_has_currency_and_separators(page, reports, language):
    open_report(page, reports[language])
    cells = page.evaluate("() => [...document.querySelectorAll('td')].map(td => td.innerText.trim())")
    money = [c for c in cells if c.startswith("CNY ")]
    assert money, "no amount names its currency"
    for cell in money:
        assert re.fullmatch(r"CNY -?\d{1,3}(,\d{3})*\.\d{2,4}", cell), f"badly formatted money: {cell!r}"
    assert any("," in cell for cell in money), "no amount over 1,000 shows a thousands separator"
    # and whole numbers on the axes: a tick over 999 is grouped too
    ticks = page.evaluate("() => [...document.querySelectorAll('text.tick')].map(t => t.textContent)")
    assert all(re.fullmatch(r"-?\d{1,3}(,\d{3})*(\.\d+)?( ?%)?", t) for t in ticks), ticks


def test_chinese_page_has_no_english_words(page, reports):
    open_report(page, reports["zh-Hans"])
    left = untranslated_words(page, NAMES)
    assert not left, f"untranslated on the zh-Hans page: {left}"
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"


def test_chinese_characters_render_as_glyphs_not_boxes(page, reports, screenshots):
    """Each character drawn with the page's font must differ from the others and from a code point no font has (the
    'tofu' box every missing glyph is drawn as)."""
    open_report(page, reports["zh-Hans"])
    result = page.evaluate(
        """() => {
            const font = getComputedStyle(document.body).fontFamily;
            const draw = ch => {
                const c = document.createElement('canvas'); c.width = 48; c.height = 48;
                const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, 48, 48);
                g.fillStyle = '#000'; g.font = '36px ' + font; g.textBaseline = 'top'; g.fillText(ch, 4, 4);
                return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
            };
            const tofu = draw(String.fromCodePoint(0x10FFFD));
            const chars = [...'客户终身价值留存'];
            const images = chars.map(draw);
            return {distinct: new Set(images).size, count: chars.length, likeTofu: images.filter(i => i === tofu).length,
                    heading: document.querySelector('h1').getBoundingClientRect().width};
        }"""
    )
    assert result["likeTofu"] == 0, "Chinese characters are drawn as the missing-glyph box: install fonts-noto-cjk"
    assert result["distinct"] == result["count"], "different Chinese characters look the same (boxes)"
    page.locator("h1").screenshot(path=str(screenshots / "analytics-report-zh-Hans-heading.png"))
