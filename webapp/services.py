"""Builds the engine's ``Services`` for this app and hands it to views."""
from pathlib import Path

from flask import current_app

from engine.files import FileStore
from engine.services import Agency, Services
from signing.maker import LocalDocumentMaker


def build_services(app) -> Services:
    agency = Agency(**app.config.get("AGENCY", {}))
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    maker = LocalDocumentMaker(Path(app.config["PKI_DIR"]), organization=f"{agency.short_name} {agency.city}",
                               signer_name=agency.head_name, location=agency.city)
    return Services(files=FileStore(Path(app.config["FILES_DIR"])), documents=maker,
                    verify_url=lambda code: f"{base}/verify/{code}", agency=agency)


def services() -> Services:
    return current_app.extensions["ptsp_services"]
