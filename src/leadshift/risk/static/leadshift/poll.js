// A running job's progress: poll its status and reload the page when it has finished.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-poll-url]");
    if (!box) return;
    var bar = box.querySelector(".meter span");
    var text = box.querySelector(".progress-text");
    function tick() {
      fetch(box.getAttribute("data-poll-url"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (bar) bar.style.width = s.percent + "%";
          // The trials asked for, not the internal runs: a mitigation or a risk-adjusted plan
          // passes over the same trials more than once.
          if (text) {
            var passes = s.trials ? Math.round(s.total / s.trials) : 1;
            text.textContent = (s.stage ? s.stage + ": " : "") + s.percent + " % done · " + (s.trials || s.total).toLocaleString() + " trials" + (passes > 1 ? ", " + passes + " passes over them" : "");
          }
          if (s.status === "done" || s.status === "failed") { window.location.reload(); return; }
          setTimeout(tick, 400);
        })
        .catch(function () { setTimeout(tick, 1500); });
    }
    setTimeout(tick, 300);
  });
})();
