"""Authority: officers, supervisors and other agencies read only within the permit types they are
assigned to; the applicants' personal documents reach another agency only when granted. The last
test walks every route for every kind of account and every object, against a table written here
(not derived from the code it checks)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import url_for
from sqlalchemy import select

from engine.accounts import api_tokens, users
from engine.accounts.models import User
from engine.casework import queries, worklist
from engine.core.models import AuditEvent
from engine.core.roles import APPLICANT, SUPERVISOR, TECHNICAL
from engine.documents.documents import documents_of
from engine.workflow import definitions
from tests.timeline import at, step, submit
from webapp.access import SIGNED_BLUEPRINTS

PASSWORD = "Kewenangan-Uji-2026!"
SIP_CODE, REKLAME_CODE = "surat-izin-praktik", "izin-reklame"


def _account(session, email, roles, scope=None, **extra):
    account = session.scalar(select(User).where(User.email == email))
    if account is None:
        account = users.create_user(
            session,
            None,
            name=email.split("@")[0].replace("-", " ").title(),
            email=email,
            password=PASSWORD,
            roles=roles,
            scope=scope,
            **extra,
        )
    elif scope is not None:
        users._apply_scope(session, account, scope)
    session.commit()
    return account


def _only(session, *codes, personal=()):
    ids = {definitions.permit_type_by_code(session, c).id for c in codes}
    return users.AccountScope(
        permit_type_ids=frozenset(ids),
        personal_permit_type_ids=frozenset(definitions.permit_type_by_code(session, c).id for c in personal),
    )


@pytest.fixture
def accounts(session):
    return {
        "teknis-sip": _account(
            session, "teknis-sip@dinas.test", [TECHNICAL], _only(session, SIP_CODE), nip="199001012015011001"
        ),
        "pengawas-reklame": _account(
            session, "pengawas-reklame@dinas.test", [SUPERVISOR], _only(session, REKLAME_CODE)
        ),
        "dinkes-pribadi": _account(
            session, "dinkes-pribadi@dinas.test", ["instansi_terkait"], _only(session, SIP_CODE, personal=[SIP_CODE])
        ),
        "pemohon-lain": _account(session, "pemohon-lain@warga.test", [APPLICANT], nik="3171010101900099"),
    }


@dataclass
class Files:
    sip: object
    reklame: object

    def docs(self, session, which, kind):
        app_row = getattr(self, which)
        return [d for d in documents_of(session, app_row) if d.kind == kind]

    def item(self, session, which):
        return queries.open_items(session, getattr(self, which))[0]


@pytest.fixture
def files(session, services, user, accounts):
    """A SIP at the Tim Teknis stage (its receipt issued) and an Izin Reklame at the front office."""
    sip = submit(session, services, user, SIP_CODE, at(2, 8))
    step(session, services, user, sip, at(2, 9))
    reklame = submit(session, services, user, REKLAME_CODE, at(2, 8))
    from engine.core import health

    health.beat(session)  # a scheduler is running: /readyz answers 200 like every public page
    session.commit()
    return Files(sip, reklame)


def _login(app, email, password=PASSWORD):
    client = app.test_client()
    assert client.post("/masuk", data={"email": email, "password": password}).status_code == 302
    return client


def test_a_technical_officer_assigned_to_sip_cannot_list_open_or_download_izin_reklame(app, session, files):
    officer = _login(app, "teknis-sip@dinas.test")
    listing = officer.get("/petugas/permohonan").get_data(as_text=True)
    assert files.sip.reg_number in listing and files.reklame.reg_number not in listing
    assert officer.get(f"/petugas/permohonan/{files.reklame.id}").status_code == 403
    ktp = files.docs(session, "reklame", "lampiran")[0]
    assert officer.get(f"/petugas/dokumen/{ktp.id}").status_code == 403
    assert officer.get(f"/petugas/permohonan/{files.sip.id}").status_code == 200
    assert officer.get(f"/petugas/dokumen/{files.docs(session, 'sip', 'lampiran')[0].id}").status_code == 200
    # The inbox offers the SIP survey task; the API refuses the Reklame file the same way.
    inbox = officer.get("/petugas/").get_data(as_text=True)
    assert files.sip.reg_number in inbox
    token = officer.post("/api/v1/tokens", json={"email": "teknis-sip@dinas.test", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert officer.get(f"/api/v1/applications/{files.reklame.reg_number}", headers=headers).status_code == 403
    assert officer.get(f"/api/v1/documents/{ktp.id}", headers=headers).status_code == 403
    with app.app_context():
        from webapp.extensions import db

        refusals = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "permission_denied")).all()
        assert len(refusals) >= 4


def test_a_technical_officer_sees_only_the_tasks_of_permit_types_in_scope(session, services, user, files, accounts):
    reklame_at_survey = files.reklame
    step(session, services, user, reklame_at_survey, at(2, 10))  # the front office passes it on
    assert queries.open_items(session, reklame_at_survey)[0].role == TECHNICAL

    def waiting(officer):
        query = worklist.TaskQuery(view=worklist.WAITING, per_page=100)
        return {r.application_id for r in worklist.task_page(session, services.calendar, officer, query).rows}

    assert waiting(accounts["teknis-sip"]) == {files.sip.id}
    assert {files.sip.id, reklame_at_survey.id} <= waiting(user("teknis"))
    from engine.casework.tasks import claim
    from engine.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        claim(session, queries.open_items(session, reklame_at_survey)[0].id, accounts["teknis-sip"])


def test_an_officer_keeps_reading_a_file_he_worked_on_after_his_scope_moves(app, session, services, files, accounts):
    officer = accounts["teknis-sip"]
    from engine.casework.tasks import claim

    claim(session, files.item(session, "sip").id, officer)
    session.commit()
    users._apply_scope(session, officer, _only(session, REKLAME_CODE))
    session.commit()
    try:
        client = _login(app, "teknis-sip@dinas.test")
        assert client.get(f"/petugas/permohonan/{files.sip.id}").status_code == 200
        assert client.get(f"/petugas/tugas/{files.item(session, 'sip').id}").status_code == 200
    finally:
        users._apply_scope(session, officer, _only(session, SIP_CODE))
        session.commit()


def test_another_agency_reads_only_its_granted_permit_types_and_no_personal_documents_unless_granted(
    app, session, files
):
    health = _login(app, "dinkes@demo.test", "demo12345")
    listing = health.get("/instansi/").get_data(as_text=True)
    assert files.sip.reg_number in listing and files.reklame.reg_number not in listing
    page = health.get(f"/instansi/permohonan/{files.sip.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Tanda Terima Berkas" in text
    assert "KTP pemohon" not in text and "dokumen pribadi Pemohon tidak dibagikan" in text
    ktp = files.docs(session, "sip", "lampiran")[0]
    receipt = files.docs(session, "sip", "tanda_terima")[0]
    assert health.get(f"/instansi/dokumen/{ktp.id}").status_code == 403
    assert health.get(f"/instansi/dokumen/{receipt.id}").status_code == 200
    assert health.get(f"/instansi/permohonan/{files.reklame.id}").status_code == 403
    assert health.get("/petugas/").status_code == 403 and health.get("/pengawasan/").status_code == 403
    granted = _login(app, "dinkes-pribadi@dinas.test")
    assert granted.get(f"/instansi/dokumen/{ktp.id}").status_code == 200
    assert "KTP pemohon" in granted.get(f"/instansi/permohonan/{files.sip.id}").get_data(as_text=True)


def test_a_supervisor_reads_reports_and_files_within_his_scope(app, session, files):
    supervisor = _login(app, "pengawas-reklame@dinas.test")
    sip_type = definitions.permit_type_by_code(session, SIP_CODE)
    assert supervisor.get(f"/pengawasan/permohonan/{files.reklame.id}").status_code == 200
    assert supervisor.get(f"/pengawasan/permohonan/{files.sip.id}").status_code == 403
    assert supervisor.get(f"/pengawasan/?jenis={sip_type.id}").status_code == 403
    overview = supervisor.get("/pengawasan/").get_data(as_text=True)
    assert f'value="{sip_type.id}"' not in overview  # the type filter offers only types in scope


def test_the_admin_sets_an_accounts_scope_in_the_users_page_and_it_is_audited(app, login, session, accounts):
    admin = login("admin", app.test_client())
    officer = accounts["teknis-sip"]
    reklame = definitions.permit_type_by_code(session, REKLAME_CODE)
    response = admin.post(f"/admin/pengguna/{officer.id}/cakupan", data={"jenis": [str(reklame.id)]})
    assert response.status_code == 302
    session.expire_all()
    try:
        assert users.describe_scope(session, session.get(User, officer.id)) == "Izin Reklame"
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "user_scope_changed").order_by(AuditEvent.id.desc())
        )
        assert event.summary["sebelum"].startswith("Surat Izin Praktik") and event.summary["sesudah"] == "Izin Reklame"
        page = admin.get("/admin/pengguna").get_data(as_text=True)
        assert "Semua jenis izin" in page and "Izin Reklame" in page
    finally:
        users._apply_scope(session, session.get(User, officer.id), _only(session, SIP_CODE))
        session.commit()


def test_a_new_officer_without_a_scope_reads_nothing(app, session, files):
    _account(session, "baru@dinas.test", ["front_office"], users.AccountScope())
    newcomer = _login(app, "baru@dinas.test")
    assert files.reklame.reg_number not in newcomer.get("/petugas/").get_data(as_text=True)
    assert newcomer.get(f"/petugas/permohonan/{files.reklame.id}").status_code == 403


# --- the walk: every route × every kind of account × every object -------------------------------

ANON = "anonim"
ACTORS = {  # who: (email, password)
    ANON: None,
    "pemohon": ("pemohon@demo.test", "demo12345"),  # owns both files
    "pemohon-lain": ("pemohon-lain@warga.test", PASSWORD),
    "fo": ("fo@demo.test", "demo12345"),
    "teknis-sip": ("teknis-sip@dinas.test", PASSWORD),
    "bendahara": ("bendahara@demo.test", "demo12345"),
    "kadis": ("kadis@demo.test", "demo12345"),
    "pengawas-reklame": ("pengawas-reklame@dinas.test", PASSWORD),
    "dinkes": ("dinkes@demo.test", "demo12345"),  # Instansi Terkait, SIP, no personal documents
    "proses": ("proses@demo.test", "demo12345"),
    "admin": ("admin@demo.test", "demo12345"),
}
STAFF = {"fo", "teknis-sip", "bendahara", "kadis"}
APPLICANTS = {"pemohon", "pemohon-lain"}
SUPERVISORS = {"pengawas-reklame", "kadis", "admin"}
# The files each account reads (the applicant owns both).
READS = {
    "pemohon": {"sip", "reklame"},
    "fo": {"sip", "reklame"},
    "teknis-sip": {"sip"},
    "bendahara": {"sip", "reklame"},
    "kadis": {"sip", "reklame"},
    "pengawas-reklame": {"reklame"},
    "dinkes": {"sip"},
    "admin": {"sip", "reklame"},
}
# The open task of each file: SIP at the Tim Teknis survey, Izin Reklame at the front office.
WORKS = {"sip": {"teknis-sip"}, "reklame": {"fo"}}
# Documents: the applicants' KTP of each file (personal) and the SIP receipt (the agency's).
DOCUMENTS = {"sip-ktp": ("sip", True), "reklame-ktp": ("reklame", True), "sip-receipt": ("sip", False)}

PUBLIC = {"public", "trust", "kiosk", "assets", "static"}
OPEN = {
    "auth.claim_account",
    "auth.login",
    "auth.register",
    "auth.activate",
    "auth.forgot_password",
    "auth.reset_password",
    "api.openapi",
    "api.reference",
    "api.create_token",
    "api.verify_code",
    "api.verify_pdf",
    "api.tracking",
}
LOGGED_IN = {"auth.change_password", "auth.tokens", "auth.logout", "auth.second_factor"}
AUDIENCE = {
    "helpdesk": set(ACTORS) - {ANON},
    "applicant": APPLICANTS,
    "staff": STAFF,
    "supervisor": SUPERVISORS,
    "related": {"dinkes"},
    "admin": {"admin"},
    "processes": {"proses", "admin"},
}
# Within a blueprint, verbs that need a particular role.
ROLE_VERBS = {
    "staff.queue_desk": {"fo", "kadis"},
    "staff.counter": {"fo"},
    "staff.counter_form": {"fo"},
    "staff.end_permit": {"kadis"},
    "staff.sanction": {"kadis"},
    "staff.upload_scan": {"fo", "kadis"},
    "api.create_application": APPLICANTS,
    "staff.assign_task": {"kadis"},
    "api.assign_task": {"kadis"},
    "api.service_time_report": SUPERVISORS,
}


def _reads_document(who: str, doc: str) -> bool:
    application, personal = DOCUMENTS[doc]
    if application not in READS.get(who, set()):
        return False
    return not (personal and who == "dinkes")


def expected(endpoint: str, who: str, obj: str | None) -> str:
    """What ``who`` should get: ok, login (sent to log in / 401) or refused (403)."""
    blueprint = endpoint.split(".")[0]
    if endpoint == "auth.second_step":
        return "login"  # no password step is pending in the walk: back to the login page
    if blueprint in PUBLIC or endpoint in OPEN:
        return "ok"
    if blueprint in SIGNED_BLUEPRINTS:
        return "ok"  # no login: each request's signature decides (tests/webapp/test_bank.py)
    if who == ANON:
        return "login"
    if endpoint in LOGGED_IN:
        return "ok"
    if blueprint == "api":
        audience = ROLE_VERBS.get(endpoint, set(ACTORS) - {ANON})
    else:
        audience = AUDIENCE[blueprint] & ROLE_VERBS.get(endpoint, set(ACTORS))
    if who not in audience:
        return "refused"
    if obj is None:
        return "ok"
    if obj in DOCUMENTS:
        if endpoint == "applicant.document":
            return "ok" if who == "pemohon" else "refused"
        return "ok" if _reads_document(who, obj) else "refused"
    if endpoint.endswith("assign_task"):  # the head hands out the tasks of the types he is over
        return "ok" if obj in READS.get(who, set()) else "refused"
    if endpoint.endswith(("task", "task_draft", "task_form_schema", "claim_task", "release_task", "complete", "fix")):
        return "ok" if who in WORKS[obj] else "refused"
    if endpoint == "applicant.application":
        return "ok" if who == "pemohon" else "refused"
    return "ok" if obj in READS.get(who, set()) else "refused"


OBJECT_PARAMS = {
    "application_id": ("sip", "reklame"),
    "ref": ("sip", "reklame"),
    "item_id": ("sip", "reklame"),
    "document_id": tuple(DOCUMENTS),
}


def _outcome(endpoint: str, response) -> str:
    if response.status_code >= 500:
        return f"error {response.status_code}"
    if response.status_code == 403:
        return "refused"
    if endpoint.startswith("api.") and response.status_code == 401 and endpoint not in OPEN:
        return "login"
    if response.status_code == 302 and "/masuk" in response.headers.get("Location", ""):
        return "login"
    return "ok"


def _requests(app, files: Files, session, spare_user_id: int):
    """(endpoint, method, object, url) for every route; GET where a route has it, POST too."""
    receipt = files.docs(session, "sip", "tanda_terima")[0]
    objects = {
        "application_id": {"sip": files.sip.id, "reklame": files.reklame.id},
        "ref": {"sip": files.sip.reg_number, "reklame": files.reklame.reg_number},
        "item_id": {w: files.item(session, w).id for w in ("sip", "reklame")},
        "document_id": {
            "sip-ktp": files.docs(session, "sip", "lampiran")[0].id,
            "reklame-ktp": files.docs(session, "reklame", "lampiran")[0].id,
            "sip-receipt": receipt.id,
        },
    }
    plain = {
        "user_id": spare_user_id,
        "action": "buka-kunci",
        "number": 1,
        "decision_id": "tidak-ada",
        "kind": "izin",
        "fmt": "csv",
        "force_id": 999999,
        "name": "chart.js",
        "filename": "app.css",
        "token": "bukan-tautan",
        "encoded": "MAA=",
        "event": "diterima",
        "language": "id",
        "regulation_id": 999999,
        "ticket_id": 999999,
        "thread_id": 999999,
    }
    walk = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            verify = rule.endpoint in ("public.verify", "public.verify_original", "api.verify_code")
            values = {**plain, "code": receipt.verify_code if verify else SIP_CODE}
            object_param = next((p for p in rule.arguments if p in OBJECT_PARAMS), None)
            choices = OBJECT_PARAMS[object_param] if object_param else (None,)
            for obj in choices:
                args = {p: (objects[p][obj] if p == object_param else values[p]) for p in rule.arguments}
                url = url_for(rule.endpoint, **args)
                for method in sorted(rule.methods & {"GET", "POST"}):
                    walk.append((rule.endpoint, method, obj, url))
    # Logging out ends the walk (it ends the session it runs in).
    return sorted(walk, key=lambda r: (r[0] == "auth.logout", r[0], r[1], str(r[2])))


def test_the_table_above_names_every_blueprint_of_the_app(app):
    blueprints = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()}
    assert blueprints <= PUBLIC | set(AUDIENCE) | {"auth", "api"} | SIGNED_BLUEPRINTS, (
        "a new blueprint needs its audience here"
    )


@pytest.mark.parametrize("who", list(ACTORS))
def test_every_route_answers_each_account_and_object_as_its_authority_says(
    app, session, files, who, user, processes_restored
):
    spare = _account(session, "cadangan@dinas.test", ["front_office"], users.AccountScope())
    client = app.test_client()
    token = None
    if ACTORS[who]:
        email, password = ACTORS[who]
        client = _login(app, email, password)
        token = api_tokens.issue_token(session, session.scalar(select(User).where(User.email == email)), "walk")
        session.commit()
    wrong, walked = [], 0
    for endpoint, method, obj, url in _requests(app, files, session, spare.id):
        headers = {"Authorization": f"Bearer {token}"} if token and endpoint.startswith("api.") else {}
        response = client.open(url, method=method, headers=headers, data={} if method == "POST" else None)
        got, want = _outcome(endpoint, response), expected(endpoint, who, obj)
        walked += 1
        if got != want:
            wrong.append(f"{method} {url} [{endpoint}, {obj}]: {got} ({response.status_code}), expected {want}")
    assert walked > 100
    assert wrong == [], "\n".join(wrong)


def test_an_officer_assigned_to_a_unit_reads_the_permit_types_that_unit_handles(
    app, login, session, files, processes_restored
):
    proses = login("proses", app.test_client())
    sip = definitions.permit_type_by_code(session, SIP_CODE)
    form = {
        "name": sip.name,
        "prefix": sip.prefix,
        "sla_working_days": str(sip.sla_working_days),
        "signing_mode": sip.signing_mode,
        "unit": "Perizinan Kesehatan",
    }
    assert proses.post(f"/admin/proses/{SIP_CODE}", data=form).status_code == 302
    _account(
        session,
        "bidang-kesehatan@dinas.test",
        ["front_office"],
        users.AccountScope(units=frozenset({"Perizinan Kesehatan"})),
    )
    officer = _login(app, "bidang-kesehatan@dinas.test")
    listing = officer.get("/petugas/permohonan").get_data(as_text=True)
    assert files.sip.reg_number in listing and files.reklame.reg_number not in listing
    assert officer.get(f"/petugas/permohonan/{files.reklame.id}").status_code == 403
