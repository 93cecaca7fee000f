/*
 * The playground's 2-D mode: pick a data set, layers and activation, press Train, and
 * watch the decision regions form. Everything is computed by tinybackprop in a second
 * MicroPython (window.tbPython.worker(), see tb-python.js): docs/python/tb_plane.py's
 * train_live prints one "TB {json}" line per epoch and, every few epochs, one
 * "SVG <svg...>" line drawn by tinybackprop.show.boundary.regions; this file only shows them.
 *
 * State for tests, on #tb-plane: data-tb-training = running | done | stopped | error,
 * data-tb-history = JSON list of the epochs' losses and accuracies, data-tb-drawn = the
 * epoch of the picture shown.
 */
(function () {
  "use strict";

  function start() {
    var root = document.getElementById("tb-plane");
    if (!root || !window.tbPython || root.getAttribute("data-tb-ready")) return;
    root.setAttribute("data-tb-ready", "1");
    var form = root.querySelector("form");
    var trainBtn = root.querySelector("[data-plane=train]");
    var stopBtn = root.querySelector("[data-plane=stop]");
    var status = root.querySelector(".tb-plane-status");
    var figure = root.querySelector(".tb-plane-figure");
    var log = root.querySelector(".tb-plane-log");
    var worker = null;
    var NOISE = { moons: 0.1, circles: 0.08, spiral: 0.05, blobs: 0.35 };

    form.data.addEventListener("change", function () { form.noise.value = NOISE[form.data.value]; });

    function fmt(v) { return typeof v === "number" ? v.toPrecision(4) : String(v); }

    function params() {
      var sizes = String(form.layers.value).split(/[\s,;]+/).filter(function (s) { return s !== ""; }).map(Number);
      var epochs = Number(form.epochs.value), lr = Number(form.lr.value), seed = Number(form.seed.value);
      var noise = Number(form.noise.value), samples = Number(form.samples.value);
      var whole = function (n, lo, hi) { return Math.floor(n) === n && n >= lo && n <= hi; };
      if (!sizes.length || sizes.length > 4 || !sizes.every(function (n) { return whole(n, 1, 64); })) {
        return "Hidden layers: 1 to 4 widths from 1 to 64, e.g. 8,8.";
      }
      if (!whole(epochs, 1, 5000) || !(lr > 0 && lr <= 100) || !whole(seed, 0, 1e9) || !(noise >= 0 && noise <= 2) ||
          !whole(samples, 20, 1000)) {
        return "Epochs 1-5000, lr > 0, seed a whole number, noise 0-2, points 20-1000.";
      }
      return { data: form.data.value, hidden_sizes: sizes, hidden: form.hidden.value, epochs: epochs, lr: lr,
               seed: seed, noise: noise, samples: samples };
    }

    function setRunning(on) {
      trainBtn.disabled = on;
      stopBtn.disabled = !on;
    }

    trainBtn.addEventListener("click", function () {
      var p = params();
      if (typeof p === "string") { status.textContent = p; return; }
      var history = [];
      log.textContent = "";
      setRunning(true);
      root.setAttribute("data-tb-training", "running");
      root.removeAttribute("data-tb-drawn");
      status.textContent = "Starting a second MicroPython for training\u2026";
      var t0 = performance.now();
      window.tbPython.worker().then(function (w) {
        worker = w;
        status.textContent = "Training\u2026";
        var code = "import tb_plane\ntb_plane.train_live(data=" + JSON.stringify(p.data) + ", hidden_sizes=" +
          JSON.stringify(p.hidden_sizes) + ", hidden=" + JSON.stringify(p.hidden) + ", samples=" + p.samples +
          ", noise=" + JSON.stringify(p.noise) + ", epochs=" + p.epochs + ", lr=" + JSON.stringify(p.lr) +
          ", seed=" + p.seed + ")\n";
        return w.run(code, function (line) {
          if (line.indexOf("SVG ") === 0) {
            figure.innerHTML = line.slice(4);  // drawn by tinybackprop.show.boundary.regions in the page
            var m = /epoch (\d+)<\/title>/.exec(line);
            if (m) root.setAttribute("data-tb-drawn", m[1]);
            return;
          }
          if (line.indexOf("TB ") !== 0) { log.textContent += line + "\n"; return; }
          var e = JSON.parse(line.slice(3));
          if (e.done) return;
          history.push(e);
          status.textContent = "epoch " + e.epoch + "/" + p.epochs + ": train loss " + fmt(e.loss) + ", accuracy " +
            (100 * e.accuracy).toFixed(1) + "%; test accuracy " + (100 * e.test_accuracy).toFixed(1) + "%";
        }).then(function (r) {
          if (r.err) { log.textContent += r.err; status.textContent += " (stopped by an error)"; }
          else status.textContent += " \u2014 done in " + ((performance.now() - t0) / 1000).toFixed(1) + " s";
          root.setAttribute("data-tb-training", r.err ? "error" : "done");
        });
      }).catch(function (e) {
        if (String(e && e.message) !== "stopped") {
          status.textContent = "Training failed: " + (e && e.message || e);
          root.setAttribute("data-tb-training", "error");
        }
      }).then(function () {
        if (worker) worker.stop();
        worker = null;
        setRunning(false);
        root.setAttribute("data-tb-history", JSON.stringify(history));
      });
    });

    stopBtn.addEventListener("click", function () {
      if (worker) {
        worker.stop();
        status.textContent += " \u2014 stopped";
        root.setAttribute("data-tb-training", "stopped");
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
