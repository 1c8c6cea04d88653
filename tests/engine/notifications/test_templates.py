"""The admin rewords notices; a template can name the event's facts and nothing else of the system."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.core.errors import PermissionDenied, ValidationFailed
from engine.notifications import templates, wordings
from engine.notifications.models import Notification
from engine.notifications.notices import notify


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ nama.__class__.__base__ }}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
        "{{ self._TemplateReference__context }}",
        "{{ config }}",
        "{{ request }}",
        "{{ lipsum.__globals__ }}",
    ],
)
def test_a_template_that_reaches_beyond_its_facts_is_refused(session, user, attack):
    with pytest.raises(ValidationFailed) as refused:
        templates.save_template(session, user("admin"), "skrd", "id", "SKRD {{ skrd_nomor }}", attack, "SKRD")
    assert "isi" in refused.value.errors
    session.rollback()


def test_unknown_names_and_broken_syntax_are_refused_with_the_names_available(session, user):
    with pytest.raises(ValidationFailed) as refused:
        templates.save_template(
            session, user("admin"), "skrd", "id", "SKRD {{ nomor_skrd }}", "Isi {% if %}", "x" * 500
        )
    errors = refused.value.errors
    assert "skrd_nomor" in errors["subjek"] and "jatuh_tempo" in errors["subjek"]
    assert "baris 1" in errors["isi"] and "480" in errors["singkat"]


def test_only_the_admin_rewords(session, user):
    with pytest.raises(PermissionDenied):
        templates.save_template(session, user("fo"), "skrd", "id", "a", "b", "c")


def test_a_reworded_template_is_used_and_can_be_reset(session, user):
    admin = user("admin")
    templates.save_template(
        session,
        admin,
        "diterima",
        "id",
        "Berkas {{ nomor }} masuk",
        "Halo {{ nama }}, berkas {{ izin }} nomor {{ nomor }} kami terima.",
        "{{ nomor }} diterima",
    )
    session.commit()
    notice = notify(
        session, user("pemohon"), "diterima", "uji-1", {"nama": "Budi", "nomor": "REK-1", "izin": "Izin Reklame"}
    )
    assert (notice.title, notice.message) == (
        "Berkas REK-1 masuk",
        "Halo Budi, berkas Izin Reklame nomor REK-1 kami terima.",
    )
    assert ("diterima", "id") in templates.edited(session)
    templates.reset_template(session, admin, "diterima", "id")
    session.commit()
    again = notify(
        session, user("pemohon"), "diterima", "uji-2", {"nama": "Budi", "nomor": "REK-2", "izin": "Izin Reklame"}
    )
    assert again.title == "Permohonan REK-2 telah kami terima"
    session.commit()
    assert len(session.scalars(select(Notification).where(Notification.kind == "diterima")).all()) == 2


def test_every_built_in_template_renders_in_both_languages_within_sms_length():
    for event in wordings.EVENTS:
        facts = templates.sample_facts(event)
        for language in wordings.LANGUAGES:
            wording = wordings.EVENTS[event].wording[language]
            short = templates._render(wording.short, facts)
            assert short and len(short) <= wordings.SMS_LIMIT
            assert templates._render(wording.body, facts) and templates._render(wording.subject, facts)
