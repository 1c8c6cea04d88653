/* A read-only view of a published process version: pan and zoom, nothing to change. */
(function () {
  "use strict";
  var canvas = document.getElementById("canvas");
  var viewer = new BpmnJS({ container: canvas });
  viewer.importXML(JSON.parse(document.getElementById("diagram-xml").textContent)).then(function () {
    viewer.get("canvas").zoom("fit-viewport");
    document.body.dataset.viewerReady = "1";
  }).catch(function (error) {
    canvas.textContent = "Diagram tidak dapat ditampilkan: " + error.message;
  });
}());
