/* The process diagram editor: bpmn-js with a properties panel for what the engine reads
   (lane role, user task form and stage, script, decision table, flow condition, timer). */
(function () {
  "use strict";
  var SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core";
  // A moddle description of the SpiffWorkflow extension elements, so new ones can be created.
  var spiffModdle = {
    name: "SpiffWorkflow", uri: SPIFF, prefix: "spiffworkflow", xml: { tagAlias: "lowerCase" },
    types: [
      { name: "Properties", superClass: ["Element"], properties: [
        { name: "properties", type: "Property", isMany: true }] },
      { name: "Property", superClass: ["Element"], properties: [
        { name: "name", isAttr: true, type: "String" }, { name: "value", isAttr: true, type: "String" }] },
      { name: "CalledDecisionId", superClass: ["Element"], properties: [
        { name: "value", isBody: true, type: "String" }] },
      { name: "InstructionsForEndUser", superClass: ["Element"], properties: [
        { name: "value", isBody: true, type: "String" }] },
      { name: "PreScript", superClass: ["Element"], properties: [{ name: "value", isBody: true, type: "String" }] },
      { name: "PostScript", superClass: ["Element"], properties: [{ name: "value", isBody: true, type: "String" }] }
    ]
  };
  var editor = JSON.parse(document.getElementById("editor-data").textContent);
  var words = JSON.parse(document.getElementById("script-text").textContent);
  // bpmn-js's own words (palette, context pad, replace menu) in the page's language.
  function translate(template, replacements) {
    var text = editor.words[template] || template;
    return text.replace(/{([^}]+)}/g, function (whole, key) {
      return replacements && key in replacements ? replacements[key] : whole;
    });
  }
  var modeler = new BpmnJS({
    container: "#canvas", moddleExtensions: { spiffworkflow: spiffModdle },
    additionalModules: [{ translate: ["value", translate] }]
  });
  var moddle = modeler.get("moddle");
  var modeling = modeler.get("modeling");
  var selected = null;
  window.processModeler = modeler;

  function $(id) { return document.getElementById(id); }
  function fill(select, items) {
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.value; option.textContent = item.label; select.appendChild(option);
    });
  }
  fill($("prop-role"), editor.roles.map(function (r) { return { value: r.lane, label: r.label + " (" + r.lane + ")" }; }));
  fill($("prop-form-ref"), editor.forms.map(function (f) { return { value: f, label: f }; }));
  fill($("prop-decision"), editor.decisions.map(function (d) { return { value: d, label: d }; }));
  fill($("prop-document"), editor.documents);
  fill($("prop-clock"), editor.clockStops);
  fill($("prop-outcome"), editor.outcomes);

  function extensions(bo) {
    if (!bo.extensionElements) {
      bo.extensionElements = moddle.create("bpmn:ExtensionElements", { values: [] });
      bo.extensionElements.$parent = bo;
    }
    return bo.extensionElements;
  }
  function findExtension(bo, type) {
    var values = (bo.extensionElements && bo.extensionElements.values) || [];
    for (var i = 0; i < values.length; i++) { if (values[i].$instanceOf(type)) { return values[i]; } }
    return null;
  }
  function propertyOf(bo, name) {
    var holder = findExtension(bo, "spiffworkflow:Properties");
    var found = holder && (holder.properties || []).filter(function (p) { return p.name === name; })[0];
    return found ? found.value : "";
  }
  function setProperty(bo, name, value) {
    var holder = findExtension(bo, "spiffworkflow:Properties");
    if (!holder) {
      holder = moddle.create("spiffworkflow:Properties", { properties: [] });
      holder.$parent = extensions(bo); extensions(bo).values.push(holder);
    }
    holder.properties = (holder.properties || []).filter(function (p) { return p.name !== name; });
    if (value) { holder.properties.push(moddle.create("spiffworkflow:Property", { name: name, value: value })); }
  }
  function timerDefinition(bo) {
    return (bo.eventDefinitions || []).filter(function (d) { return d.$type === "bpmn:TimerEventDefinition"; })[0];
  }
  function kindOf(element) {
    var bo = element.businessObject;
    if (bo.$type === "bpmn:Lane") { return "lane"; }
    if (bo.$type === "bpmn:UserTask") { return "user"; }
    if (bo.$type === "bpmn:ScriptTask") { return "script"; }
    if (bo.$type === "bpmn:BusinessRuleTask") { return "rule"; }
    if (bo.$type === "bpmn:SequenceFlow") { return "flow"; }
    if (bo.$type === "bpmn:EndEvent") { return "end"; }
    if (timerDefinition(bo)) { return "timer"; }
    return "other";
  }

  // The stage's target days live in the SLA policy (Waktu Layanan); show the one this stage has.
  function showStageTarget() {
    var stage = $("prop-stage").value.trim(), days = editor.stageTargets[stage];
    $("prop-stage-target").textContent = !stage ? "" : days ?
      words.stage_target.replace("{days}", days) : words.stage_without_target;
  }
  $("prop-stage").addEventListener("input", showStageTarget);

  function show(element) {
    selected = element;
    var empty = !element || element.type === "bpmn:Process" || element.type === "bpmn:Collaboration";
    $("prop-empty").hidden = !empty; $("prop-form").hidden = empty;
    if (empty) { return; }
    var bo = element.businessObject, kind = kindOf(element);
    $("prop-id").textContent = bo.id; $("prop-type").textContent = bo.$type.replace("bpmn:", "");
    document.querySelectorAll("#prop-form [data-for]").forEach(function (el) {
      el.hidden = el.dataset.for.split(" ").indexOf(kind) < 0;
    });
    $("prop-deemed-error").hidden = true;
    $("prop-name").value = bo.name || "";
    $("prop-role").value = kind === "lane" ? (bo.name || "") : "";
    $("prop-form-ref").value = propertyOf(bo, "formJsonSchemaFilename");
    $("prop-stage").value = propertyOf(bo, "stage");
    showStageTarget();
    $("prop-document").value = propertyOf(bo, "document");
    $("prop-signature").checked = propertyOf(bo, "signature") === "true";
    $("prop-clock").value = propertyOf(bo, "clockStop");
    $("prop-deemed").value = propertyOf(bo, "deemedApproval");
    $("prop-outcome").value = propertyOf(bo, "outcome");
    $("prop-script").value = bo.script || "";
    var decision = findExtension(bo, "spiffworkflow:CalledDecisionId");
    $("prop-decision").value = decision ? decision.value : "";
    $("prop-condition").value = bo.conditionExpression ? bo.conditionExpression.body : "";
    var timer = timerDefinition(bo), expression = timer && (timer.timeDate || timer.timeDuration || timer.timeCycle);
    $("prop-timer").value = expression ? expression.body : "";
  }

  $("prop-apply").addEventListener("click", function () {
    if (!selected) { return; }
    var bo = selected.businessObject, kind = kindOf(selected);
    var deemed = $("prop-deemed").value.trim();
    if (kind === "user" && deemed) {
      var parsed = null;
      try { parsed = JSON.parse(deemed); } catch (ignored) { parsed = null; }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        $("prop-deemed-error").textContent = words.deemed_not_json;
        $("prop-deemed-error").hidden = false;
        return;  // nothing applied: the admin corrects the text first
      }
    }
    var changes = { name: kind === "lane" && $("prop-role").value ? $("prop-role").value : $("prop-name").value };
    if (kind === "user") {
      var form = $("prop-form-ref").value;
      setProperty(bo, "formJsonSchemaFilename", form);
      setProperty(bo, "formUiSchemaFilename", form ? form.replace(".schema.json", ".uischema.json") : "");
      setProperty(bo, "stage", $("prop-stage").value.trim());
      setProperty(bo, "document", $("prop-document").value);
      setProperty(bo, "signature", $("prop-signature").checked ? "true" : "");
      setProperty(bo, "clockStop", $("prop-clock").value);
      setProperty(bo, "deemedApproval", deemed);
    } else if (kind === "script") {
      changes.script = $("prop-script").value; changes.scriptFormat = "python";
      setProperty(bo, "document", $("prop-document").value);
    } else if (kind === "end") {
      setProperty(bo, "outcome", $("prop-outcome").value);
    } else if (kind === "rule") {
      var called = findExtension(bo, "spiffworkflow:CalledDecisionId");
      if (!called) {
        called = moddle.create("spiffworkflow:CalledDecisionId", {});
        called.$parent = extensions(bo); extensions(bo).values.push(called);
      }
      called.value = $("prop-decision").value;
    } else if (kind === "flow") {
      var text = $("prop-condition").value.trim();
      changes.conditionExpression = text ? moddle.create("bpmn:FormalExpression", { body: text }) : undefined;
    } else if (kind === "timer") {
      var timer = timerDefinition(bo), key = timer.timeDate ? "timeDate" : timer.timeCycle ? "timeCycle" : "timeDuration";
      timer[key] = moddle.create("bpmn:FormalExpression", { body: $("prop-timer").value.trim() });
    }
    if (bo.extensionElements) { changes.extensionElements = bo.extensionElements; }
    modeling.updateProperties(selected, changes);
    show(selected);
  });

  modeler.on("selection.changed", function (event) { show(event.newSelection[0] || null); });
  modeler.importXML(JSON.parse(document.getElementById("diagram-xml").textContent)).then(function () {
    modeler.get("canvas").zoom("fit-viewport");
    linkFindings();
    $("save-button").disabled = false;  // never save an editor that failed to load: it would be empty
    document.body.dataset.modelerReady = "1";
  }).catch(function (error) {
    $("canvas").textContent = words.diagram_unshown.replace("{error}", error.message);
  });

  // A finding names its element: clicking it selects and centres that element.
  function linkFindings() { document.querySelectorAll(".findings li[data-element]").forEach(function (item) {
    var element = modeler.get("elementRegistry").get(item.dataset.element);
    if (!element) { return; }
    item.classList.add("clickable"); item.tabIndex = 0;
    function focus() {
      modeler.get("selection").select(element);
      modeler.get("canvas").scrollToElement(element);
      // Smooth only for those who have not asked for less motion; a menu opened mid-scroll lands off screen.
      var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      $("canvas").scrollIntoView({ behavior: still ? "auto" : "smooth", block: "center" });
    }
    item.addEventListener("click", focus);
    item.addEventListener("keydown", function (event) { if (event.key === "Enter") { focus(); } });
  }); }

  $("save-form").addEventListener("submit", function (event) {
    if ($("bpmn-field").value) { return; }
    event.preventDefault();
    modeler.saveXML({ format: true }).then(function (result) {
      $("bpmn-field").value = result.xml;
      $("save-form").submit();
    });
  });
}());
