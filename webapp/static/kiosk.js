// The kiosk goes back to its start page after a while untouched (data-idle seconds; 0: never), and
// the queue board reloads itself (data-refresh seconds).
(function () {
  "use strict";
  var body = document.body, idle = parseInt(body.dataset.idle || "0", 10), timer = null;
  function home() { window.location.href = body.dataset.home; }
  function arm() {
    if (!idle) { return; }
    clearTimeout(timer);
    timer = setTimeout(home, idle * 1000);
  }
  ["pointerdown", "keydown", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true });
  });
  arm();
  var board = document.querySelector("[data-refresh]");
  if (board) { setTimeout(function () { window.location.reload(); }, parseInt(board.dataset.refresh, 10) * 1000); }
  body.dataset.kioskReady = "1";
}());
