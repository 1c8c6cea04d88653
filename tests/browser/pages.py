"""Helpers that act on pages as a person would: log in, find a labelled field, fill a task form."""

from __future__ import annotations

import os
from pathlib import Path

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
DEMO_PASSWORD = "demo12345"


def field(page, name):
    """The form control of a field, after checking a visible label is tied to it (for screen readers)."""
    label = page.locator(f'label[for="f-{name}"]')
    assert label.count() == 1 and label.inner_text().strip()
    return page.locator(f"#f-{name}")


def login(page, base, email):
    page.goto(f"{base}/masuk")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.locator("nav").get_by_text("Keluar").wait_for()


def fill_form(page, values: dict, files: dict[str, list[Path]]) -> None:
    """Fill whichever of ``values``/``files`` the page's task form asks for, by control type."""
    form = page.locator("form.task-form")
    for name, value in values.items():
        controls = form.locator(f'[name="{name}"]')
        if controls.count() == 0:
            continue
        kind = controls.first.evaluate("e => e.type")
        if kind == "radio":
            form.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind == "checkbox":
            controls.first.set_checked(value in ("true", True))
        elif kind == "select-one":
            controls.first.select_option(value)
        else:
            controls.first.fill(str(value))
    for name, paths in files.items():
        control = form.locator(f'input[type=file][name="{name}"]')
        if control.count():
            control.set_input_files([str(p) for p in paths])
