"""The survey is answered by the applicant once the permit is handed over, once per file, without
their name; the index reads the period and permit types asked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from engine.feedback import survey
from engine.feedback.models import SurveyResponse
from tests.engine.feedback.test_ikm import ANSWERS
from tests.factories import issued as _handed_over
from tests.factories import submit


def _form(answers):
    return {f"unsur_{i}": str(a) for i, a in enumerate(answers, start=1)}


def test_the_applicant_answers_once_after_the_handover_and_the_index_counts_it(session, services, user):
    waiting = submit(session, services, user)
    with pytest.raises(Conflict):
        survey.answer(session, user("pemohon"), waiting.id, _form(ANSWERS[0]), "WIB")
    files = [_handed_over(session, services, user) for _ in ANSWERS]
    with pytest.raises(PermissionDenied):
        survey.answer(session, user("fo"), files[0].id, _form(ANSWERS[0]), "WIB")
    with pytest.raises(ValidationFailed) as refused:
        survey.answer(session, user("pemohon"), files[0].id, {"unsur_1": "4", "unsur_2": "5"}, "WIB")
    assert sorted(refused.value.errors) == [f"unsur_{i}" for i in range(2, 10)]
    for application, answers in zip(files, ANSWERS, strict=True):
        assert survey.open_for(session, application)
        survey.answer(session, user("pemohon"), application.id, {**_form(answers), "saran": "Loket ramah."}, "WIB")
    session.commit()
    assert not survey.open_for(session, files[0])
    with pytest.raises(Conflict):
        survey.answer(session, user("pemohon"), files[0].id, _form(ANSWERS[0]), "WIB")
    stored = session.scalars(select(SurveyResponse)).all()
    assert {r.answers[0] for r in stored} == {3, 4} and not hasattr(SurveyResponse, "user_id")

    month = stored[0].month
    report = survey.report(session, month, month)
    assert str(report.index.converted) == "84.03" and report.index.grade == "B" and report.comments[0] == "Loket ramah."
    assert survey.report(session, month, month, permit_types={files[0].permit_type_id + 999}).index is None
    assert survey.report(session, "2000-01", "2000-12").index is None


def test_at_the_kiosk_the_registration_number_and_the_niks_end_stand_for_signing_in(session, services, user):
    application = _handed_over(session, services, user)
    with pytest.raises(NotFound):
        survey.answer_at_kiosk(session, application.reg_number, "9999", _form(ANSWERS[0]), "WIB")
    with pytest.raises(NotFound):
        survey.answer_at_kiosk(session, "REK-1999-000001", "0001", _form(ANSWERS[0]), "WIB")
    response = survey.answer_at_kiosk(session, application.reg_number.lower(), "0001", _form(ANSWERS[0]), "WIB")
    assert response.application_id == application.id
    with pytest.raises(Conflict):
        survey.answer_at_kiosk(session, application.reg_number, "0001", _form(ANSWERS[0]), "WIB")
    session.rollback()
