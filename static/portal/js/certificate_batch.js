/*
 * The progress of a decision's certificate batch (applications/titles/decision_certificates.html).
 *
 * The Content-Security-Policy forbids inline script: the page declares the status endpoint on
 *   <div id="certificate-batch" data-status-url="…" data-running="true">
 * and this file polls it (JSON: status, label, done, total, percent, finished, error) once a second while the batch
 * is queued or running, updating the <progress> element and its text; when the batch finishes, the page is loaded
 * again so that the download links appear.
 */
(function () {
  "use strict";

  var POLL_MS = 1000;

  function start(box) {
    var url = box.dataset.statusUrl;
    var progress = document.getElementById("batch-progress");
    var label = document.getElementById("batch-label");
    var count = document.getElementById("batch-count");
    var error = document.getElementById("batch-error");

    function show(state) {
      progress.max = state.total || 1;
      progress.value = state.done;
      progress.textContent = state.percent + "%";
      label.textContent = state.label;
      count.textContent = state.done + "/" + state.total;
      if (state.error) {
        error.textContent = state.error;
        error.classList.remove("d-none");
      }
    }

    function poll() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) {
            window.setTimeout(poll, POLL_MS * 5);
            return;
          }
          show(state);
          if (state.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, POLL_MS);
          }
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 5); });
    }

    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("certificate-batch");
    if (box && box.dataset.running === "true") {
      start(box);
    }
  });
}());
