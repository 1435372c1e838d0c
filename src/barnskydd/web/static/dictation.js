/* Barnskydd dictation: a record button beside every free-text field of a case's forms.
 *
 * - Records with MediaRecorder (WebM/Opus, Ogg/Opus, or MP4 where the browser offers only
 *   that), shows the elapsed time and the level, and uploads the whole recording at stop.
 * - The server answers with an htmx fragment that polls until the draft is ready; the draft
 *   is shown beside the field with its doubtful words marked. "Infoga" puts it into the
 *   field (the form is then saved and signed as usual); "Kasta" throws it away.
 * - Every control is a native button (keyboard operable); the state is told in a polite
 *   live region for screen readers.
 * - Nothing is kept in the browser: the recording lives in memory until it is uploaded.
 *
 * No framework, no eval, no inline code (the CSP allows only scripts from 'self').
 */
(function () {
  "use strict";
  var TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
  var CASE_FORM = /^\/arenden\/(BU-\d{4}-\d{6,12})\//;
  var status = null; // the server's answer of /diktat/status, fetched once per page

  function availability() {
    if (!status) {
      status = fetch("/diktat/status", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { available: false, message: "" }; })
        .catch(function () { return { available: false, message: "" }; });
    }
    return status;
  }

  function csrf(form) {
    var input = form && form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function clock(ms) {
    var s = Math.floor(ms / 1000);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function chosenType() {
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    }
    return "";
  }

  function Recorder(area, caseNumber, info) {
    this.area = area;
    this.form = area.form;
    this.caseNumber = caseNumber;
    this.maxMs = (info.max_seconds || 600) * 1000;
    var box = document.createElement("div");
    box.className = "dictation";
    box.innerHTML =
      '<button type="button" class="dictation-record" aria-pressed="false"></button> ' +
      '<span class="dictation-time" aria-hidden="true" hidden>0:00</span> ' +
      '<meter class="dictation-level" min="0" max="1" value="0" aria-label="Ljudnivå" hidden></meter>' +
      '<p class="dictation-live hint" aria-live="polite"></p>' +
      '<div class="dictation-job" aria-live="polite"></div>';
    area.insertAdjacentElement("afterend", box);
    this.box = box;
    this.button = box.querySelector(".dictation-record");
    this.time = box.querySelector(".dictation-time");
    this.level = box.querySelector(".dictation-level");
    this.live = box.querySelector(".dictation-live");
    this.job = box.querySelector(".dictation-job");
    this.label();
    var self = this;
    this.button.addEventListener("click", function () {
      if (self.recorder) self.stop(); else self.start();
    });
  }

  Recorder.prototype.label = function () {
    var name = "";
    var label = this.area.id && document.querySelector('label[for="' + this.area.id + '"]');
    if (label) name = label.textContent.replace("(obligatoriskt)", "").trim();
    var recording = !!this.recorder;
    this.button.textContent = recording ? "Stoppa och skicka" : "Diktera";
    this.button.setAttribute("aria-pressed", recording ? "true" : "false");
    this.button.setAttribute(
      "aria-label", (recording ? "Stoppa och skicka dikteringen i " : "Diktera i ") + (name || "fältet")
    );
  };

  Recorder.prototype.say = function (text) {
    this.live.textContent = text;
  };

  Recorder.prototype.start = function () {
    var self = this;
    var type = chosenType();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !type) {
      self.say("Webbläsaren kan inte spela in ljud här.");
      return;
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      self.stream = stream;
      self.chunks = [];
      self.recorder = new MediaRecorder(stream, { mimeType: type });
      self.recorder.addEventListener("dataavailable", function (e) {
        if (e.data && e.data.size) self.chunks.push(e.data);
      });
      self.recorder.addEventListener("stop", function () { self.upload(type); });
      self.recorder.start(1000); // chunks in order; joined into one file at stop
      self.began = Date.now();
      self.meter(stream);
      self.time.hidden = false;
      self.level.hidden = false;
      self.label();
      self.say("Inspelningen pågår. Tryck på Stoppa och skicka när du är klar.");
      self.ticker = window.setInterval(function () { self.tick(); }, 250);
    }).catch(function () {
      self.say("Mikrofonen kunde inte användas. Kontrollera webbläsarens behörighet.");
    });
  };

  Recorder.prototype.meter = function (stream) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    this.context = new Context();
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 512;
    this.context.createMediaStreamSource(stream).connect(this.analyser);
    this.samples = new Float32Array(this.analyser.fftSize);
  };

  Recorder.prototype.tick = function () {
    var elapsed = Date.now() - this.began;
    this.time.textContent = clock(elapsed);
    if (this.analyser) {
      this.analyser.getFloatTimeDomainData(this.samples);
      var sum = 0;
      for (var i = 0; i < this.samples.length; i++) sum += this.samples[i] * this.samples[i];
      this.level.value = Math.min(1, Math.sqrt(sum / this.samples.length) * 4);
    }
    if (elapsed >= this.maxMs) {
      this.say("Längsta tillåtna inspelningen är nådd; den skickas nu.");
      this.stop();
    }
  };

  Recorder.prototype.stop = function () {
    if (!this.recorder) return;
    window.clearInterval(this.ticker);
    this.recorder.stop();
    this.stream.getTracks().forEach(function (t) { t.stop(); });
    if (this.context) this.context.close();
    this.recorder = null;
    this.level.hidden = true;
    this.label();
  };

  Recorder.prototype.upload = function (type) {
    var self = this;
    var blob = new Blob(self.chunks, { type: type.split(";")[0] });
    self.chunks = [];
    var name = "inspelning." + (type.indexOf("mp4") >= 0 ? "mp4" : type.indexOf("ogg") >= 0 ? "ogg" : "webm");
    var data = new FormData();
    data.append("field", self.area.id);
    data.append("audio", blob, name);
    self.say("Inspelningen skickas …");
    fetch("/arenden/" + self.caseNumber + "/diktat", {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf(self.form), "HX-Request": "true" },
    }).then(function (r) {
      return r.text().then(function (html) {
        self.show(html);
        self.say(r.status === 202
          ? "Inspelningen är skickad. Utkastet visas under fältet när det är klart."
          : "Inspelningen togs inte emot.");
      });
    }).catch(function () {
      self.say("Inspelningen kunde inte skickas. Fältet är oförändrat; försök igen.");
    });
  };

  Recorder.prototype.show = function (html) {
    this.job.innerHTML = html;
    if (window.htmx) window.htmx.process(this.job);
  };

  function post(url, form) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf(form), "HX-Request": "true" },
    });
  }

  function boxOf(elt) {
    return elt.closest(".dictation");
  }

  document.addEventListener("click", function (e) {
    var accept = e.target.closest && e.target.closest("[data-dictation-accept]");
    var discard = e.target.closest && e.target.closest("[data-dictation-discard]");
    if (!accept && !discard) return;
    var box = boxOf(e.target);
    var area = box && box.previousElementSibling;
    if (!area || area.tagName !== "TEXTAREA") return;
    var live = box.querySelector(".dictation-live");
    var job = box.querySelector(".dictation-job");
    if (accept) {
      post(accept.dataset.dictationAccept, area.form).then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { live.textContent = body.detail || "Utkastet kunde inte infogas."; return; }
          var before = area.value.replace(/\s+$/, "");
          area.value = before ? before + "\n" + body.text : body.text;
          area.dispatchEvent(new Event("input", { bubbles: true })); // the draft's autosave
          job.innerHTML = "";
          live.textContent = body.message;
          area.focus();
        });
      }).catch(function () { live.textContent = "Utkastet kunde inte infogas. Fältet är oförändrat."; });
    } else {
      post(discard.dataset.dictationDiscard, area.form).then(function (r) {
        return r.text().then(function (html) {
          job.innerHTML = html;
          box.querySelector(".dictation-record").focus(); // the pressed button is gone
        });
      }).catch(function () { live.textContent = "Inspelningen kunde inte kastas. Försök igen."; });
    }
  });

  function load(box, url) {
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        var job = box.querySelector(".dictation-job");
        job.innerHTML = html;
        if (window.htmx) window.htmx.process(job);
      });
  }

  // The user's open dictations of the case, shown again under their fields after a reload.
  function reopen(caseNumber, boxes) {
    fetch("/arenden/" + caseNumber + "/diktat", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { jobs: [] }; })
      .then(function (body) {
        body.jobs.forEach(function (job) {
          if (boxes[job.field]) load(boxes[job.field], job.url);
        });
      })
      .catch(function () {});
  }

  function enhance(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var areas = scope.querySelectorAll("form textarea");
    var todo = [];
    for (var i = 0; i < areas.length; i++) {
      var area = areas[i];
      var match = area.form && CASE_FORM.exec(area.form.getAttribute("action") || "");
      if (match && !area.dataset.dictation && area.id) {
        area.dataset.dictation = "1";
        todo.push([area, match[1]]);
      }
    }
    if (!todo.length) return;
    availability().then(function (info) {
      var told = [];
      var boxes = {};
      todo.forEach(function (pair) {
        if (info.available) {
          boxes[pair[0].id] = new Recorder(pair[0], pair[1], info).box;
        } else if (info.message && told.indexOf(pair[0].form) < 0) {
          told.push(pair[0].form); // once a form, beside its first free-text field
          var note = document.createElement("p");
          note.className = "hint dictation-unavailable";
          note.textContent = info.message;
          pair[0].insertAdjacentElement("afterend", note);
        }
      });
      if (info.available) reopen(todo[0][1], boxes);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (e) { enhance(e.detail && e.detail.elt); });
})();
