/* A read-only BPMN diagram: pan and zoom, nothing to change. The diagram comes embedded in the page
   (a process version) or, on the public guide, is fetched with the viewer itself only when the
   reader opens it, so phones that never look at it do not download it. */
(function () {
  "use strict";
  var canvas = document.getElementById("canvas");
  var words = JSON.parse(document.getElementById("script-text").textContent);

  function show(xml) {
    var viewer = new BpmnJS({ container: canvas });
    viewer.importXML(xml).then(function () {
      var view = viewer.get("canvas");
      mark(viewer, view);
      view.zoom("fit-viewport");
      if (canvas.clientWidth < 600) {
        // A whole permit flow shrunk to a phone is unreadable: start at readable size at the first lane.
        var inner = view.viewbox().inner, scale = 0.6;
        view.viewbox({ x: inner.x - 10, y: inner.y - 10, width: canvas.clientWidth / scale,
                       height: canvas.clientHeight / scale });
      }
      document.body.dataset.viewerReady = "1";
    }).catch(function (error) {
      canvas.textContent = words.diagram_unshown.replace("{error}", error.message);
    });
  }

  // Tracking: the steps a file has passed and the one it is at, lit on the diagram.
  function mark(viewer, view) {
    var marks = canvas.dataset.marks ? JSON.parse(canvas.dataset.marks) : null;
    if (!marks) { return; }
    var registry = viewer.get("elementRegistry");
    [["done", "step-done"], ["current", "step-current"]].forEach(function (pair) {
      (marks[pair[0]] || []).forEach(function (id) {
        if (registry.get(id)) { view.addMarker(id, pair[1]); }
      });
    });
    var first = (marks.current || [])[0];
    if (first && registry.get(first) && canvas.clientWidth < 600) {
      view.scrollToElement(registry.get(first));
    }
  }

  function load(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url; script.onload = resolve; script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  var embedded = document.getElementById("diagram-xml");
  if (embedded) { show(JSON.parse(embedded.textContent)); return; }
  var holder = canvas.closest("details"), started = false;
  function start() {
    if (!holder.open || started) { return; }
    started = true;
    (canvas.dataset.styles || "").split(" ").filter(Boolean).forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet"; link.href = href; document.head.appendChild(link);
    });
    Promise.all([load(canvas.dataset.viewer), fetch(canvas.dataset.src).then(function (response) {
      if (!response.ok) { throw new Error(words.diagram_missing); }
      return response.text();
    })]).then(function (results) { show(results[1]); }).catch(function (error) {
      canvas.textContent = words.diagram_unshown.replace("{error}", error.message);
    });
  }
  holder.addEventListener("toggle", start);
  start();  // a diagram shown open from the start (tracking)
}());
