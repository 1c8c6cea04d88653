"""In a real headless Chromium: staff read documents in the page, the head reads the permit before
the passphrase, a phone shows the decision first, and a failed submit lands on one error summary."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import ARTIFACTS, login
from tests.factories import waiting_at


# The signing steps before a task run in fixtures, not beside the browser's event loop.
@pytest.fixture
def at_the_head(session, services, user):
    """An Izin Reklame waiting on the head's approval."""
    return waiting_at(session, services, user, "persetujuan_kepala")


@pytest.fixture
def at_the_survey_report(session, services, user):
    """An Izin Reklame waiting on the technical team's berita acara."""
    return waiting_at(session, services, user, "berita_acara")


def test_the_front_office_reads_each_document_in_the_page_without_downloading_it(at_the_head, live_server, browser):
    application, _ = at_the_head
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    login(page, live_server, "fo@demo.test")
    page.goto(f"{live_server}/petugas/permohonan/{application.id}")

    links = page.locator(".docs a[data-view]")
    assert links.count() >= 4
    for index in (0, 1):
        title = links.nth(index).inner_text()
        links.nth(index).click()
        viewer = page.locator("dialog.doc-viewer")
        viewer.locator(".pages[data-pages]").wait_for()
        assert viewer.locator("h2").inner_text() == title
        assert viewer.locator(".pages canvas, .pages img").count() >= 1
        assert (
            viewer.locator("a.download")
            .get_attribute("href")
            .endswith(f"/dokumen/{links.nth(index).get_attribute('href').split('/')[-1].split('?')[0]}")
        )
        if index == 0:
            page.screenshot(path=str(ARTIFACTS / "staff-document-viewer.png"))
        page.keyboard.press("Escape")
        assert not viewer.is_visible()
    assert downloads == []


def test_the_head_reads_the_permit_draft_before_the_passphrase_and_a_failed_submit_focuses_its_summary(
    at_the_head, live_server, browser
):
    _, item = at_the_head
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(page, live_server, "kadis@demo.test")
    page.goto(f"{live_server}/petugas/tugas/{item.id}")

    draft = page.locator("#draft-izin")
    page.locator("#draft-izin[data-pages]").wait_for()
    assert draft.locator("canvas").count() >= 1
    # The draft stands before the passphrase field in the page, so it is read first.
    assert page.evaluate(
        "document.getElementById('draft-izin').compareDocumentPosition("
        "document.getElementById('f-passphrase')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    page.screenshot(path=str(ARTIFACTS / "head-draft-before-passphrase.png"), full_page=True)
    # On a wide screen the file stands left of the decision.
    assert page.locator("#berkas").bounding_box()["x"] < page.locator(".decision").bounding_box()["x"]

    # No decision chosen: one summary, focused, whose link leads to the field.
    page.get_by_role("button", name="Selesaikan tugas").click()
    page.locator("#error-summary").wait_for()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.locator("[role=alert]").count() == 1
    assert "Keputusan" in page.locator("#error-summary").inner_text()
    page.screenshot(path=str(ARTIFACTS / "task-error-summary.png"))
    page.locator("#error-summary a", has_text="Keputusan").click()
    assert page.evaluate("document.activeElement.name") == "keputusan_kepala"
    # The draft is there again after the failed submit; the permit does not quote the head's form.
    page.locator("#draft-izin[data-pages]").wait_for()
    assert page.get_by_role("button", name="Perbarui draf dengan isian formulir").count() == 0


def test_the_surveyor_draws_the_berita_acara_again_with_what_he_has_typed(at_the_survey_report, live_server, browser):
    _, item = at_the_survey_report
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(page, live_server, "teknis@demo.test")
    page.goto(f"{live_server}/petugas/tugas/{item.id}")
    page.locator("#draft-berita_acara[data-pages]").wait_for()
    page.locator("#f-temuan").fill("Papan berdiri di atas trotoar.")
    with page.expect_response(lambda r: r.request.method == "POST" and "/draf/berita_acara.pdf" in r.url) as drawn:
        page.get_by_role("button", name="Perbarui draf dengan isian formulir").click()
    assert drawn.value.status == 200 and drawn.value.headers["content-type"] == "application/pdf"
    assert "Papan berdiri di atas trotoar." in (drawn.value.request.post_data or "")
    page.locator("#draft-berita_acara[data-pages]").wait_for()
    assert page.url.endswith(f"/petugas/tugas/{item.id}")  # drawn in place, no page left


def test_on_a_phone_the_decision_comes_before_the_file(at_the_head, live_server, browser):
    _, item = at_the_head
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    login(phone, live_server, "kadis@demo.test")
    phone.goto(f"{live_server}/petugas/tugas/{item.id}")
    decision, file = phone.locator("#form-h").bounding_box(), phone.locator("#file-h").bounding_box()
    assert decision["y"] < 844 < file["y"]
    assert phone.get_by_role("link", name="Data permohonan dan dokumen").is_visible()
    phone.locator("#draft-izin[data-pages]").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "task-phone-decision-first.png"))
