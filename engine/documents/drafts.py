"""Drafts of the letters a step issues under the signer's own certificate, for the signer to read
before typing the passphrase: rendered from the file's data as it stands (and what the signer has
typed in the task form so far), unnumbered, unsigned, without a verification code and marked DRAF.
Nothing is numbered, stored or signed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from engine.core.errors import NotFound
from engine.core.localtime import Phrase
from engine.core.services import Services
from engine.documents.letters import letter_facts
from engine.workflow import runtime
from engine.workflow.diagram_terms import KIND_TITLES
from engine.workflow.models import Application, WorkItem
from engine.workflow.version_forms import form_of, load_workflow, template_of

if TYPE_CHECKING:  # accounts sit above this domain; the type is only named
    from engine.accounts.models import User

PERSONAL = ("petugas", "kepala_dinas")
DRAFT_NUMBER = "(diberikan saat ditandatangani)"


def _signed_personally(application: Application, kind: str) -> bool:
    try:
        return template_of(application.process_version, kind).get("signature") in PERSONAL
    except NotFound:
        return False


def kinds_to_sign(item: WorkItem, workflow=None) -> list[tuple[str, str, bool]]:
    """(kind, title, issued by the task itself) of each document completing ``item`` may issue that
    its officer signs personally. Only a document of the task itself quotes the task's form."""
    if item.state != "open" or not item.signs:
        return []
    application = item.application
    workflow = workflow if workflow is not None else load_workflow(application)
    return [
        (kind, KIND_TITLES.get(kind, kind) if kind != "izin" else application.permit_type.name, own)
        for kind, own in runtime.documents_ahead(workflow, item.task_id)
        if kind in KIND_TITLES and _signed_personally(application, kind)
    ]


def draft_pdf(
    services: Services, item: WorkItem, kind: str, actor: User, now: datetime, typed: dict | None = None
) -> bytes:
    """The draft of ``kind`` as completing ``item`` now would issue it. ``typed``: the task form's
    values so far (text fields only), for the letters that quote them (a berita acara).
    Errors: NotFound when the step issues no such document for its officer to sign."""
    application = item.application
    workflow = load_workflow(application)
    own = {k: issued_by_task for k, _, issued_by_task in kinds_to_sign(item, workflow)}
    if kind not in own:
        raise NotFound(Phrase("Langkah ini tidak menerbitkan dokumen tersebut untuk Anda tandatangani."))
    version = application.process_version
    data = runtime.task_data(workflow, item.task_id)
    forms = []
    if own[kind] and item.form_schema:
        form = form_of(version, item.form_schema, item.form_ui)
        forms.append(form)
        data.update(
            {
                f.name: typed[f.name]
                for f in form.fields
                if typed and not f.is_file and not f.readonly and typed.get(f.name) not in (None, "")
            }
        )
    template = template_of(version, kind)
    facts, _ = letter_facts(
        services,
        application,
        kind,
        template,
        template.get("signature"),
        data,
        actor,
        now,
        forms,
        None,
        number=DRAFT_NUMBER,
        verify_code=None,
        paper=False,
    )
    return services.documents.render({**facts, "draft": True})
