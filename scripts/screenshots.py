"""Screenshots of the published site for docs/screenshots/, at 1280 and 390 px.

    .venv/bin/python scripts/screenshots.py

Publishes a copy of the project, serves it on localhost and photographs the Chinese and
English landing pages, a table page and the source page (opened from a figure's link, so its
quote is highlighted) with Debian's chromium.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import copy_project  # noqa: E402 - the tests' own project copy
from opendata.publish import publish  # noqa: E402
from opendata.publish.serve import server  # noqa: E402

OUT = ROOT / "docs/screenshots"
SHOTS = {  # file stem: page
    "zh-landing": "zh/index.html",
    "en-landing": "en/index.html",
    "zh-table-results": "zh/tables/results.html",
    "en-table-projects": "en/tables/projects.html",
    "en-source": "en/source.html?row=results.retail-sales-growth-2023#L329",
    "zh-source": "zh/source.html?row=projects.urban-renewal-projects-2023#L25",
}
VIEWPORTS = {1280: {"width": 1280, "height": 1000}, 390: {"width": 390, "height": 844}}


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        project = copy_project(ROOT, Path(temporary) / "project")
        shutil.copy2(ROOT / "CHANGELOG.zh-Hans.md", project.root / "CHANGELOG.zh-Hans.md")
        httpd = server(project.root / "site", 0)
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        publish(project, base, preview=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        OUT.mkdir(parents=True, exist_ok=True)
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--headless", "--no-sandbox"])
            for width, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, device_scale_factor=1)
                page = context.new_page()
                for stem, path in SHOTS.items():
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    target = OUT / f"{stem}-{width}.png"
                    page.screenshot(path=str(target))
                    print(target.relative_to(ROOT))
                context.close()
            browser.close()
        httpd.shutdown()


if __name__ == "__main__":
    main()
