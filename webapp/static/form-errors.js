/* After a failed submit, focus moves to the summary of what to fix (a screen reader reads it once);
   each of its links moves to its field, opening the folded part the field sits in. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    var folded = target.closest("details");
    if (folded) { folded.open = true; }
    var input = target.matches("input, select, textarea, output") ? target : target.querySelector("input, select, textarea");
    target.scrollIntoView({ block: "center" });
    (input || target).focus({ preventScroll: true });
  });
})();
