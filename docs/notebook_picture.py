"""The README's picture of an executed notebook cell: docs/notebook_cell.png.

Notebook 2 of the tutorial, exported to HTML as nbconvert does, opened in
headless Chromium; the cell `viewer.steps(L)` is stepped to the step where `a`
receives its gradient, and photographed. Run from the repository root after
`make notebooks`: python docs/notebook_picture.py
"""

import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
NOTEBOOK = DOCS / "tutorial" / "02_seeing_the_graph.ipynb"
PICTURE = DOCS / "notebook_cell.png"
CHROMIUM = "/usr/bin/chromium"
STEPS = 4  # the step where ∂L/∂a += ∂L/∂e · ∂e/∂a = 6


def main():
    import nbformat
    from nbconvert import HTMLExporter
    from playwright.sync_api import sync_playwright

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(NOTEBOOK, 4))
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_path = Path(folder) / "notebook.html"
        page_path.write_text(body, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 900}, device_scale_factor=1.25)
        page.route("http*://**", lambda route: route.abort())  # offline, as a reader may be
        page.goto(page_path.as_uri())
        cell = page.locator(".jp-Cell", has=page.locator("iframe")).first
        cell.scroll_into_view_if_needed()
        frame = cell.frame_locator("iframe")
        for _ in range(STEPS):
            frame.locator("#next").click()
        frame.locator("#counter").filter(has_text=f"step {STEPS} /").wait_for()
        cell.screenshot(path=str(PICTURE))
        browser.close()
    print(f"wrote {PICTURE.relative_to(DOCS.parent)} ({PICTURE.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
