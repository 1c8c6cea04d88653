"""In Debian Chromium: a visitor on a phone switches the pages to English from the footer, keeps
English while moving around, and switches back."""

from __future__ import annotations

from tests.browser.pages import ARTIFACTS


def test_a_visitor_switches_to_english_and_back_from_the_footer(live_server, browser):
    for size, viewport in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 900})):
        page = browser.new_context(viewport=viewport).new_page()
        page.goto(f"{live_server}/")
        assert page.locator("html").get_attribute("lang") == "id"
        page.locator("footer nav").get_by_role("link", name="English").click()
        page.get_by_role("heading", name="Electronic Permit Services").wait_for()
        assert page.locator("html").get_attribute("lang") == "en"
        page.locator("header nav").get_by_role("link", name="Track").click()
        page.get_by_role("heading", name="Track an Application").wait_for()
        page.screenshot(path=str(ARTIFACTS / f"english-track-{size}.png"), full_page=True)
        page.goto(f"{live_server}/izin/izin-reklame")
        assert page.get_by_role("heading", name="Requirements").is_visible()
        page.screenshot(path=str(ARTIFACTS / f"english-guide-{size}.png"), full_page=True)
        assert page.locator("footer nav [aria-current=true]").inner_text() == "English"
        page.locator("footer nav").get_by_role("link", name="Bahasa Indonesia").click()
        page.get_by_role("heading", name="Persyaratan").wait_for()
        assert page.locator("html").get_attribute("lang") == "id"
