"""Checks several browser tests make on a page as a person sees it: words left in English, charts' labels."""

ENGLISH_WORDS = """() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (node.parentElement.closest('[translate="no"], style, script')) continue;
        out.push(...(node.textContent.match(/[A-Za-z]{2,}/g) || []));
    }
    out.push(...(document.title.match(/[A-Za-z]{2,}/g) || []));
    return out;
}"""

CHARTS = """() => [...document.querySelectorAll('svg')].map(svg => {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, cls: t.getAttribute('class'), left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    });
    return {box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom}, texts};
})"""


def untranslated_words(page, names):
    """The Latin words of two letters or more on the page (outside `translate="no"`, styles and scripts, title
    included) that are not among `names`, the data a translation keeps as it is."""
    return sorted(set(page.evaluate(ENGLISH_WORDS)) - set(names))


def charts(page):
    """Every SVG chart on the page: its box and each text's box, in the page's coordinates."""
    return page.evaluate(CHARTS)


def assert_labels_inside(chart, index):
    """No text of the chart is cut by its edges (half a pixel of rounding allowed)."""
    box = chart["box"]
    for t in chart["texts"]:
        assert box["left"] - 0.5 <= t["left"] and t["right"] <= box["right"] + 0.5, f"chart {index}: '{t['text']}' is cut left/right"
        assert box["top"] - 0.5 <= t["top"] and t["bottom"] <= box["bottom"] + 0.5, f"chart {index}: '{t['text']}' is cut top/bottom"
