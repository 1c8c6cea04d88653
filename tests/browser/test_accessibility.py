"""The public pages, for anonymous visitors at phone and desktop size, checked with axe-core in Debian
Chromium: no serious or critical accessibility issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.pages import ARTIFACTS

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/izin/izin-reklame",
    "/lacak",
    "/direktori",
    "/peraturan",
    "/statistik",
    "/pengaduan",
    "/pengaduan/lacak",
    "/antrean",
    "/antrean/papan",
    "/kiosk",
    "/kiosk/survei",
    "/verifikasi",
    "/masuk",
    "/daftar",
]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core comes from npm (make setup)")
@pytest.mark.parametrize("width, height, size", [(390, 844, "phone"), (1280, 900, "desktop")])
def test_public_pages_have_no_serious_accessibility_issues(live_server, browser, width, height, size):
    # The pages forbid inline scripts (CSP); the checker is injected around it, as an auditor's tool.
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in PAGES:
        page.goto(f"{live_server}{path}")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}×)"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[path] = serious
        name = path.strip("/").replace("/", "-") or "beranda"
        page.screenshot(path=str(ARTIFACTS / f"a11y-{name}-{size}.png"), full_page=True)
    assert found == {}
