"""The supervisor's dashboard in headless Chromium: figures and both charts drawn."""

from __future__ import annotations

from tests.browser.pages import ARTIFACTS, login


def test_dashboard_draws_its_charts(finished_two, live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, "pengawas@demo.test")
    page.goto(f"{live_server}/pengawasan/?dari=2026-11&sampai=2026-11")
    page.locator("body[data-charts-ready='1']").wait_for(state="attached")
    drawn = page.evaluate("""() => ['chart-on-time', 'chart-duration'].map(id => {
        const chart = Chart.getChart(id);
        return chart.data.datasets.map(d => d.data);
    })""")
    assert drawn == [[[50]], [[1.5], [6]]]  # ended with the permit: see tests/engine/test_sla.py
    assert errors == []
    page.screenshot(path=str(ARTIFACTS / "dashboard-desktop.png"), full_page=True)
