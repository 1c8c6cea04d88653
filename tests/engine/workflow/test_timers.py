"""BPMN timers never read the machine's clock: a duration is counted from the step's "now", and a
timer fires only when the sweep's rule says it is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from engine.workflow import runtime
from engine.workflow.specs import parse_bundle

WAIT = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="tunggu" isExecutable="true">
    <bpmn:startEvent id="mulai"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="jeda" name="Tunggu dua jam">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition id="t1"><bpmn:timeDuration>"PT2H"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="lanjut" name="Lanjut"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="selesai"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="mulai" targetRef="jeda" />
    <bpmn:sequenceFlow id="f2" sourceRef="jeda" targetRef="lanjut" />
    <bpmn:sequenceFlow id="f3" sourceRef="lanjut" targetRef="selesai" />
  </bpmn:process>
</bpmn:definitions>"""
START = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


def _as_is(nominal, armed, now):
    return nominal, False


def test_a_duration_counts_from_the_steps_now_and_fires_only_when_the_sweep_says_so():
    parsed = parse_bundle({"tunggu.bpmn": WAIT}, lint=False)
    with time_machine.travel(datetime(2031, 1, 1, tzinfo=UTC), tick=False):  # the machine is years off
        workflow = runtime.new_workflow(parsed, START)
        assert runtime.next_timer(workflow, _as_is, START) == START + timedelta(hours=2)
        assert runtime.ready_user_tasks(workflow) == []
        assert runtime.fire_timers(workflow, _as_is, START + timedelta(hours=1, minutes=59)) == []
        assert runtime.fire_timers(workflow, _as_is, START + timedelta(hours=2)) == ["jeda"]
    assert [t.spec_name for t in runtime.ready_user_tasks(workflow)] == ["lanjut"]


def test_a_waiting_timer_survives_saving_and_loading_with_its_arming_time():
    parsed = parse_bundle({"tunggu.bpmn": WAIT}, lint=False)
    workflow = runtime.load(runtime.dump(runtime.new_workflow(parsed, START)), parsed)
    seen_armed = []

    def rule(nominal, armed, now):
        seen_armed.append(armed)
        return nominal, False

    assert runtime.next_timer(workflow, rule, START) == START + timedelta(hours=2)
    assert seen_armed == [START]


BOMB_AFTER_TIMER = (
    WAIT.replace(
        '<bpmn:userTask id="lanjut" name="Lanjut">',
        '<bpmn:scriptTask id="hitung" name="Hitung"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f2b</bpmn:outgoing>'
        '<bpmn:script>besar = "a" * (10 ** pangkat)</bpmn:script></bpmn:scriptTask>'
        '<bpmn:sequenceFlow id="f2b" sourceRef="hitung" targetRef="lanjut" />'
        '<bpmn:userTask id="lanjut" name="Lanjut">',
    )
    .replace(
        '<bpmn:sequenceFlow id="f2" sourceRef="jeda" targetRef="lanjut" />',
        '<bpmn:sequenceFlow id="f2" sourceRef="jeda" targetRef="hitung" />',
    )
    .replace(
        "<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>",
        "<bpmn:incoming>f2b</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>",
    )
)


def test_a_bomb_reached_when_the_sweep_fires_a_timer_is_a_clear_error_not_a_hang():
    from engine.core.errors import EngineError
    from engine.workflow.runtime import ProcessRunError

    parsed = parse_bundle({"bom.bpmn": BOMB_AFTER_TIMER}, lint=False)  # as if stored before any check
    workflow = runtime.new_workflow(parsed, START)
    workflow.data["pangkat"] = 10  # task data, so no check at load time could see it
    for task in workflow.get_tasks():
        task.data["pangkat"] = 10
    try:
        runtime.fire_timers(workflow, _as_is, START + timedelta(hours=2))
    except ProcessRunError as exc:
        assert isinstance(exc, EngineError)  # what the sweep catches per application, going on with the rest
        assert "hitung" in exc.message and "terlalu besar" in exc.message
    else:
        raise AssertionError("the bomb ran")
