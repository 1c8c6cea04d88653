"""A draft run in memory with sample data: the path it takes and the fee it computes."""

from __future__ import annotations

from engine.process_admin import drafts
from engine.workflow import dry_run


def test_dry_run_shows_the_path_and_the_fee_the_table_gives(session, made):
    files = drafts.draft_of(session, made()).files
    happy = dry_run.run(files, {"isi_permohonan": {"kategori": "besar", "jumlah_unit": 2}})
    assert happy.outcome == "selesai" and happy.stopped is None
    path = [s.element_id for s in happy.steps]
    assert path.index("hitung_tarif") < path.index("persetujuan_kepala") < path.index("selesai")
    assert next(s for s in happy.steps if s.element_id == "hitung_retribusi").data["retribusi"] == 400000
    refused = dry_run.run(files, {"verifikasi_berkas": {"hasil_verifikasi": "tidak_memenuhi"}})
    assert refused.outcome == "ditolak" and "hitung_tarif" not in [s.element_id for s in refused.steps]
