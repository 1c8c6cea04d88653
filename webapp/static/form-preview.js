/* The form editor's preview follows the text as it is typed: the server renders it (the same
   renderer applicants get) a moment after typing stops; the Pratinjau button still works without script. */
(function () {
  "use strict";
  var editor = document.getElementById("form-editor");
  var timer = null, sent = 0;
  function refresh() {
    var body = new FormData(editor), ticket = ++sent;
    body.set("aksi", "pratinjau");
    fetch(editor.action || window.location.href, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (ticket !== sent) { return; }  // a newer edit is already on its way
        var page = new DOMParser().parseFromString(html, "text/html");
        ["form-preview", "form-errors"].forEach(function (id) {
          var fresh = page.getElementById(id);
          if (fresh) { document.getElementById(id).innerHTML = fresh.innerHTML; }
        });
        document.body.dataset.previewCount = String(ticket);
      });
  }
  editor.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
}());
