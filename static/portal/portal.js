/*
 * 绿色工厂培育与认定平台 — the portal's only own script.
 *
 * The Content-Security-Policy forbids inline script and inline event handlers, so every behaviour a template needs
 * is declared with a data attribute and handled here by delegation on the document:
 *
 *   <form data-confirm="确认……？">        asks before submitting; nothing is sent when the user says no.
 *   <button type="submit" data-confirm="…">  the same for one button of a form (overrides the form's message).
 *   <button data-confirm-dirty="…">       the message asked instead when the form was changed since the page loaded
 *                                         (what the page said about the saved data may no longer hold).
 *   [data-dirty-note] inside a form        shown (hidden removed) once the form is changed.
 *   <form method="post">                  is sent once: its submit buttons are disabled after the first submission.
 *   <form data-allow-resubmit>            opts out (for example a POST that answers with a file download).
 *   <form data-autosubmit> / <select data-autosubmit>   submits as soon as a choice changes (language switch).
 *   [data-bs-toggle="tooltip"]            gets a Bootstrap tooltip when Bootstrap's script is present.
 *   <i class="bi bi-…">                   without a label is marked decorative (aria-hidden), so the icon font's
 *                                         private-use glyph does not end up in a button's or link's accessible name.
 */
(function () {
  "use strict";

  var LOCKED = "portalLocked";
  var DIRTY = "portalDirty";

  function markDirty(event) {
    var form = event.target && event.target.form;
    if (!form || form.dataset[DIRTY]) {
      return;
    }
    form.dataset[DIRTY] = "true";
    form.querySelectorAll("[data-dirty-note]").forEach(function (note) {
      note.hidden = false;
    });
  }

  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);

  function methodOf(form, submitter) {
    var method = (submitter && submitter.getAttribute("formmethod")) || form.getAttribute("method") || "get";
    return method.toLowerCase();
  }

  function submitButtons(form) {
    // form.elements also holds buttons placed outside the form with form="…".
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.type === "submit";
    });
  }

  function lock(form) {
    form.dataset[LOCKED] = "true";
    form.setAttribute("aria-busy", "true");
    form.classList.add("is-submitting");
    submitButtons(form).forEach(function (button) {
      if (!button.disabled) {
        button.dataset[LOCKED] = "true";
        button.disabled = true;
      }
    });
  }

  function unlock(form) {
    delete form.dataset[LOCKED];
    form.removeAttribute("aria-busy");
    form.classList.remove("is-submitting");
    submitButtons(form).forEach(function (button) {
      if (button.dataset[LOCKED]) {
        delete button.dataset[LOCKED];
        button.disabled = false;
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) {
      return;
    }
    // A second submission (double click, Enter pressed twice) of a form already on its way is dropped.
    if (form.dataset[LOCKED]) {
      event.preventDefault();
      return;
    }
    var submitter = event.submitter || null;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (submitter && form.dataset[DIRTY] && submitter.hasAttribute("data-confirm-dirty")) {
      message = submitter.getAttribute("data-confirm-dirty");
    }
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    if (methodOf(form, submitter) !== "post" || form.hasAttribute("data-allow-resubmit")) {
      return;
    }
    form.dataset[LOCKED] = "true";
    // Disable the buttons only after the browser has collected the form's data: a button disabled now would drop
    // its own name=value (the submitter) from the request. If another handler cancelled the submission, undo.
    window.setTimeout(function () {
      if (event.defaultPrevented) {
        unlock(form);
      } else {
        lock(form);
      }
    }, 0);
  });

  // Coming back with the browser's Back button may restore the page as it was left: buttons disabled.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form").forEach(unlock);
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    var form = field && field.form;
    if (!form) {
      return;
    }
    var wanted =
      field.hasAttribute("data-autosubmit") ||
      (form.hasAttribute("data-autosubmit") && field.matches("select, input[type=checkbox], input[type=radio]"));
    if (!wanted) {
      return;
    }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(); // fires "submit", so the handlers above apply
    } else {
      form.submit();
    }
  });

  function initTooltips() {
    var bootstrap = window.bootstrap;
    if (!bootstrap || !bootstrap.Tooltip) {
      return;
    }
    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (element) {
      bootstrap.Tooltip.getOrCreateInstance(element);
    });
  }

  function hideDecorativeIcons() {
    document.querySelectorAll("i.bi:not([aria-hidden]):not([aria-label]):not([role])").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
    });
  }

  function init() {
    hideDecorativeIcons();
    initTooltips();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
