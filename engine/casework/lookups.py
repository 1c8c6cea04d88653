"""Form fields checked with another agency (``engine.connectors.checks``): filling a form from the
service's answer on the applicant's request, and checking every such field when the form is sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.connectors import checks
from engine.connectors.calls import Asker
from engine.core.audit import record
from engine.core.errors import ValidationFailed
from engine.core.localtime import Phrase
from engine.core.services import Services
from engine.workflow.forms import Field, FormDef
from engine.workflow.models import Application


def checked_field(form: FormDef, check: str) -> Field | None:
    """The form's field that names ``check`` (e.g. ``oss.nib``), if any."""
    return next((f for f in form.fields if f.connector and f.connector["check"] == check), None)


def prefill(
    session: Session,
    services: Services,
    form: FormDef,
    field_name: str,
    raw: dict,
    actor: User,
    now: datetime | None = None,
) -> tuple[dict, dict[str, str], str | None]:
    """(values, errors, notice): ``raw`` with the fields the check's ``fill`` names copied from the
    service's answer, or the reason nothing was filled on that field."""
    field = form.field(field_name)
    spec = field.connector if field is not None else None
    value = str(raw.get(field_name) or "").strip()
    if spec is None:
        return raw, {}, None
    if not value:
        return raw, {field_name: Phrase("Isi %(title)s dahulu, lalu ambil datanya.", title=field.title)}, None
    result = checks.run(
        session,
        services.connectors,
        spec["check"],
        value,
        Asker(f"isi otomatis {form.title}"[:120], actor_id=actor.id),
        now,
    )
    if result is None:
        return (
            raw,
            {},
            Phrase(
                "%(check)s: layanan tidak menjawab saat ini. Isi data secara manual; isian ini diperiksa lagi "
                "saat permohonan dikirim.",
                check=checks.CHECKS[spec["check"]].title,
            ),
        )
    if not result.ok:
        return raw, {field_name: result.message}, None
    filled = {target: result.facts.get(source, "") for target, source in (spec.get("fill") or {}).items()}
    return (
        {**raw, **filled},
        {},
        Phrase("%(result)s. Data diisi dari layanan; periksa sebelum mengirim.", result=result.message),
    )


def verify_fields(
    session: Session,
    services: Services,
    application: Application,
    form: FormDef,
    data: dict,
    actor: User,
    now: datetime,
) -> None:
    """Check every field that names a connector check. A "no" refuses the form (``ValidationFailed``
    on that field); a service that does not answer lets it through, audited as not yet verified."""
    errors = {}
    for field in form.fields:
        spec, value = field.connector, data.get(field.name)
        if spec is None or value in (None, ""):
            continue
        purpose = f"{form.title} {application.reg_number or ''}".strip()[:120]
        result = checks.run(
            session,
            services.connectors,
            spec["check"],
            str(value),
            Asker(purpose, actor_id=actor.id, application_id=application.id),
            now,
        )
        if result is not None and not result.ok:
            errors[field.name] = result.message
            continue
        record(
            session,
            "connector_checked",
            actor=actor,
            application=application,
            now=now,
            summary={
                "isian": field.title,
                "pemeriksaan": checks.CHECKS[spec["check"]].title,
                "hasil": result.message if result else "belum terverifikasi: layanan tidak menjawab",
            },
        )
    if errors:
        raise ValidationFailed(Phrase("Sebagian isian tidak sesuai dengan data instansi terkait."), errors)
