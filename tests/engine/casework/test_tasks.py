"""What completing a task costs the database: pinned, so a change that adds statements to every
step of every file fails here rather than in production."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.casework.tasks import complete_task
from tests.factories import HAPPY, open_item, submit, work
from tests.statements import counted

# Read the task with its file, version, type, open tasks, clock, pauses and whether the force majeure
# windows changed (one query); write the file (optimistic lock), the task, the audit row, the next task.
STEP_STATEMENTS = 5


def test_completing_a_step_sends_a_fixed_few_statements(engine, session, services, user):
    for _ in range(2):  # the second file: forms and specs are cached by then, as in a running server
        application = submit(session, services, user)
        work(session, services, user, application)  # the front office's check: the clock starts
        item_id = open_item(session, application).id
        with Session(engine) as fresh:  # as a request holds it: nothing loaded but the officer
            officer = fresh.get(User, user("teknis").id)
            officer.role_names
            with counted(engine) as sent:
                complete_task(fresh, services, item_id, officer, dict(HAPPY["jadwal_survei"][0]))
                fresh.commit()
    assert len(sent) <= STEP_STATEMENTS, "\n".join(sent)
    assert not [s for s in sent if s.startswith("UPDATE work_items SET due_at")], "the new task is written once"
