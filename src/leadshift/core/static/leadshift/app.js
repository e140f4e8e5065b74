// Light progressive enhancement: everything works without it.
(function () {
  "use strict";

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Save a wizard step as soon as an answer changes, so leaving the page loses nothing.
  function autosave(form) {
    var status = form.querySelector(".autosave-status");
    var timer = null;
    function save() {
      var data = new FormData(form);
      data.delete("go");
      if (status) status.textContent = "Saving…";
      fetch(form.action || window.location.href, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Autosave": "1", "X-CSRFToken": csrf(form) }
      }).then(function (r) { return r.json(); }).then(function (body) {
        if (status) status.textContent = body.saved ? "Saved" : (body.error || "Not saved");
      }).catch(function () {
        if (status) status.textContent = "Not saved — your answers will be saved when you continue.";
      });
    }
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 150); });
    form.addEventListener("input", function (e) {
      if (e.target.tagName === "TEXTAREA") { clearTimeout(timer); timer = setTimeout(save, 800); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(autosave);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
      });
    });
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("mainnav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });
})();
