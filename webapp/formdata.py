"""Turning an HTML form post into the engine's raw values and uploads."""
from flask import request

from engine.core.files import Upload
from engine.workflow.forms import FormDef


def from_request(form: FormDef | None) -> tuple[dict, list[Upload]]:
    if form is None:
        return {}, []
    raw = {f.name: request.form.get(f.name) for f in form.fields if not f.is_file}
    uploads = [
        Upload(f.name, storage.filename, storage.read())
        for f in form.fields if f.is_file
        for storage in request.files.getlist(f.name) if storage and storage.filename
    ]
    return raw, uploads
