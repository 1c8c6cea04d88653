"""Forms and the start task of a process version, cached by content hash (bundles never change)."""

from __future__ import annotations

import json

from engine.core.clock import utcnow
from engine.core.errors import NotFound, PermissionDenied
from engine.core.localtime import Phrase
from engine.core.roles import APPLICANT
from engine.workflow import runtime
from engine.workflow.definitions import specs_for
from engine.workflow.forms import FormDef, load_form
from engine.workflow.models import Application, ProcessVersion

_FORMS: dict[tuple[str, str, str | None], FormDef] = {}
_START_TASKS: dict[str, runtime.ReadyTask] = {}
_TEMPLATES: dict[tuple[str, str], dict] = {}


def form_of(version: ProcessVersion, schema_ref: str, ui_ref: str | None) -> FormDef:
    key = (version.content_hash, schema_ref, ui_ref)
    form = _FORMS.get(key)
    if form is None:
        form = _FORMS[key] = load_form(version.files, schema_ref, ui_ref)
    return form


def start_task_of(version: ProcessVersion) -> runtime.ReadyTask:
    """The first user task of a fresh instance (the applicant's form), computed once per version."""
    cached = _START_TASKS.get(version.content_hash)
    if cached is None:
        workflow = runtime.new_workflow(specs_for(version), utcnow())
        ready = runtime.ready_user_tasks(workflow)
        if not ready or ready[0].role != APPLICANT:
            raise PermissionDenied(Phrase("Proses ini tidak diawali formulir Pemohon."))
        cached = _START_TASKS[version.content_hash] = ready[0]
    return cached


def submission_form(version: ProcessVersion) -> FormDef:
    start = start_task_of(version)
    return form_of(version, start.form_schema, start.form_ui)


def template_of(version: ProcessVersion, kind: str) -> dict:
    """The version's template for a document kind (checked when the bundle was published)."""
    key = (version.content_hash, kind)
    template = _TEMPLATES.get(key)
    if template is None:
        text = version.files.get(f"templates/{kind}.json")
        if text is None:
            raise NotFound(Phrase("Templat dokumen '%(kind)s' tidak ada pada versi proses ini.", kind=kind))
        template = _TEMPLATES[key] = json.loads(text)
    return template


def load_workflow(application: Application):
    """The application's running workflow, on its own process version's spec."""
    return runtime.load(application.workflow_json, specs_for(application.process_version))
