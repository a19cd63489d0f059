// MSP Cases: the session-timeout warning. Kept small and dependency-free.
//
// The server ends a session after SESSION_TIMEOUT_MINUTES without a request. SESSION_WARNING_MINUTES
// before that, a modal dialog warns the user (with a countdown announced to screen readers once) and
// offers to stay signed in, which renews the session with a POST. When time runs out the page goes to
// the sign-in page, so nothing about a person is left on screen.
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.getAttribute("data-session-timeout"), 10);
  var warning = parseInt(body.getAttribute("data-session-warning"), 10);
  var dialog = document.getElementById("session-timeout-dialog");
  if (!timeout || !dialog || typeof dialog.showModal !== "function") return;

  var countdown = dialog.querySelector(".app-timeout-dialog__countdown");
  var warnTimer, endTimer, tick, deadline;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function describe(seconds) {
    if (seconds > 60) return Math.ceil(seconds / 60) + " minutes";
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function showWarning() {
    // A form being typed into saves its draft now, while the session still accepts it (drafts below).
    document.dispatchEvent(new CustomEvent("app:session-warning"));
    dialog.showModal();
    dialog.querySelector("[data-timeout-action=stay]").focus();
    tick = window.setInterval(function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      countdown.textContent = describe(left);
    }, 1000);
  }

  function signOut() {
    document.dispatchEvent(new CustomEvent("app:session-warning"));
    window.location.href = body.getAttribute("data-signed-out-url");
  }

  function start() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    window.clearInterval(tick);
    deadline = Date.now() + timeout * 1000;
    countdown.textContent = describe(Math.min(warning, timeout));
    warnTimer = window.setTimeout(showWarning, Math.max(0, (timeout - warning) * 1000));
    endTimer = window.setTimeout(signOut, timeout * 1000);
  }

  dialog.querySelector("[data-timeout-action=stay]").addEventListener("click", function () {
    fetch(body.getAttribute("data-keepalive-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (!response.ok) return signOut();
      dialog.close();
      start();
    }, signOut);
  });
  // Escape closes a native dialog; treat it as "stay signed in" only if the session is renewed.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
  });

  start();
})();

// A long list made searchable (enquiries/forms/providers.py: choosing a care provider): words typed in the
// box above a select leave only the options whose text contains every word, and say how many are left.
// Options are taken out and put back rather than hidden, which Safari ignores. Without JavaScript the box
// stays hidden and the whole list is there.
(function () {
  "use strict";
  document.querySelectorAll("[data-app-select-filter]").forEach(function (wrapper) {
    var select = document.getElementById(wrapper.getAttribute("data-app-select-filter"));
    var input = wrapper.querySelector("input");
    var status = wrapper.querySelector("[role=status]");
    if (!select || !input) return;
    var options = Array.prototype.slice.call(select.options);
    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      select.textContent = "";
      options.forEach(function (option) {
        var text = option.text.toLowerCase();
        var keep = !option.value || option.selected || words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        if (keep) select.appendChild(option);
        if (keep && option.value) shown += 1;
      });
      if (status) {
        var found = shown + (shown === 1 ? " care provider" : " care providers") + " found";
        status.textContent = words.length ? found : "";
      }
    }
    input.addEventListener("input", filter);
    wrapper.hidden = false;
  });
})();

// Drafts of long forms (msp_cases.drafts, docs/drafts.md): a form marked data-draft-key sends its fields to
// the server a few seconds after the person stops typing, when the timeout warning shows, and when the page is
// hidden or left, so the inactivity timeout never loses what was typed. Nothing is kept in the browser: no
// localStorage, no sessionStorage, no cookie. Saving does not extend the session (the view is passive).
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  if (!form || typeof window.fetch !== "function") return;
  var url = form.getAttribute("data-draft-save-url");
  var key = form.getAttribute("data-draft-key");
  var timer = null;
  var dirty = false;

  function fields() {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "file" || el.type === "submit" || el.type === "button") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { out.push([el.name, o.value]); });
        return;
      }
      out.push([el.name, el.value]);
    });
    return out;
  }

  function save() {
    window.clearTimeout(timer);
    if (!dirty) return;
    dirty = false;
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var body = JSON.stringify({ key: key, fields: fields() });
    window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      // keepalive lets the save outlive the page, but browsers refuse a keepalive body over 64 KiB.
      keepalive: body.length < 60000,
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: body,
    }).then(function (response) {
      if (!response.ok && response.status !== 413 && response.status !== 400) dirty = true; // try again later
    }, function () {
      dirty = true;
    });
  }

  function changed() {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 5000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // The form is being sent: the server deletes the draft once the record is saved.
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    dirty = false;
  });
  document.addEventListener("app:session-warning", save);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save();
  });
  window.addEventListener("pagehide", save);
})();

// "Print this chronology" and other print links (data-print): the browser's own print dialog. Shown only
// with JavaScript (.app-js-only); without it, the browser's print command gives the same printed page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest ? event.target.closest("[data-print]") : null;
    if (!trigger) return;
    event.preventDefault();
    window.print();
  });
})();
