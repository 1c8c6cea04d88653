"""Named counters: consecutive values per key, never the same value twice under concurrent use."""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from engine.core.numbers import next_value


def test_a_new_key_starts_at_one_and_each_key_counts_on_its_own(session):
    assert [next_value(session, "uji/a") for _ in range(3)] == [1, 2, 3]
    assert next_value(session, "uji/b") == 1
    session.commit()
    assert next_value(session, "uji/a") == 4


def test_concurrent_writers_never_get_the_same_number(engine):
    taken, errors, start = [], [], threading.Barrier(4)

    def take():
        start.wait()
        for _ in range(10):
            with Session(engine) as session:
                try:
                    taken.append(next_value(session, "uji/serentak"))
                    session.commit()
                except Exception as exc:  # noqa: BLE001 - reported below, never swallowed
                    errors.append(exc)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == list(range(1, 41))


def test_a_whole_number_is_written_with_the_digits_0_to_9_only():
    from engine.core.numbers import is_whole_number

    assert is_whole_number("0") and is_whole_number("2026")
    # str.isdigit takes these, and int() refuses the first or reads the others as numbers nobody typed.
    assert not any(is_whole_number(text) for text in ("¹", "²³", "٣", "１２", "", " 1", "1.5", "-1"))
