"""On a phone, the permit guide draws the service flow only when the reader opens it."""

from __future__ import annotations

import pytest

from tests.browser.pages import ARTIFACTS


def test_the_guide_draws_the_service_flow_on_a_phone_when_opened(live_server, browser):
    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(f"{live_server}/izin/izin-reklame")
    assert not any("bpmn-viewer.js" in url or "alur.bpmn" in url for url in loaded)  # nothing fetched unopened
    page.get_by_text("Lihat diagram alur layanan").click()
    page.locator("body[data-viewer-ready='1']").wait_for()
    lanes = page.locator('#canvas g.djs-element[data-element-id^="Lane"]')
    assert lanes.count() >= 4
    assert page.locator("#canvas").bounding_box()["width"] <= 390
    page.screenshot(path=str(ARTIFACTS / "public-guide-flow-phone.png"), full_page=True)


def test_the_guide_shows_the_tariff_and_computes_the_levy_on_a_phone(live_server, browser):
    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    page.goto(f"{live_server}/izin/izin-reklame")
    assert page.locator("table.tariff tbody tr").count() == 6
    page.get_by_label("Jenis reklame").select_option("billboard")
    page.get_by_label("Luas bidang reklame (m²)").fill("24")
    page.get_by_label("Jumlah sisi").fill("2")
    page.get_by_label("Masa berlaku (tahun)").fill("1")
    page.get_by_role("button", name="Hitung").click()
    assert "7.200.000" in page.locator(".fee-result").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.screenshot(path=str(ARTIFACTS / "public-guide-tariff-phone.png"), full_page=True)


@pytest.fixture
def issued(session, services, user):
    """An issued permit, made before the browser starts (signing runs its own event loop)."""
    from tests.factories import issued

    return issued(session, services, user)


def test_the_public_statistics_draw_their_charts_at_phone_and_desktop_size(issued, live_server, browser):
    for width, height, name in ((390, 844, "phone"), (1280, 900, "desktop")):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(f"{live_server}/statistik")
        page.locator("body[data-charts-ready='1']").wait_for()
        assert "Izin Reklame" in page.locator("main").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"public-statistics-{name}.png"), full_page=True)


def test_a_complaint_is_filed_on_a_phone_without_an_account_and_tracked(live_server, browser):
    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    page.goto(f"{live_server}/pengaduan")
    page.get_by_label("Kategori").select_option("waktu")
    page.get_by_label("Uraian pengaduan").fill("Izin saya belum selesai padahal batas waktunya sudah lewat seminggu.")
    page.get_by_role("button", name="Kirim pengaduan").click()
    notice = page.locator(".flash.success")
    code = notice.locator("strong").inner_text()
    assert code.startswith("ADU-") and page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "complaint-filed-phone.png"), full_page=True)
    page.get_by_role("link", name=f"Lacak pengaduan {code}").click()
    assert "menunggu verifikasi" in page.locator(".facts").inner_text()


def test_the_api_reference_page_draws_every_operation_of_the_openapi_document(live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.on("pageerror", lambda error: failed.append(str(error)))
    page.goto(f"{live_server}/api/v1/docs")
    page.locator("body[data-reference-ready='1']").wait_for(state="attached")
    spec = page.request.get(f"{live_server}/api/v1/openapi.json").json()
    operations = sum(len(methods) for methods in spec["paths"].values())
    assert page.locator(".opblock").count() == operations
    assert page.locator(".opblock", has_text="/tasks/{item_id}/form").count() == 1
    page.screenshot(path=str(ARTIFACTS / "api-reference.png"))
    assert failed == []
