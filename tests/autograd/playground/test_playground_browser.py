"""The built playground in headless Chromium, served on 127.0.0.1: the page computes what
CPython's chainrule computes, trains, exports files MLP.load reads, runs nothing it is
given, and makes no request outside its own origin.

One page is shared by the tests (Pyodide starts once); each test opens its state through
the URL hash, as a shared link would. PLAYGROUND_SCREENSHOTS=folder saves a picture of
each mode there (the README's, in docs/).
"""

import itertools
import json
import math
import os
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from autograd import OPS, topological_order
from autograd.parse import parse
from autograd.playground import build, datasets
from autograd.playground.serve import make_server
from autograd.viewer import backward_steps
from nn import MLP, losses

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
START_S = 240  # Pyodide's start on a loaded 2-core machine is ~15 s; this is a hang
SMALL_NET = "mode=net&data=moons&layers=4,4&act=tanh&opt=adam&lr=0.1&seed=0"
MAX_STEPS = 100  # the small net must pass 95% within this many steps
SHOTS = os.environ.get("PLAYGROUND_SCREENSHOTS")


class Shown:
    """The shared page, with every request outside its origin and every dialog recorded."""

    def __init__(self, page, origin):
        self.page, self.origin = page, origin
        self.outside, self.dialogs = [], []
        page.route("**/*", self._route)
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.origin + "/") or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def until(self, script, timeout=60.0, arg=None):
        """Poll a JS expression until it is truthy (the page's CSP forbids wait_for_function)."""
        end = time.monotonic() + timeout
        while True:
            value = self.page.evaluate(script, arg)
            if value:
                return value
            if time.monotonic() > end:
                raise AssertionError(f"the page never showed: {script}")
            time.sleep(0.05)

    def open(self, hash_text):
        """Show the state a link with this hash opens; returns once the page has shown it."""
        before = int(self.page.evaluate("document.body.dataset.routed || '0'"))
        self.page.evaluate(
            """h => { if (location.hash !== "#" + h) location.hash = h;
                      else window.dispatchEvent(new HashChangeEvent("hashchange")); }""",
            hash_text,
        )
        self.until(f"Number(document.body.dataset.routed) > {before}")
        # the step-through's page loads after the route: clicks before that are lost
        self.until("document.getElementById('expr-steps').dataset.loaded !== 'false'")

    def watch_start(self):
        """Wait until Python is ready (or failed to start)."""
        end = time.monotonic() + START_S
        while self.page.get_attribute("#status", "data-state") == "loading":
            assert time.monotonic() < end, f"the page did not start in {START_S} s"
            time.sleep(0.1)

    def error(self):
        return self.page.evaluate(
            "document.getElementById('error').hidden ? '' : "
            "document.getElementById('error').textContent"
        )

    def clean(self):
        """Nothing ran that the page was given, and nothing left the origin."""
        assert self.dialogs == []
        assert self.page.evaluate("window.pwned === undefined")
        assert self.page.evaluate("document.querySelectorAll('img, body script').length") == 0
        assert self.outside == []


@pytest.fixture(scope="module")
def shown():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt install chromium)")
    if not (build.SITE / "index.html").is_file():
        pytest.skip("the playground is not built: `make playground` (needs npm) builds site/")
    if build.is_stale(build.SITE):
        pytest.skip("site/ was built from older sources: `make playground` rebuilds it")
    server = make_server(build.SITE)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900}, accept_downloads=True)
        page_shown = Shown(page, origin)
        page.goto(origin + "/")
        page_shown.watch_start()
        assert page.get_attribute("#status", "data-state") == "ready", page.inner_text("#status")
        print(f"\nplayground ready in {int(page.get_attribute('#status', 'data-ms')) / 1000:.1f} s")
        yield page_shown
        browser.close()
    server.shutdown()
    server.server_close()


