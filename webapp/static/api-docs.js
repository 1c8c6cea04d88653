/* The API reference page: Swagger UI (from npm) drawing the OpenAPI document served beside it. */
(function () {
  "use strict";
  var target = document.getElementById("api-reference");
  window.SwaggerUIBundle({ url: target.dataset.spec, domNode: target, deepLinking: true,
    onComplete: function () { document.body.dataset.referenceReady = "1"; } });
})();
