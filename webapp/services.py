"""Builds the engine's ``Services`` for this app and hands it to views."""
from datetime import time
from pathlib import Path

from flask import current_app

from engine.files import FileStore
from engine.mail import sender_from

from . import config as cfg
from engine.services import Agency, Services
from engine.sla import CalendarSettings
from signing.maker import DocumentMaker


def file_store(config):
    """The archive: the local folder ``FILES_DIR``, or S3-compatible object storage
    (``FILE_STORE=s3``) that several app servers share."""
    if config.get("FILE_STORE", "local") == "s3":
        from engine.object_store import ObjectStore

        return ObjectStore.connect(config["S3_ENDPOINT_URL"], config["S3_BUCKET"], config["S3_ACCESS_KEY_ID"],
                                   config["S3_SECRET_ACCESS_KEY"], region=config.get("S3_REGION") or "us-east-1",
                                   prefix=config.get("S3_PREFIX") or "", create=cfg.flag(config.get("S3_CREATE_BUCKET")))
    return FileStore(Path(config["FILES_DIR"]))


def build_services(app) -> Services:
    agency = Agency(**app.config.get("AGENCY", {}))
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    maker = DocumentMaker(Path(app.config["PKI_DIR"]), organization=f"{agency.short_name} {agency.city}",
                          seal_name=agency.seal_name, location=agency.city, crl_url=f"{base}/pki/ca.crl",
                          provider=app.config["SIGNING_PROVIDER"], remote_url=app.config["SIGNING_REMOTE_URL"],
                          extra_roots=[Path(p) for p in app.config["SIGNING_TRUST_ROOTS"]],
                          tsa_policy=app.config["TSA_POLICY_OID"], zone=app.config["AGENCY_TIMEZONE"],
                          key_secret=cfg.pki_key_secret(app.config, app.instance_path),
                          ocsp_url=f"{base}/pki/ocsp" if cfg.flag(app.config["PKI_OCSP_IN_CERTIFICATES"]) else None)
    opens, closes = (time.fromisoformat(t) for t in app.config["OFFICE_HOURS"])
    calendar = CalendarSettings(zone=app.config["AGENCY_TIMEZONE"], start=opens, end=closes)
    return Services(files=file_store(app.config), documents=maker,
                    verify_url=lambda code: f"{base}/verify/{code}", agency=agency, calendar=calendar,
                    mail=sender_from(app.config, app.instance_path))


def services() -> Services:
    return current_app.extensions["ptsp_services"]
