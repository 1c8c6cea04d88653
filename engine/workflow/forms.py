"""Task forms: JSON Schema with UI hints (RJSF conventions), typed and validated on the server.

Values arrive as strings from HTML forms or as JSON values from the API; they leave as Python
values for task data (``int``, ``Decimal``, ``date``, ``bool``, file references).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from jsonschema import Draft202012Validator, FormatChecker

from engine.core.errors import ValidationFailed
from engine.core.localtime import Phrase, format_date, format_rupiah

FILE_FORMAT = "file"
DEFAULT_ACCEPT = ["application/pdf", "image/jpeg", "image/png"]
DEFAULT_MAX_MB = 5


@dataclass
class Field:
    name: str
    schema: dict
    ui: dict
    required: bool

    @property
    def title(self) -> str:
        return self.schema.get("title", self.name)

    @property
    def options(self) -> dict:
        return self.ui.get("ui:options", {})

    @property
    def readonly(self) -> bool:
        return bool(self.ui.get("ui:readonly"))

    @property
    def connector(self) -> dict | None:
        """The field's connector check (``engine.connectors.checks``), if the form names one."""
        spec = self.schema.get("x-connector")
        return spec if isinstance(spec, dict) and spec.get("check") else None

    @property
    def help(self) -> str | None:
        return self.ui.get("ui:help")

    @property
    def is_file(self) -> bool:
        return self.schema.get("format") == FILE_FORMAT or self.is_file_list

    @property
    def is_file_list(self) -> bool:
        return self.schema.get("type") == "array" and self.schema.get("items", {}).get("format") == FILE_FORMAT

    @property
    def accept(self) -> list[str]:
        return self.options.get("accept", DEFAULT_ACCEPT)

    @property
    def max_mb(self) -> float:
        return self.options.get("maxSizeMB", DEFAULT_MAX_MB)

    @property
    def choices(self) -> list[tuple[str, str]]:
        if "oneOf" in self.schema:
            return [(c["const"], c.get("title", c["const"])) for c in self.schema["oneOf"] if "const" in c]
        if "enum" in self.schema:
            names = self.ui.get("ui:enumNames") or self.schema["enum"]
            return list(zip(self.schema["enum"], names, strict=False))  # a short list of names leaves codes untitled
        return []

    @property
    def widget(self) -> str:
        explicit = self.ui.get("ui:widget")
        if explicit:
            return explicit
        if self.is_file:
            return "file"
        if self.choices:
            return "select"
        kind = self.schema.get("type")
        if kind == "boolean":
            return "checkbox"
        if kind in ("integer", "number"):
            return "number"
        return {"date": "date", "email": "email"}.get(self.schema.get("format"), "text")

    def label_for(self, value) -> str:
        """Human text for a stored value (choice title, Rupiah, date, file name)."""
        if value is None or value == "":
            return "—"
        for const, title in self.choices:
            if const == value:
                return title
        if isinstance(value, bool):
            return "Ya" if value else "Tidak"
        if self.options.get("format") == "rupiah" and isinstance(value, (int, Decimal)):
            return format_rupiah(value)
        if isinstance(value, date):
            return format_date(value)
        if isinstance(value, dict) and "nama" in value:
            return value["nama"]
        if isinstance(value, list):
            return ", ".join(self.label_for(v) for v in value)
        return str(value)


@dataclass
class FormDef:
    name: str
    schema: dict
    ui: dict
    fields: list[Field] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.schema.get("title", "")

    @property
    def has_files(self) -> bool:
        return any(f.is_file for f in self.fields)

    @property
    def summary_fields(self) -> list[str]:
        return self.ui.get("ui:summary", [])

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def load_form(files: dict[str, str], schema_ref: str, ui_ref: str | None) -> FormDef:
    schema = json.loads(files[f"forms/{schema_ref}"])
    ui = json.loads(files[f"forms/{ui_ref}"]) if ui_ref and f"forms/{ui_ref}" in files else {}
    properties = schema.get("properties", {})
    order = ui.get("ui:order") or list(properties)
    order = [n for n in order if n in properties] + [n for n in properties if n not in order]
    required = set(schema.get("required", []))
    fields = [Field(n, properties[n], ui.get(n, {}), n in required) for n in order]
    return FormDef(schema_ref, schema, ui, fields)


# --- typing raw input ------------------------------------------------------------------------