def test_the_page_starts_with_no_request_outside_its_origin(shown):
    assert shown.page.inner_text("#status").startswith("ready in")
    said = shown.page.get_attribute("#status", "data-steps").splitlines()
    assert said[0].startswith("loading Python (Pyodide 3") and said[1:] == [
        "installing chainrule…",
        "importing chainrule…",
    ]
    assert shown.page.evaluate("location.hash").startswith("#expr=tanh(x1*w1")  # the lecture
    shown.clean()


# Together these use every op the parser can make (the fused neuron is nn's, not typed).
EXPRESSIONS = [
    ("x*y + sin(x)", {"x": 1.5, "y": -2.0}),
    ("(x - y)/(x + 2)", {"x": 0.3, "y": 1.7}),
    ("-x**3 + x**y", {"x": 1.3, "y": 0.7}),
    ("exp(a)*log(b) + tanh(a*b)", {"a": 0.4, "b": 2.5}),
    ("sigmoid(w) + relu(w - 0.25) + cos(w)", {"w": 0.9}),
    ("sqrt(abs(u))/abs(u - 3)", {"u": -1.2}),
]


def link(text, values):
    return f"expr={quote(text, safe='*()')}&" + "&".join(f"{k}={v!r}" for k, v in values.items())


def test_the_expressions_cover_every_op_the_parser_makes():
    made = {
        n._row.name
        for text, values in EXPRESSIONS
        for n in topological_order(parse(text, values))
        if n._prev
    }
    assert made == set(OPS) - {"linear"}


