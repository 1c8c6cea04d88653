"""In a real headless Chromium on a phone: a form sent with a mistake comes back with every file still
attached, and the applicant sends it after fixing the mistake without picking a file again."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from engine.documents.models import Document
from engine.workflow.models import Application
from tests.browser.pages import ARTIFACTS, fill_form, login
from tests.browser.test_full_journey import TYPES, _write
from tests.factories import REKLAME


def test_a_form_error_keeps_the_chosen_files(live_server, browser, tmp_path, session):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, live_server, "pemohon@demo.test")
    page.goto(f"{live_server}/pemohon/ajukan/izin-reklame")
    _, uploads = TYPES["izin-reklame"]
    fill_form(
        page,
        {**REKLAME, "luas_m2": "dua puluh"},
        {name: [_write(tmp_path / filename)] for name, filename in uploads.items()},
    )
    page.get_by_role("button", name="Kirim permohonan").click()
    page.locator("#error-summary").wait_for()
    # The applicant lands on the summary, which names the field and leads to it.
    expect(page.locator("#error-summary")).to_be_focused()
    page.locator("#error-summary a[href='#f-luas_m2']").click()
    assert page.evaluate("document.activeElement.id") == "f-luas_m2"
    assert page.locator(".current-file.attached").count() == 4
    page.locator(".has-error").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "kept-files-phone.png"), full_page=True)

    page.locator("#f-luas_m2").fill("24")
    page.get_by_role("button", name="Kirim permohonan").click()
    page.locator(".flash.success").wait_for()
    number = page.locator(".flash.success").inner_text().split()[-1].rstrip(".")
    application = session.scalar(select(Application).where(Application.reg_number == number))
    attached = session.scalars(
        select(Document.original_name).where(Document.application_id == application.id, Document.kind == "lampiran")
    ).all()
    assert sorted(attached) == sorted(uploads.values())
