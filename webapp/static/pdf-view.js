/* Documents open on the page: pdf.js draws each page of a PDF (a picture is shown as it is) in a
   dialog over the file, so the front office checks an application's files without downloading each
   one; a draft to sign is drawn the same way in its place on the task page. Without script, every
   link still opens the file itself. */
(function () {
  "use strict";
  var config = document.getElementById("pdf-view-script").dataset;
  var library = null;
  var words = JSON.parse(document.getElementById("script-text").textContent);

  function pdfjs() {
    if (!library) {
      library = import(config.pdfjs).then(function (lib) {
        lib.GlobalWorkerOptions.workerSrc = config.worker;
        return lib;
      });
    }
    return library;
  }

  function say(target, text) {
    var p = document.createElement("p");
    p.className = "muted";
    p.textContent = text;
    target.replaceChildren(p);
  }

  async function draw(target, response, label) {
    if (!response.ok) { say(target, words.document_unopened.replace("{status}", response.status)); return; }
    var type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    var bytes = await response.arrayBuffer();
    target.replaceChildren();
    if (type.indexOf("image/") === 0) {
      var img = new Image();
      img.src = URL.createObjectURL(new Blob([bytes], { type: type }));
      img.alt = label;
      target.append(img);
      target.dataset.pages = "1";
      return;
    }
    if (type !== "application/pdf") { say(target, words.document_kind); return; }
    var lib = await pdfjs();
    var doc = await lib.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: config.fonts }).promise;
    var width = Math.max(target.clientWidth - 2, 280), ratio = window.devicePixelRatio || 1;
    for (var n = 1; n <= doc.numPages; n++) {
      var page = await doc.getPage(n);
      var viewport = page.getViewport({ scale: (width / page.getViewport({ scale: 1 }).width) * ratio });
      var canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", label + ", halaman " + n + " dari " + doc.numPages);
      target.append(canvas);
      await page.render({ canvas: canvas, viewport: viewport }).promise;
    }
    target.dataset.pages = String(doc.numPages);
  }

  function load(target, url, label, init) {
    delete target.dataset.pages;
    say(target, words.document_loading);
    return fetch(url, Object.assign({ credentials: "same-origin" }, init || {}))
      .then(function (response) { return draw(target, response, label); })
      .catch(function () { say(target, words.document_undrawable); });
  }

  // The dialog for a file's documents, made once.
  var dialog = null;
  function viewer() {
    if (dialog) { return dialog; }
    dialog = document.createElement("dialog");
    dialog.className = "doc-viewer";
    dialog.setAttribute("aria-labelledby", "doc-viewer-title");
    dialog.innerHTML = '<header><h2 id="doc-viewer-title"></h2><a class="download">Unduh</a>' +
      '<button type="button" class="close">Tutup</button></header><div class="pages"></div>';
    dialog.querySelector(".close").addEventListener("click", function () { dialog.close(); });
    document.body.append(dialog);
    return dialog;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-view]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
    event.preventDefault();
    var box = viewer(), label = link.dataset.title || link.textContent.trim();
    box.querySelector("h2").textContent = label;
    box.querySelector(".download").href = link.dataset.download || link.href;
    box.showModal();
    load(box.querySelector(".pages"), link.href, label);
  });

  // A draft to sign: drawn where it stands; "Perbarui draf" draws it again with what the form holds.
  document.querySelectorAll("[data-draft]").forEach(function (target) {
    var label = target.dataset.title;
    load(target, target.dataset.draft, label);
    var again = document.querySelector('[data-redraw="' + target.id + '"]');
    if (!again) { return; }
    again.addEventListener("click", function (event) {
      event.preventDefault();
      var body = new FormData(again.form);
      Array.from(body.keys()).forEach(function (key) { if (body.get(key) instanceof File) { body.delete(key); } });
      body.delete("passphrase");
      load(target, target.dataset.draft, label, { method: "POST", body: body });
    });
  });
})();