@pytest.mark.parametrize("text, values", EXPRESSIONS)
def test_an_expression_link_shows_cpythons_values_and_grads(shown, text, values):
    shown.open(link(text, values))
    assert shown.error() == ""
    root = parse(text, values)
    root.backward()
    leaves = {n.label: n for n in topological_order(root) if n.label and not n._prev}
    table = shown.page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll("#expr-grads tbody tr"),
             tr => [tr.dataset.name, Array.from(tr.querySelectorAll("td.number"),
                                                td => Number(td.dataset.exact))]))"""
    )
    assert table.pop("f") == pytest.approx([root.data, 1.0], rel=1e-12)
    assert table == {
        name: pytest.approx([x, leaves[name].grad], rel=1e-12, abs=1e-15)
        for name, x in values.items()
    }
    assert shown.page.locator("#expr-graph svg g.node").count() == len(
        topological_order(root)
    ) + sum(
        1 for n in topological_order(root) if n._prev
    )  # a value node per node, an op node per op
    shown.clean()


def test_the_step_through_is_the_viewers_page_stepping_through_backward(shown):
    text, values = EXPRESSIONS[0]
    shown.open(link(text, values) + "")
    frame = shown.page.frame_locator("#expr-steps")
    root = parse(text, values)
    root.label = "f"
    steps = backward_steps(root)
    assert frame.locator("#counter").inner_text() == f"step 0 / {len(steps)}"
    for k, step in enumerate(steps, start=1):
        frame.locator("#next").click()
        assert frame.locator("#counter").inner_text() == f"step {k} / {len(steps)}"
        assert frame.locator("#statement").inner_text().splitlines() == step["lines"]
    if SHOTS:
        frame.locator("#prev").click()
        shown.page.screenshot(path=str(Path(SHOTS) / "playground-expression.png"), full_page=True)
    shown.clean()


def test_the_derivation_follows_the_chosen_name_and_language(shown):
    shown.open(link("x*y + x", {"x": 3.0, "y": 4.0}))
    shown.page.select_option("#expr-wrt", "x")
    shown.page.select_option("#expr-lang", "zh")
    derivation = shown.until(
        "(t => t.includes('链式法则') && t)(document.getElementById('expr-derivation').textContent)"
    )
    assert "∂f/∂x" in derivation and "5.0" in derivation
    shown.page.select_option("#expr-lang", "en")
    shown.clean()


def test_another_name_or_language_keeps_the_step_through_where_it_was(shown):
    shown.open(link("x*y + x", {"x": 3.0, "y": 4.0}))
    frame = shown.page.frame_locator("#expr-steps")
    frame.locator("#next").click()
    frame.locator("#next").click()
    shown.page.select_option("#expr-wrt", "y")
    shown.page.select_option("#expr-lang", "zh")
    shown.until("document.getElementById('expr-derivation').textContent.includes('∂f/∂y')")
    shown.until("document.getElementById('expr-steps').dataset.loaded !== 'false'")
    assert frame.locator("#counter").inner_text().startswith("step 2 / ")
    shown.page.select_option("#expr-lang", "en")
    shown.clean()


def test_editing_the_expression_rerenders_and_updates_the_link(shown):
    shown.open(link("x*y", {"x": 2.0, "y": 3.0}))
    shown.page.fill("#expr-text", "x*y*z")
    shown.until("document.querySelector('#expr-values input[data-name=z]')")
    shown.until("location.hash === '#expr=x*y*z&x=2&y=3&z=1'")
    grad = "document.querySelector('#expr-grads tr[data-name=z] td:nth-child(3)').dataset.exact"
    assert shown.page.evaluate(f"Number({grad})") == 6.0
    shown.page.fill("#expr-values input[data-name=y]", "4")
    shown.until("location.hash === '#expr=x*y*z&x=2&y=4&z=1'")
    assert shown.page.evaluate(f"Number({grad})") == 8.0
    shown.page.fill("#expr-values input[data-name=y]", "four")
    error = shown.until("document.getElementById('error').textContent")
    assert error == 'y = "four" is not a number'
    assert shown.page.evaluate("location.hash") == "#expr=x*y*z&x=2&y=4&z=1"  # the last numbers
    shown.clean()


def test_a_small_net_learns_the_moons_in_the_page(shown):
    shown.open(SMALL_NET)
    assert shown.page.get_attribute("#net-progress", "data-steps") == "0"
    shown.page.click("#net-play")
    try:
        steps = shown.until(
            "Number(document.getElementById('net-progress').dataset.accuracy) >= 0.95 || "
            f"Number(document.getElementById('net-progress').dataset.steps) > {MAX_STEPS} ? "
            "document.getElementById('net-progress').dataset.steps : 0",
            timeout=300,
        )
    finally:
        shown.page.click("#net-play")  # pause
    accuracy = float(shown.page.get_attribute("#net-progress", "data-accuracy"))
    assert accuracy >= 0.95 and int(steps) <= MAX_STEPS, shown.page.inner_text("#net-progress")
    shown.clean()


def exported(shown, tmp_path):
    with shown.page.expect_download() as download:
        shown.page.click("#net-export")
    path = tmp_path / "model.json"
    download.value.save_as(path)
    return path


def click_weight(shown, layer, neuron, index, sizes):
    """Click a weight's line (index < inputs) or a bias's square; (value, grad) shown."""
    if index < sizes[layer]:
        first = sum(a * b for a, b in itertools.pairwise(sizes[: layer + 1]))
        shown.page.locator("#net-diagram .hit").nth(
            first + neuron * sizes[layer] + index
        ).dispatch_event("click")
    else:
        shown.page.locator("#net-diagram .bias").nth(
            sum(sizes[1 : layer + 1]) + neuron
        ).dispatch_event("click")
    numbers = shown.until(
        "(d => d.grad !== undefined && d)(document.getElementById('net-detail-numbers').dataset)"
    )
    return float(numbers["value"]), float(numbers["grad"])


def test_export_loads_in_cpython_with_the_weights_and_grads_the_page_shows(shown, tmp_path):
    shown.open(SMALL_NET)
    for _ in range(3):
        shown.page.click("#net-step")
    model = MLP.load(exported(shown, tmp_path))
    assert model.nouts == [4, 4, 1] and model.activation == "tanh"
    points, labels = datasets.make("moons", 0)
    loss = losses.binary_cross_entropy([model(p) for p in points], labels)
    loss.backward()
    sizes = [2, 4, 4, 1]
    for layer, neuron, index in [(0, 0, 0), (0, 3, 1), (1, 2, 3), (2, 0, 2), (1, 1, 4)]:
        unit = model.layers[layer].neurons[neuron]
        param = unit.b if index == sizes[layer] else unit.w[index]
        value, grad = click_weight(shown, layer, neuron, index, sizes)
        assert value == param.data
        assert grad == pytest.approx(param.grad, rel=1e-9, abs=1e-15)
    assert shown.page.inner_text("#net-detail-text").startswith("∂L/∂b2_2 by the chain rule")
    shown.clean()


def test_an_imported_model_is_the_one_trained_and_shown(shown, tmp_path):
    trained = MLP(2, [3, 1], activation="relu", seed=7)
    path = tmp_path / "mine.json"
    trained.save(path)
    shown.open(SMALL_NET)
    shown.page.set_input_files("#net-import", str(path))
    shown.until("location.hash.includes('layers=3&act=relu')")
    assert shown.page.locator("#net-diagram g.neuron").count() == 4
    value, _ = click_weight(shown, 0, 2, 1, [2, 3, 1])
    assert value == trained.layers[0].neurons[2].w[1].data
    shown.clean()


def test_a_neuron_shows_its_gradient_flow(shown):
    shown.open(SMALL_NET)
    for _ in range(25):
        shown.page.click("#net-step")
    shown.page.locator("#net-diagram g.neuron").nth(5).dispatch_event("click")  # layer 2, neuron 2
    shown.until("document.querySelector('#net-detail-graph svg')")
    texts = shown.page.evaluate(
        "Array.from(document.querySelectorAll('#net-detail-graph svg text'), t => t.textContent)"
    )
    assert "h2_2" in texts and {"h1_1", "w2_2_1", "b2_2"} <= set(texts)
    assert "least sure" in shown.page.inner_text("#net-detail-title")
    if SHOTS:
        shown.page.screenshot(path=str(Path(SHOTS) / "playground-network.png"), full_page=True)
    shown.clean()


def test_a_csv_of_ones_own_is_trained_on(shown):
    shown.open(SMALL_NET)
    rows = "x1,x2,label\n" + "\n".join(f"{math.cos(k)},{math.sin(k)},{k % 2}" for k in range(40))
    shown.page.set_input_files(
        "#net-csv", files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    shown.until("location.hash.includes('data=csv')")
    shown.page.click("#net-step")
    assert shown.page.get_attribute("#net-progress", "data-steps") == "1" and shown.error() == ""
    shown.clean()


HOSTILE = '<img src=x onerror="window.pwned=1;alert(1)">'


@pytest.mark.parametrize(
    "hash_text, words",
    [
        (f"expr=x&{quote(HOSTILE)}=1", f"{HOSTILE!r} is not a name"),
        (f"expr={quote('<script>alert(1)</script>')}", "not a valid expression"),
        (f"expr={quote(HOSTILE)}", "not a valid expression"),
        ("expr=__import__('os').system('x')", "only abs, cos"),
        (f"mode=net&data={quote(HOSTILE)}", f"data={HOSTILE!r}"),
    ],
)
def test_a_hostile_link_is_an_error_line_and_runs_nothing(shown, hash_text, words):
    shown.open(hash_text)
    assert words in shown.error()
    shown.clean()


@pytest.mark.parametrize(
    "field, name, text, words",
    [
        ("#net-csv", HOSTILE + ".csv", f"1,2,0\n3,4,{HOSTILE}\n", "row 2: the label '<img src=x"),
        ("#net-import", HOSTILE + ".json", json.dumps({"format": HOSTILE}), HOSTILE + ".json: "),
    ],
)
def test_hostile_files_and_labels_are_error_lines_and_run_nothing(shown, field, name, text, words):
    shown.open(SMALL_NET)
    shown.page.set_input_files(
        field, files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}]
    )
    assert words in shown.until(
        "document.getElementById('error').hidden ? '' : "
        "document.getElementById('error').textContent"
    )
    shown.clean()
