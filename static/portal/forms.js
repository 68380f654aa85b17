/*
 * 绿色工厂培育与认定平台 — what every form of the portal does in the browser (greenfactory/forms.py prepares the
 * fields; the Content-Security-Policy forbids inline script, so everything hangs off data attributes):
 *
 *   <textarea data-maxchars="500" data-counter="…{used}…{limit}" data-counter-over="…{over}…">
 *                                   gets a live counter under it: “已输入 123 / 500 个字”, red past the limit.
 *                                   The limit comes from the server; nothing is ever cut: the server refuses text
 *                                   that is too long with a message, and the text stays in the field to shorten.
 *   .portal-error-summary a        a link in the summary of errors at the top moves the focus to its field.
 *
 * Characters are counted as the server counts them: by code point (𠀀 is one character, not two UTF-16 units), a
 * line break as one.
 */
(function () {
  "use strict";

  function length(text) {
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  function counterFor(field) {
    var id = field.id ? field.id + "_counter" : "";
    var existing = id && document.getElementById(id);
    if (existing) {
      return existing;
    }
    var counter = document.createElement("div");
    counter.className = "form-text portal-counter";
    if (id) {
      counter.id = id;
    }
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (id && described.indexOf(id) < 0) {
      described.push(id);
      field.setAttribute("aria-describedby", described.join(" "));
    }
    return counter;
  }

  function update(field) {
    var limit = parseInt(field.getAttribute("data-maxchars"), 10);
    if (!limit) {
      return;
    }
    var used = length(field.value);
    var counter = counterFor(field);
    var over = used > limit;
    // The wording comes from the server, translated: data-counter and data-counter-over.
    var template = field.getAttribute(over ? "data-counter-over" : "data-counter") || "{used} / {limit}";
    counter.textContent = template
      .replace("{used}", used)
      .replace("{limit}", limit)
      .replace("{over}", used - limit);
    counter.classList.toggle("text-danger", over);
    counter.classList.toggle("fw-semibold", over);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field && field.hasAttribute && field.hasAttribute("data-maxchars")) {
      update(field);
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".portal-error-summary a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    event.preventDefault();
    var focusable = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    target.scrollIntoView({ block: "center" });
    if (focusable) {
      focusable.focus({ preventScroll: true });
    }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + target.id);
    }
  });

  function init() {
    document.querySelectorAll("[data-maxchars]").forEach(update);
    var summary = document.querySelector(".portal-error-summary");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
