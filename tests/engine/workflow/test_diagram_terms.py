"""How a diagram's XML is read: nothing expanded or fetched, a broken file is a finding, and the
code a diagram carries is listed under the element that holds it."""

from __future__ import annotations

from engine.workflow.diagram_terms import code_in, nearest_id, read_xml

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:scriptTask id="hitung"><bpmn:script>retribusi = luas * 30000</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="ke_teknis" sourceRef="a" targetRef="b">
      <bpmn:conditionExpression>lengkap == True</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_broken_or_hostile_file_is_a_finding_and_nothing_is_expanded():
    findings = []
    assert read_xml("rusak.bpmn", "<bpmn:definitions", findings) is None
    assert findings[0][0] == "rusak.bpmn" and findings[0][1].startswith("XML tidak valid")
    hostile = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'
    root = read_xml("a.bpmn", hostile, [])
    assert root is None or "root:" not in "".join(root.itertext())


def test_the_code_a_diagram_carries_is_listed_under_its_element():
    assert code_in({"proses.bpmn": BPMN, "forms/a.schema.json": "{}"}) == [
        ("hitung", "skrip", "retribusi = luas * 30000"),
        ("ke_teknis", "kondisi", "lengkap == True"),
    ]
    root = read_xml("proses.bpmn", BPMN, [])
    script = next(el for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("}script"))
    assert nearest_id(script) == "hitung"
