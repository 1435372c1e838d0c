/* Barnskydd drafts: what the htmx autosave (templates/_drafts.html) cannot do alone.
 *
 * - When a save is refused because the session has ended (401) or the server cannot be
 *   reached, keep the form's input in localStorage, tagged with the user it belongs to.
 * - After the next login, fill the form from it, save it as a draft, then clear it. Another
 *   user's input is never shown: it is deleted. Nothing is kept longer than MAX_AGE.
 * - Send the last keystrokes (typed less than a second before) when the page is closed.
 * - Never save after the form was submitted: the server has just deleted the draft.
 *
 * No framework, no eval, no inline code (the CSP allows only scripts from 'self').
 */
(function () {
  "use strict";
  var PREFIX = "barnskydd:utkast:";
  var MAX_AGE = 12 * 60 * 60 * 1000;

  function store() {
    try {
      return window.localStorage;
    } catch (e) {
      return null; // storage disabled: autosave still works while logged in
    }
  }

  function isStatus(elt) {
    return elt && elt.dataset && elt.dataset.draftUrl;
  }

  function values(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token" || typeof value !== "string") return;
      (data[name] = data[name] || []).push(value);
    });
    return data;
  }

  function keep(status) {
    var s = store();
    status.dataset.offline = "1";
    if (!s) return;
    var entry = { user: status.dataset.draftUser, at: Date.now(), data: values(status.closest("form")) };
    s.setItem(PREFIX + status.dataset.draftUrl, JSON.stringify(entry));
  }

  function forget(status) {
    var s = store();
    if (s) s.removeItem(PREFIX + status.dataset.draftUrl);
    delete status.dataset.offline;
  }

  function fill(form, data) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrf_token" || field.type === "hidden") return;
      if (field.type === "submit" || field.type === "button") return;
      var chosen = data[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = chosen.indexOf(field.value) >= 0;
      } else if (chosen.length) {
        field.value = chosen[0];
      }
    });
  }

  function purgeOld(s) {
    for (var i = s.length - 1; i >= 0; i--) {
      var key = s.key(i);
      if (!key || key.indexOf(PREFIX) !== 0) continue;
      var entry = null;
      try {
        entry = JSON.parse(s.getItem(key));
      } catch (e) {
        entry = null;
      }
      if (!entry || !(Date.now() - entry.at < MAX_AGE)) s.removeItem(key);
    }
  }

  function restore(root) {
    var s = store();
    if (!s || !root.querySelectorAll) return;
    purgeOld(s);
    root.querySelectorAll("[data-draft-url]").forEach(function (status) {
      var key = PREFIX + status.dataset.draftUrl;
      var entry = null;
      try {
        entry = JSON.parse(s.getItem(key));
      } catch (e) {
        entry = null;
      }
      if (!entry) return;
      if (entry.user !== status.dataset.draftUser) {
        s.removeItem(key);
        return;
      }
      var form = status.closest("form");
      fill(form, entry.data);
      status.textContent = "Återställt från webbläsaren: det du skrev när du loggades ut. Sparar utkastet …";
      htmx.trigger(form, "change");
    });
  }

  document.addEventListener("input", function (evt) {
    var form = evt.target.form;
    var status = form && form.querySelector("[data-draft-url]");
    if (status) status.dataset.dirty = "1";
  });

  document.addEventListener(
    "submit",
    function (evt) {
      var status = evt.target.querySelector && evt.target.querySelector("[data-draft-url]");
      if (!status) return;
      status.dataset.submitted = "1";
      forget(status);
    },
    true
  );

  document.addEventListener("htmx:confirm", function (evt) {
    var status = evt.detail.elt;
    if (isStatus(status) && status.dataset.submitted) evt.preventDefault();
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    if (isStatus(evt.detail.elt)) delete evt.detail.elt.dataset.dirty;
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    var status = evt.detail.elt;
    if (!isStatus(status)) return;
    var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if (code === 200) forget(status);
    else if (code === 401 || code === 0) keep(status);
  });

  document.addEventListener("htmx:sendError", function (evt) {
    var status = evt.detail.elt;
    if (!isStatus(status)) return;
    keep(status);
    status.textContent = "Servern svarar inte. Det du skriver finns kvar i den här webbläsaren.";
  });

  window.addEventListener("pagehide", function () {
    document.querySelectorAll("[data-draft-url]").forEach(function (status) {
      if (status.dataset.submitted) return;
      if (status.dataset.offline) {
        keep(status);
      } else if (status.dataset.dirty && navigator.sendBeacon) {
        navigator.sendBeacon(status.dataset.draftUrl, new FormData(status.closest("form")));
      }
    });
  });

  htmx.onLoad(restore);
})();
