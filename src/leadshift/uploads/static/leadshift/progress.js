// A background task's progress (an import): poll its status and reload the page when it has
// finished, which then shows the outcome.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-progress-url]");
    if (!box) return;
    var bar = box.querySelector(".meter span");
    var text = box.querySelector(".progress-text");
    function tick() {
      fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (bar) bar.style.width = s.percent + "%";
          if (text) text.textContent = (s.stage || "Waiting for a worker") + ": " + s.percent + " % done";
          if (s.status === "done" || s.status === "failed") { window.location.reload(); return; }
          setTimeout(tick, 400);
        })
        .catch(function () { setTimeout(tick, 1500); });
    }
    setTimeout(tick, 300);
  });
})();
