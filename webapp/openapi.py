"""The OpenAPI 3.1 document of ``/api/v1``, generated from the code: the app's routes under
``/api/v1`` give the paths, and each view's own docstring (the YAML after ``---``, read by apispec)
its operation; the schemas are
``webapp.api_schemas``. What every operation shares is filled in here, so a docstring says only
what is its own:

- ``responses`` maps a status to a schema name (a JSON answer), or to nothing (a problem document);
  400 and 429 are added to every operation, 401 to those that need a token, 413 to those with a body;
- ``body`` names the request's schema, or ``form`` for a task's form (JSON, or multipart with files);
- path parameters come from the route itself (``<int:…>`` is a 32-bit row id).

apispec was chosen because it keeps the description beside the view it describes and takes our
JSON Schemas as they are (task forms are JSON Schema already), with no second model layer."""

from __future__ import annotations

from apispec import APISpec
from apispec.yaml_utils import load_operations_from_docstring
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask

from .api_schemas import COMMON_RESPONSES, SCHEMAS

PREFIX = "/api/v1"
BLUEPRINTS = ("api", "bank", "oss")
_ROW_ID = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
_FORM_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/TaskForms"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"data": {"type": "string", "description": "Nilai isian formulir dalam JSON"}},
                "additionalProperties": {"type": "string", "format": "binary"},
            }
        },
    },
}


def _json(schema: str, description: str = "Berhasil") -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _ref(name: str) -> dict:
    if name.startswith("[") and name.endswith("]"):
        return {"type": "array", "items": _ref(name[1:-1])}
    return {"$ref": f"#/components/schemas/{name}"}


def _operation(operation: dict, rule, secured: bool) -> dict:
    operation = dict(operation)
    responses = {}
    for code, answer in (operation.pop("responses", None) or {}).items():
        code = str(code)
        if answer is None:
            responses[code] = COMMON_RESPONSES[code]
        elif isinstance(answer, str):
            responses[code] = _json(answer)
        else:
            responses[code] = answer
    body = operation.pop("body", None)
    if body == "form":
        operation["requestBody"] = _FORM_BODY
    elif isinstance(body, str):
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    elif body is not None:
        operation["requestBody"] = body
    shared = ["400", "429"] + (["401"] if secured else []) + (["413"] if "requestBody" in operation else [])
    for code in shared:
        responses.setdefault(code, COMMON_RESPONSES[code])
    operation["responses"] = responses
    in_path = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": dict(_ROW_ID) if type(converter).__name__ == "RowId" else {"type": "string"},
        }
        for name, converter in rule._converters.items()
    ]
    documented = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
    operation["parameters"] = [p for p in in_path if p["name"] not in documented] + operation.get("parameters", [])
    if not operation["parameters"]:
        del operation["parameters"]
    if not secured:
        operation["security"] = []
    return operation


def build(app: Flask, open_endpoints: set[str]) -> dict:
    spec = APISpec(
        title="PTSP-el API",
        version="1.0.0",
        openapi_version="3.1.0",
        info={
            "description": (
                "Layanan perizinan elektronik: ajukan permohonan, kerjakan tugas dari formulirnya "
                "(JSON Schema), bayar, unduh dan periksa dokumen. Galat berupa RFC 9457 problem details, "
                "dalam bahasa yang diminta klien (Accept-Language: id atau en)."
            )
        },
        servers=[{"url": PREFIX}],
        security=[{"bearer": []}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint.split(".")[0] not in BLUEPRINTS or not rule.rule.startswith(PREFIX):
            continue
        view = app.view_functions[rule.endpoint]
        documented = load_operations_from_docstring(view.__doc__ or "")
        if not documented:
            continue
        secured = rule.endpoint.startswith("api.") and rule.endpoint not in open_endpoints
        operations = {
            method: _operation(operation | {"operationId": rule.endpoint.split(".", 1)[1]}, rule, secured)
            for method, operation in documented.items()
        }
        spec.path(path=FlaskPlugin.flaskpath2openapi(rule.rule), operations=operations)
    document = spec.to_dict()
    document["paths"] = {path.removeprefix(PREFIX): item for path, item in document["paths"].items()}
    return document
