// Light progressive enhancement: everything works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Meters carry their share as data-width: the Content-Security-Policy forbids inline styles.
  document.querySelectorAll("[data-width]").forEach(function (el) {
    el.style.width = el.getAttribute("data-width") + "%";
  });

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
        // A checklist step: show the level the saved ticks give, computed by the server's rule.
        var level = form.querySelector("[data-checklist-level]");
        if (level && body.level) level.textContent = body.level + ". " + body.level_name;
        var why = form.querySelector("[data-checklist-explanation]");
        if (why && body.explanation) why.textContent = body.explanation;
      }).catch(function () {
        if (status) status.textContent = "Not saved — your answers will be saved when you continue.";
      });
    }
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 150); });
    form.addEventListener("input", function (e) {
      if (e.target.tagName === "TEXTAREA") { clearTimeout(timer); timer = setTimeout(save, 800); }
    });
  }

  // Follow a background allocation run: poll its status, show progress, reload when done.
  function poll(box) {
    var url = box.getAttribute("data-poll");
    var text = box.querySelector("[data-poll-text]");
    var bar = box.querySelector("[data-poll-bar]");
    function tick() {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
        if (s.status === "done" || s.status === "failed") { window.location.reload(); return; }
        if (s.total) {  // a sweep: variants done of all
          if (bar) bar.style.width = Math.round(100 * s.done / s.total) + "%";
          if (text) text.textContent = s.progress;
          setTimeout(tick, 700);
          return;
        }
        var share = Math.min(1, (s.elapsed || 0) / (s.time_limit || 1));
        if (bar) bar.style.width = Math.round(100 * share) + "%";
        if (text) {
          var parts = [Math.round(s.elapsed || 0) + " of " + Math.round(s.time_limit) + " s"];
          if (s.incumbent !== null && s.incumbent !== undefined) parts.push("best plan so far: value " + s.incumbent.toFixed(1));
          if (s.bound !== null && s.bound !== undefined) parts.push("bound " + s.bound.toFixed(1));
          text.textContent = "Solving: " + parts.join(" · ");
        }
        setTimeout(tick, 700);
      }).catch(function () { setTimeout(tick, 2000); });
    }
    tick();
  }

  // A destructive form asks in the page, in a dialog that names what happens, before it is
  // sent; the browser's own confirm box is easy to dismiss without reading.
  function askInPage(form) {
    form.addEventListener("submit", function (e) {
      var submitter = e.submitter || form.querySelector("[type=submit]");
      var asker = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
      if (!asker.hasAttribute("data-confirm") || form.dataset.confirmed === "yes") return;
      e.preventDefault();
      var dialog = document.createElement("dialog");
      dialog.className = "confirm-dialog";
      dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
      var title = document.createElement("h2");
      title.id = "confirm-dialog-title";
      title.textContent = asker.getAttribute("data-confirm");
      dialog.appendChild(title);
      var detail = asker.getAttribute("data-confirm-detail");
      if (detail) {
        var p = document.createElement("p");
        p.textContent = detail;
        dialog.appendChild(p);
      }
      var actions = document.createElement("div");
      actions.className = "actions";
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "button secondary";
      cancel.textContent = "Cancel";
      var go = document.createElement("button");
      go.type = "button";
      go.className = "button danger";
      go.textContent = asker.getAttribute("data-confirm-action") || (submitter ? submitter.textContent.trim() : "Continue");
      actions.appendChild(cancel);
      actions.appendChild(go);
      dialog.appendChild(actions);
      document.body.appendChild(dialog);
      cancel.addEventListener("click", function () { dialog.close(); });
      dialog.addEventListener("close", function () {
        dialog.remove();
        if (submitter && submitter.focus) submitter.focus();
      });
      go.addEventListener("click", function () {
        form.dataset.confirmed = "yes";
        dialog.close();
        if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
      });
      dialog.showModal();
      cancel.focus();
    });
  }

  // A table or chart wider than its place scrolls inside its own region; a keyboard user must
  // be able to reach it to scroll, and a screen reader to hear what it holds.
  function regionName(el) {
    var named = el.querySelector("caption, figcaption, svg > title");
    if (named && named.textContent.trim()) return named.textContent.trim();
    var section = el.closest("section, article, fieldset");
    var heading = section && section.querySelector("h1, h2, h3, legend");
    return heading ? heading.textContent.trim() : "Scrollable content";
  }
  function scrollRegions() {
    document.querySelectorAll(".table-wrap, .chart-wrap, main table").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        var added = ["tabindex"];
        el.setAttribute("tabindex", "0");
        if (!el.hasAttribute("aria-label")) {
          el.setAttribute("aria-label", regionName(el) + " (scrolls sideways)");
          added.push("aria-label");
        }
        if (!el.hasAttribute("role") && el.tagName !== "FIGURE" && el.tagName !== "TABLE") {
          el.setAttribute("role", "region");
          added.push("role");
        }
        el.setAttribute("data-scroll-region", added.join(" "));
      } else if (!scrolls && el.hasAttribute("data-scroll-region")) {
        el.getAttribute("data-scroll-region").split(" ").forEach(function (a) { el.removeAttribute(a); });
        el.removeAttribute("data-scroll-region");
      }
    });
  }

  // After a form comes back with errors, put the keyboard on the first field to fix (or on the
  // message, when no field is marked), so nobody has to hunt for what went wrong.
  function focusFirstError() {
    var field = document.querySelector(
      "main [aria-invalid='true'], main .has-error input:not([type=hidden]), main .has-error select, main .has-error textarea"
    );
    var message = document.querySelector("main [role='alert'], main .error-list, main p.error");
    var target = field || message;
    if (!target) return;
    if (!field && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  // A PDF takes a few seconds to render; behind a plain link nothing would show that it is on
  // its way, and a web process would be busy making it. Ask the task worker for it, show its
  // progress in the link's status (read out to screen readers), then hand it over, with a
  // link to download it again. Without a session's form token, fetch it whole instead.
  function pdfStatus(link) {
    var next = link.nextElementSibling;
    if (next && next.classList.contains("pdf-status")) return next;
    var status = document.createElement("span");
    status.className = "pdf-status";
    status.setAttribute("role", "status");
    link.insertAdjacentElement("afterend", status);
    return status;
  }
  function saveAs(url, name) {
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function showProgress(status, share, words) {
    status.textContent = "";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = share;
    bar.setAttribute("aria-label", "PDF progress");
    status.appendChild(bar);
    status.appendChild(document.createTextNode(" Preparing the PDF: " + share + "% · " + words));
  }
  function showReady(status, url, name) {
    status.textContent = "The PDF is ready: " + name + ". ";
    var again = document.createElement("a");
    again.href = url;
    again.download = name;
    again.textContent = "Download " + name;
    status.appendChild(again);
  }
  function pdfInline(link, status) {
    return fetch(link.href, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      var named = /filename="?([^";]+)"?/.exec(r.headers.get("Content-Disposition") || "");
      return r.blob().then(function (blob) { return [blob, named ? named[1] : link.href.split("/").pop()]; });
    }).then(function (got) {
      var url = URL.createObjectURL(got[0]);
      saveAs(url, got[1]);
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      status.textContent = "The PDF is ready: " + got[1] + ".";
    });
  }
  function pdfTask(link, status, token) {
    return fetch(link.href, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (first) {
      return new Promise(function (resolve, reject) {
        function follow(s) {
          if (s.status === "done") {
            saveAs(s.download_url, s.filename);
            showReady(status, s.download_url, s.filename);
            resolve();
            return;
          }
          if (s.status === "failed") { reject(new Error(s.error || "The PDF could not be made.")); return; }
          showProgress(status, s.progress || 0, s.stage || "waiting for a worker");
          setTimeout(function () {
            fetch(s.status_url, { credentials: "same-origin" }).then(function (r) {
              if (!r.ok) throw new Error(String(r.status));
              return r.json();
            }).then(follow, reject);
          }, 500);
        }
        follow(first);
      });
    });
  }
  function pdfWithProgress(link) {
    link.addEventListener("click", function (e) {
      if (!window.fetch || !window.URL || link.getAttribute("aria-busy") === "true") return;
      e.preventDefault();
      var label = link.textContent;
      var status = pdfStatus(link);
      var input = document.querySelector("input[name=csrfmiddlewaretoken]");
      link.setAttribute("aria-busy", "true");
      link.textContent = "Preparing the PDF…";
      status.textContent = "";
      (input ? pdfTask(link, status, input.value) : pdfInline(link, status)).catch(function (err) {
        // A failed rendering says why; a failed request (its status code) only that it failed.
        var said = err && err.message && !/^\d+$/.test(err.message) ? err.message : "";
        status.textContent = said || "The PDF could not be made just now. Try again in a moment.";
      }).then(function () {
        link.textContent = label;
        link.removeAttribute("aria-busy");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scrollRegions();
    focusFirstError();
    var resizing = null;
    window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(scrollRegions, 150); });
    document.querySelectorAll("[data-poll]").forEach(poll);
    document.querySelectorAll("form[data-autosave]").forEach(autosave);
    document.querySelectorAll("form[data-confirm], form:has([data-confirm])").forEach(askInPage);
    document.querySelectorAll('a[href$=".pdf"]').forEach(pdfWithProgress);
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("mainnav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // The bar's group menus: one open at a time, closed by a click elsewhere or Escape.
    var groups = document.querySelectorAll(".nav-group-toggle");
    function closeAll(except) {
      groups.forEach(function (b) { if (b !== except) b.setAttribute("aria-expanded", "false"); });
    }
    groups.forEach(function (button) {
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        closeAll(button);
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    document.addEventListener("click", function (e) {
      if (!e.target.closest || !e.target.closest(".nav-group")) closeAll(null);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      var open = document.querySelector(".nav-group-toggle[aria-expanded='true']");
      if (open) { closeAll(null); open.focus(); }
    });
  });
})();
