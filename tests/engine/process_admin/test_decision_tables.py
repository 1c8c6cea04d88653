"""Fee tables as rows an admin edits, tried with sample inputs."""

from __future__ import annotations

import pytest

from engine.core.errors import ValidationFailed
from engine.process_admin import decision_tables, drafts


def test_a_fee_table_is_tried_with_inputs(session, made):
    files = drafts.draft_of(session, made()).files
    table = decision_tables.read_tables(files)[0]
    assert decision_tables.try_table(files, table.decision_id, {"kategori": "kecil"}) == {"tarif": 50000}
    with pytest.raises(ValidationFailed):
        decision_tables.write_rules(files, table.decision_id, [['open("/etc/passwd")', "1"]])
