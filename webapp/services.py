"""Builds the engine's ``Services`` for this app and hands it to views."""

import threading
from datetime import time
from pathlib import Path

from flask import current_app

from engine.connectors import registry
from engine.core.files import FileStore
from engine.core.mail import sender_from
from engine.core.services import Agency, CalendarSettings, Services
from signing.pki import AgencyPki

from . import config as cfg


def file_store(config):
    """The archive: the local folder ``FILES_DIR``, or S3-compatible object storage
    (``FILE_STORE=s3``) that several app servers share."""
    if config.get("FILE_STORE", "local") == "s3":
        from engine.core.object_store import ObjectStore

        return ObjectStore.connect(
            config["S3_ENDPOINT_URL"],
            config["S3_BUCKET"],
            config["S3_ACCESS_KEY_ID"],
            config["S3_SECRET_ACCESS_KEY"],
            region=config.get("S3_REGION") or "us-east-1",
            prefix=config.get("S3_PREFIX") or "",
            create=cfg.flag(config.get("S3_CREATE_BUCKET")),
        )
    return FileStore(Path(config["FILES_DIR"]))


class LazyDocumentMaker:
    """The signing stack, built on first use: importing pyHanko and loading the agency's keys costs
    a second, which pages, the API and CLI commands that sign nothing should not pay at start."""

    def __init__(self, build):
        self._build, self._maker, self._lock = build, None, threading.Lock()

    def built(self):
        if self._maker is None:
            with self._lock:
                if self._maker is None:
                    self._maker = self._build()
        return self._maker

    def __getattr__(self, name):
        return getattr(self.built(), name)


def build_services(app) -> Services:
    agency = Agency(**app.config.get("AGENCY", {}))
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    key_secret = cfg.pki_key_secret(app.config, app.instance_path)
    config = app.config

    def document_maker():
        from signing.maker import DocumentMaker

        return DocumentMaker(
            Path(config["PKI_DIR"]),
            organization=f"{agency.short_name} {agency.city}",
            seal_name=agency.seal_name,
            location=agency.city,
            crl_url=f"{base}/pki/ca.crl",
            provider=config["SIGNING_PROVIDER"],
            remote_url=config["SIGNING_REMOTE_URL"],
            extra_roots=[Path(p) for p in config["SIGNING_TRUST_ROOTS"]],
            tsa_policy=config["TSA_POLICY_OID"],
            zone=config["AGENCY_TIMEZONE"],
            key_secret=key_secret,
            ocsp_url=f"{base}/pki/ocsp" if cfg.flag(config["PKI_OCSP_IN_CERTIFICATES"]) else None,
        )

    maker = LazyDocumentMaker(document_maker)
    if not AgencyPki.present(Path(config["PKI_DIR"])):
        # First start: the agency's keys are made now, once, before any worker forks; made lazily,
        # two workers signing at once could each make a different CA.
        maker.built()
    opens, closes = (time.fromisoformat(t) for t in app.config["OFFICE_HOURS"])
    calendar = CalendarSettings(zone=app.config["AGENCY_TIMEZONE"], start=opens, end=closes)
    return Services(
        files=file_store(app.config),
        documents=maker,
        verify_url=lambda code: f"{base}/verify/{code}",
        page_url=lambda path: f"{base}{path}",
        agency=agency,
        calendar=calendar,
        mail=sender_from(app.config, app.instance_path),
        connectors=registry.build(cfg.connector_settings(app.config)),
    )


def services() -> Services:
    return current_app.extensions["ptsp_services"]
