"""What goes over the wire: pages and assets compressed as the browser accepts, and static files
named by their content kept by the browser for a year."""

from __future__ import annotations

import gzip
import re

import brotli


def test_a_page_goes_out_in_brotli_or_gzip_as_the_browser_accepts_and_reads_the_same(client):
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    as_br = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert as_br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in as_br.headers["Vary"]
    as_gzip = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert as_gzip.headers["Content-Encoding"] == "gzip"
    assert brotli.decompress(as_br.data) == gzip.decompress(as_gzip.data) == plain.data
    assert len(as_br.data) < len(plain.data) / 2


def test_a_fingerprinted_static_file_is_kept_for_a_year_and_a_stale_link_is_not(client, login):
    login("pengawas")
    page = client.get("/pengawasan/").get_data(as_text=True)
    link = re.search(r'src="(/static/dashboard\.js\?v=[0-9a-f]{16})"', page)
    assert link, "the dashboard script's link names its content"
    current = client.get(link.group(1))
    assert current.status_code == 200
    cache = current.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    stale = client.get("/static/dashboard.js?v=0000000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    bare = client.get("/static/dashboard.js")
    assert "immutable" not in bare.headers.get("Cache-Control", "")
