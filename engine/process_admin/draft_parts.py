"""Parts a process admin adds to a draft when the flow grows (a new form, one of the agency's shared
forms, a fee table with its SKRD template) or takes out (a form no task uses). Each goes through
``save_draft_files``, so it is checked and audited like any other change to the draft."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from lxml import etree
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.errors import NotFound, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.roles import LANE_ROLES, ROLE_LABELS
from engine.process_admin import template_preview
from engine.process_admin.decision_tables import read_tables
from engine.process_admin.drafts import require_draft, save_draft_files
from engine.process_admin.starter import SKRD_TEMPLATE, _dump, starter_tariff
from engine.workflow.definitions import diagram_name
from engine.workflow.diagram_terms import CLOCK_STOPS, FORM_SCHEMA_PROP, KIND_TITLES, NS, OUTCOMES
from engine.workflow.models import PermitType

FORM_NAME = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
SHARED_FOLDER = "umum"


def shared_forms(forms_dir: Path, files: dict[str, str]) -> list[str]:
    """The agency's shared forms (forms/umum) the draft does not hold yet."""
    return sorted(
        p.name[: -len(".schema.json")]
        for p in (forms_dir / SHARED_FOLDER).glob("*.schema.json")
        if f"forms/{SHARED_FOLDER}/{p.name}" not in files
    )


def add_form(
    session: Session, actor: User, permit_type: PermitType, name: str, title: str, now: datetime | None = None
) -> str:
    """A new form of this permit type with one note field, to be shaped in the form editor.
    Returns its schema file name. Errors: ValidationFailed, NotFound, PermissionDenied."""
    files = require_draft(session, actor, permit_type).files
    name, title = (name or "").strip(), (title or "").strip()
    schema_name = f"forms/{permit_type.code}/{name}.schema.json"
    errors = {}
    if not FORM_NAME.match(name):
        errors["nama"] = Phrase(
            "Gunakan 2-40 huruf kecil, angka atau tanda hubung, diawali huruf (mis. rekomendasi-camat)."
        )
    elif schema_name in files:
        errors["nama"] = Phrase("Formulir dengan nama ini sudah ada dalam draf.")
    if not 3 <= len(title) <= 120:
        errors["judul"] = Phrase("Judul formulir wajib diisi (3-120 karakter).")
    if errors:
        raise ValidationFailed(Phrase("Formulir belum ditambahkan."), errors)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "required": ["catatan"],
        "properties": {"catatan": {"type": "string", "title": "Catatan", "minLength": 1, "maxLength": 2000}},
    }
    save_draft_files(
        session,
        actor,
        permit_type,
        {
            schema_name: _dump(schema),
            schema_name.replace(".schema.json", ".uischema.json"): _dump({"catatan": {"ui:widget": "textarea"}}),
        },
        now,
    )
    return schema_name


def add_shared_form(
    session: Session, actor: User, permit_type: PermitType, name: str, forms_dir: Path, now: datetime | None = None
) -> str:
    """Copy one of the agency's shared forms into the draft. Returns its schema file name."""
    files = require_draft(session, actor, permit_type).files
    if name not in shared_forms(forms_dir, files):
        raise ValidationFailed(
            Phrase("Formulir belum ditambahkan."), {"umum": Phrase("Pilih formulir umum yang belum ada di draf.")}
        )
    folder = forms_dir / SHARED_FOLDER
    changes = {
        f"forms/{SHARED_FOLDER}/{name}.{part}.json": (folder / f"{name}.{part}.json").read_text("utf-8")
        for part in ("schema", "uischema")
        if (folder / f"{name}.{part}.json").exists()
    }
    save_draft_files(session, actor, permit_type, changes, now)
    return f"forms/{SHARED_FOLDER}/{name}.schema.json"


def add_fee_table(session: Session, actor: User, permit_type: PermitType, now: datetime | None = None) -> str:
    """A fee table (tarif.dmn, by category) and the SKRD template, for a type that had no retribution.
    Returns the decision id to choose in a business rule task."""
    files = require_draft(session, actor, permit_type).files
    if any(n.endswith(".dmn") for n in files):
        raise ValidationFailed(
            Phrase("Tabel tarif sudah ada."), {"tarif": Phrase("Draf ini sudah memiliki tabel tarif.")}
        )
    changes = {"tarif.dmn": starter_tariff(permit_type.code, permit_type.name)}
    if "templates/skrd.json" not in files:
        changes["templates/skrd.json"] = _dump(SKRD_TEMPLATE)
    save_draft_files(session, actor, permit_type, changes, now)
    return read_tables(changes)[0].decision_id


def forms_in_use(files: dict[str, str]) -> dict[str, list[str]]:
    """Schema file name -> ids of the diagram's tasks that use it. While the diagram cannot be read,
    every form counts as used, so none is taken out by mistake."""
    try:
        root = etree.fromstring(files[diagram_name(files)].encode("utf-8"))
    except etree.XMLSyntaxError:
        return {name: [Phrase("(diagram tidak dapat dibaca)")] for name in files if name.endswith(".schema.json")}
    used: dict[str, list[str]] = {}
    for prop in root.iterfind(".//spiffworkflow:property", NS):
        if prop.get("name") == FORM_SCHEMA_PROP:
            task = prop.getparent().getparent().getparent()
            used.setdefault(f"forms/{prop.get('value')}", []).append(task.get("id"))
    return used


def remove_form(
    session: Session, actor: User, permit_type: PermitType, schema_name: str, now: datetime | None = None
) -> str:
    """Take a form no task uses out of the draft (its schema and UI hints). Returns its schema file name."""
    files = require_draft(session, actor, permit_type).files
    if not schema_name.endswith(".schema.json") or schema_name not in files:
        raise NotFound(Phrase("Formulir tidak ditemukan dalam draf."))
    users = forms_in_use(files).get(schema_name, [])
    if users:
        raise ValidationFailed(
            Phrase("Formulir masih dipakai."),
            {
                "formulir": Phrase(
                    "Dipakai oleh tugas %(users)s; ganti formulirnya di diagram terlebih dahulu.",
                    users=", ".join(users),
                )
            },
        )
    save_draft_files(
        session,
        actor,
        permit_type,
        {schema_name: None, schema_name.replace(".schema.json", ".uischema.json"): None},
        now,
    )
    return schema_name


def editor_choices(permit_type: PermitType, files: dict[str, str]) -> dict:
    """What the diagram editor offers in its property panel for this draft: the lanes, the draft's
    forms, fee tables and document templates, the kinds of clock stop and outcome, and the
    permit type's stage targets."""
    return {
        "roles": [{"lane": lane, "label": ROLE_LABELS[role]} for lane, role in LANE_ROLES.items()],
        "forms": sorted(n[len("forms/") :] for n in files if n.endswith(".schema.json")),
        "decisions": [t.decision_id for t in read_tables(files)],
        "documents": [
            {"value": t.kind, "label": t.title} for t in template_preview.templates_of(files) if t.kind in KIND_TITLES
        ],
        "clockStops": [{"value": k, "label": v} for k, v in CLOCK_STOPS.items()],
        "outcomes": [{"value": k, "label": v} for k, v in OUTCOMES.items()],
        "stageTargets": dict(permit_type.sla_stages or {}),
    }
