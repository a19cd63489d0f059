// MSP Cases: an export's page follows its state without a reload (and without a meta refresh, which
// moves the page under a screen reader user's feet). Every few seconds it asks the status endpoint; when the
// state changes it swaps in the server-rendered status panel and announces the change in a live region.
// Without JavaScript the page has a "Check again" link instead.
(function () {
  "use strict";
  var region = document.getElementById("export-status");
  var announcer = document.getElementById("export-announcement");
  if (!region || !window.fetch || region.getAttribute("data-finished") === "true") return;

  var url = region.getAttribute("data-status-url");
  var checkAgain = document.getElementById("export-check-again");
  var panel = document.getElementById("export-status-panel");
  var status = panel ? panel.getAttribute("data-status") : "";
  var delay = 2000;
  var messages = {
    rendering: "Your file is being prepared.",
    ready: "Your file is ready to download.",
    failed: "Your file could not be prepared.",
    expired: "This file has expired."
  };

  function schedule() {
    window.setTimeout(check, delay);
    delay = Math.min(delay * 1.5, 15000); // slow down for long exports; the server is not hammered
  }

  function check() {
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (data.status !== status) {
          status = data.status;
          region.innerHTML = data.html;
          if (announcer && messages[status]) announcer.textContent = messages[status];
        }
        if (data.finished) {
          if (checkAgain) checkAgain.hidden = true;
        } else {
          schedule();
        }
      })
      .catch(function () {
        schedule(); // signed out or offline: keep the "Check again" link and try again later
      });
  }

  schedule();
})();