def _coerce(f: Field, raw):
    """Convert one submitted value; returns (value, error). ``None`` means "not given"."""
    kind = f.schema.get("type")
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw, None
        return (str(raw).lower() in ("on", "true", "1", "ya")) if raw not in (None, "") else False, None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if kind == "integer":
        if isinstance(raw, bool):
            return None, Phrase("Harus berupa bilangan bulat.")
        if isinstance(raw, int):
            return raw, None
        try:
            return int(str(raw).strip().replace(".", "")), None
        except ValueError:
            return None, Phrase("Harus berupa bilangan bulat.")
    if kind == "number":
        if isinstance(raw, bool):
            return None, Phrase("Harus berupa angka.")
        try:
            value = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            return None, Phrase("Harus berupa angka.")
        if not value.is_finite():
            return None, Phrase("Harus berupa angka.")
        return value, None
    if f.schema.get("format") == "date":
        if isinstance(raw, date):
            return raw, None
        try:
            return date.fromisoformat(str(raw).strip()), None
        except ValueError:
            return None, Phrase("Tanggal tidak valid (gunakan format TTTT-BB-HH).")
    if not isinstance(raw, str):
        return None, Phrase("Harus berupa teks.")
    return raw.strip(), None


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict) and "sha256" in value:
        return "berkas"
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def _messages(error, fields: dict[str, Field]) -> list[tuple[str, str]]:
    v = error.validator
    if v == "required":
        missing = [p for p in error.validator_value if p not in error.instance]
        return [
            (
                name,
                Phrase("Berkas wajib diunggah.")
                if fields.get(name) and fields[name].is_file
                else Phrase("Wajib diisi."),
            )
            for name in missing
        ]
    name = str(error.absolute_path[0]) if error.absolute_path else "_form"
    f = fields.get(name)
    n = error.validator_value
    messages = {
        "minLength": Phrase("Minimal %(n)s karakter.", n=n),
        "maxLength": Phrase("Maksimal %(n)s karakter.", n=n),
        "pattern": Phrase("Format isian tidak sesuai."),
        "minimum": Phrase("Tidak boleh kurang dari %(n)s.", n=n),
        "maximum": Phrase("Tidak boleh lebih dari %(n)s.", n=n),
        "exclusiveMinimum": Phrase("Harus lebih dari %(n)s.", n=n),
        "exclusiveMaximum": Phrase("Harus kurang dari %(n)s.", n=n),
        "minItems": Phrase("Unggah paling sedikit %(n)s berkas.", n=n)
        if f and f.is_file
        else Phrase("Paling sedikit %(n)s isian.", n=n),
        "maxItems": Phrase("Paling banyak %(n)s berkas.", n=n)
        if f and f.is_file
        else Phrase("Paling banyak %(n)s isian.", n=n),
        "oneOf": Phrase("Pilihan tidak valid."),
        "enum": Phrase("Pilihan tidak valid."),
        "const": Phrase("Wajib dicentang.")
        if f and f.schema.get("type") == "boolean"
        else Phrase("Nilai tidak valid."),
        "format": Phrase("Format tidak valid."),
        "type": Phrase("Jenis isian tidak valid."),
    }
    return [(name, messages.get(v, Phrase("Isian tidak valid.")))]


_FORMAT_CHECKER = FormatChecker(formats=("date", "email"))


def validate(
    form: FormDef, raw: dict, current: dict, file_values: dict[str, object], file_errors: dict[str, str]
) -> dict:
    """Type and validate one submission. Returns the data to merge into the task.

    ``raw`` holds submitted values by field name; ``current`` the task data (prefill, readonly
    values, files already uploaded); ``file_values`` the placeholders of files that passed
    their checks. Raises ``ValidationFailed`` with an Indonesian message per field.
    """
    errors: dict[str, str] = dict(file_errors)
    data: dict = {}
    by_name = {f.name: f for f in form.fields}
    for f in form.fields:
        if f.readonly:
            if f.name in current:
                data[f.name] = current[f.name]
            continue
        if f.is_file:
            if f.name in file_values:
                data[f.name] = file_values[f.name]
            elif current.get(f.name):
                data[f.name] = current[f.name]
            continue
        value, error = _coerce(f, raw.get(f.name))
        if error:
            errors[f.name] = error
        elif value is not None:
            data[f.name] = value
    for f in form.fields:
        other = f.options.get("equals")
        if other and f.name in data and current.get(other) is not None and data[f.name] != current[other]:
            label = by_name[other].label_for(current[other]) if other in by_name else current[other]
            errors.setdefault(
                f.name,
                Phrase(
                    "Harus sama dengan %(field)s: %(value)s.", field=by_name.get(other, f).title.lower(), value=label
                ),
            )
    instance = {k: _json_value(v) for k, v in data.items()}
    validator = Draft202012Validator(form.schema, format_checker=_FORMAT_CHECKER)
    for error in validator.iter_errors(instance):
        for name, message in _messages(error, by_name):
            errors.setdefault(name, message)
    if errors:
        raise ValidationFailed(Phrase("Periksa kembali isian yang ditandai."), errors)
    return data
