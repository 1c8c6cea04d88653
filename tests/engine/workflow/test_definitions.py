"""Permit types and process versions stored from bundles."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.core.errors import ProcessDefinitionError
from engine.workflow import definitions
from engine.workflow.models import PermitType, ProcessVersion
from tests.factories import bundle


def test_refused_bundle_stores_nothing(session):
    metadata, files = bundle()
    metadata = {**metadata, "code": "izin-coba"}
    files["proses.bpmn"] = files["proses.bpmn"].replace("pass", "__import__('os')")
    before = session.scalar(select(func.count()).select_from(ProcessVersion))
    with pytest.raises(ProcessDefinitionError):
        definitions.publish_bundle(session, metadata, files)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ProcessVersion)) == before
    assert session.scalar(select(PermitType).where(PermitType.code == "izin-coba")) is None


def test_publishing_the_same_bundle_twice_keeps_one_version(session):
    metadata, files = bundle()
    first = definitions.publish_bundle(session, metadata, files)
    second = definitions.publish_bundle(session, metadata, files)
    assert first.id == second.id
    session.rollback()
