"""A client that knows only the served OpenAPI document, the demo accounts and a signer's passphrase
takes both permit types from the application to the signed permit: it finds each operation by its
operationId, fills every form from the JSON Schema the API serves (the first choice of each decision,
a file of an accepted type), and holds every answer to the schema the document gives its status."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from hypothesis import find
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from engine.core.clock import utcnow
from webapp.seeding import DEMO_PASSPHRASE, DEMO_PASSWORD

OFFICERS = ("fo", "teknis", "bendahara", "kadis")


def _pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Berkas contoh dari klien API")
    return bytes(pdf.output())


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()


class Client:
    """Calls operations by id and checks each answer against the document."""

    def __init__(self, http, document: dict):
        self.http, self.document = http, document
        self.operations = {
            operation["operationId"]: (method, path)
            for path, item in document["paths"].items()
            for method, operation in item.items()
        }
        self.checked = 0

    def call(self, operation_id: str, token: str | None = None, *, path=None, query=None, json_body=None, form=None):
        method, template = self.operations[operation_id]
        url = self.document["servers"][0]["url"] + template.format(**(path or {}))
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        kwargs = {"json": json_body} if json_body is not None else {}
        if form is not None:
            kwargs = {"data": form, "content_type": "multipart/form-data"}
        answer = self.http.open(url, method=method.upper(), headers=headers, query_string=query, **kwargs)
        self._conforms(method, template, answer)
        return answer

    def _conforms(self, method, template, answer) -> None:
        documented = self.document["paths"][template][method]["responses"]
        assert str(answer.status_code) in documented, (template, answer.status_code, answer.get_data(as_text=True))
        content = documented[str(answer.status_code)].get("content", {})
        media = answer.mimetype
        assert media in content or "*/*" in content, (template, media)
        if media.endswith("json"):
            schema = {**content[media]["schema"], "components": self.document["components"]}
            errors = sorted(Draft202012Validator(schema).iter_errors(answer.get_json()), key=str)
            assert not errors, (template, [e.message for e in errors[:3]])
            self.checked += 1


def _text(schema: dict) -> str:
    if "pattern" in schema:
        return find(st.from_regex(schema["pattern"], fullmatch=True), lambda s: len(s) >= schema.get("minLength", 0))
    low, high = schema.get("minLength", 1), schema.get("maxLength", 200)
    return ("Isian contoh dari klien API " * 20)[: max(low, min(high, 28))].strip().ljust(low, "x")


def _number(schema: dict):
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
    value = min(max(low, 1), schema.get("maximum", low + 10))
    return int(value) if schema.get("type") == "integer" else float(value)


def fill(form: dict) -> tuple[dict, list[tuple[str, tuple[str, bytes]]]]:
    """Values for a form from its JSON Schema alone: what is required, and what a choice made requires."""
    schema, rules, values, files = form["schema"], form["file_rules"], {}, []
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name == "passphrase":
            values[name] = DEMO_PASSPHRASE
        elif name in rules:
            media = rules[name]["accept"][0]
            samples = {"image/png": ("foto.png", _png), "image/jpeg": ("foto.jpg", _jpeg)}
            filename, make = samples.get(media, ("berkas.pdf", _pdf))
            files.append((name, (filename, make())))
        elif name in form["values"] and form["values"][name] not in (None, ""):
            values[name] = form["values"][name]
        else:
            values[name] = _value(properties.get(name, {}))
    return values, files


def _value(schema: dict):
    if "const" in schema:
        return schema["const"]
    if "oneOf" in schema:
        return schema["oneOf"][0]["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return _number(schema)
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return (utcnow() + timedelta(days=7)).date().isoformat()
    if schema.get("format") == "email":
        return "klien@contoh.test"
    return _text(schema)


def _multipart(values: dict, files) -> dict:
    body = {"data": json.dumps(values)}
    for name, (filename, content) in files:
        body.setdefault(name, []).append((io.BytesIO(content), filename))
    return body


@pytest.mark.parametrize("code", ["izin-reklame", "surat-izin-praktik"])
def test_a_client_of_the_document_alone_takes_a_permit_type_to_the_signed_permit(app, code):
    http = app.test_client()
    document = http.get("/api/v1/openapi.json").get_json()
    api = Client(http, document)

    def sign_in(who):
        answer = api.call("create_token", json_body={"email": f"{who}@demo.test", "password": DEMO_PASSWORD})
        return answer.get_json()["token"]

    applicant = sign_in("pemohon")
    assert code in [p["code"] for p in api.call("permit_types", applicant).get_json()]
    values, files = fill(api.call("permit_type_form", applicant, path={"code": code}).get_json())
    created = api.call("create_application", applicant, form=_multipart({"permit_type": code, **values}, files))
    assert created.status_code == 201, created.get_json()
    reg_number = created.get_json()["reg_number"]

    officers = {who: sign_in(who) for who in OFFICERS}
    steps = []
    while True:
        current = api.call("get_application", applicant, path={"ref": reg_number}).get_json()
        if current["status"] != "diproses":
            break
        assert len(steps) < 12, steps
        # Whoever sees the file's next task among those waiting for their roles takes it.
        found = [
            (who, row)
            for who, bearer in officers.items()
            for row in api.call("my_tasks", bearer, query={"view": "available", "q": reg_number}).get_json()["items"]
            if row["reg_number"] == reg_number
        ]
        assert found, (steps, current["open_tasks"])
        who, row = found[0]
        assert api.call("claim_task", officers[who], path={"item_id": row["id"]}).status_code == 200
        form = api.call("task_form_schema", officers[who], path={"item_id": row["id"]}).get_json()
        values, files = fill(form)
        done = api.call("complete", officers[who], path={"item_id": row["id"]}, form=_multipart(values, files))
        assert done.status_code == 200, done.get_json()
        steps.append(row["title"])

    assert current["status"] == "selesai", (steps, current)
    [permit] = [d for d in current["documents"] if d["kind"] == "izin"]
    assert api.call("document", applicant, path={"document_id": permit["id"]}).status_code == 200
    code_of_qr = permit["verify_url"].rsplit("/", 1)[1]
    check = api.call("verify_code", path={"code": code_of_qr}).get_json()
    assert check["authentic"] and check["in_force"] and permit["status"] == "berlaku"

    tracked = api.call("tracking", path={"number": reg_number}).get_json()
    assert tracked["status"] == "selesai" and tracked["current"] == [] and len(tracked["passed"]) > len(steps)
    [certificate] = [c for c in api.call("my_certificates", officers["kadis"]).get_json() if c["status"] == "aktif"]
    assert certificate["serial"] and certificate["revoked_at"] is None
    report = api.call("service_time_report", sign_in("pengawas")).get_json()
    assert report["total"]["completed"] >= 1
    assert api.call("service_time_report", applicant).status_code == 403
    assert api.checked >= 4 * len(steps)
