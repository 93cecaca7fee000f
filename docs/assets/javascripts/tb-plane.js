/*
 * The playground's 2-D mode: points in the plane, a network with buttons for its layers,
 * play / pause / step / reset, the loss curve, every neuron's output over the plane, and
 * the equations of any neuron or edge with the current numbers.
 *
 * Everything is computed by tinybackprop in one background MicroPython (window.tbPython.worker(),
 * the runner the runnable cells use, see tb-python.js): docs/python/tb_plane.py's start(),
 * step() (ONE epoch per call: the page's Python frees memory only between calls, so the
 * memory stays flat however long it trains), picture() and explain() print JSON lines;
 * this file only draws them. Changing a setting starts a new run, so that the command
 * shown under the plane always repeats the run exactly.
 *
 * While it plays, the pictures (and the equations of a selected neuron or edge) are redrawn
 * as often as keeps them under a fifth of the time; Step, Pause and the last epoch redraw them
 * at once, and then the training set's loss is evaluated exactly (tb_plane.final()).
 *
 * State for tests, on #tb-plane: data-tb-state = starting | ready | running | paused | done
 * | error | oom | diverged | stopped (Stop now: the epoch under way was cut off); data-tb-epoch; data-tb-history (JSON: every epoch's running loss
 * and accuracy, test loss and accuracy, its time in ms, and train_loss where it was
 * computed: at the pictures, and exactly (train_exact) where training paused or ended); data-tb-weights (JSON, full precision); data-tb-command; data-tb-memory
 * (JSON: [epoch, bytes of the interpreter's WebAssembly memory] after each call); data-tb-picture
 * (the epoch of the pictures shown). root.tbPlane.run(code) runs Python in the same interpreter.
 */
(function () {
  "use strict";

  var SVGNS = "http://www.w3.org/2000/svg";
  var POS = [33, 102, 172], NEG = [178, 24, 43];        // sign: blue positive, red negative
  var POS_HEX = "#2166ac", NEG_HEX = "#b2182b";
  var LR = { sgd: 0.3, momentum: 0.05, nesterov: 0.05, rmsprop: 0.01, adam: 0.01, adamw: 0.01 };
  var MAX_LAYERS = 6, MAX_WIDTH = 16, CELLS = 20;

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function fmt(v) {
    if (v === null || v === undefined) return "\u2013";
    if (typeof v !== "number") return String(v);
    if (v === 0) return "0";
    var a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(4)));
    return v.toExponential(2);
  }
  function hex(rgb) {
    return "#" + rgb.map(function (c) { return ("0" + Math.round(c).toString(16)).slice(-2); }).join("");
  }
  function parseHex(h) {
    return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
  }
  // A signed number as a colour: white at 0, blue when positive, red when negative, full at |v| >= scale.
  function signColor(v, scale) {
    var t = Math.max(-1, Math.min(1, v / (scale || 1)));
    var c = t >= 0 ? POS : NEG, a = Math.abs(t);
    return [255 + (c[0] - 255) * a, 255 + (c[1] - 255) * a, 255 + (c[2] - 255) * a];
  }
  function mix(rgb, t) { return [255 + (rgb[0] - 255) * t, 255 + (rgb[1] - 255) * t, 255 + (rgb[2] - 255) * t]; }

  // cells x cells colours -> a PNG data URL (drawn smoothly when scaled up)
  function image(cells, colorAt) {
    var c = document.createElement("canvas");
    c.width = cells; c.height = cells;
    var ctx = c.getContext("2d"), img = ctx.createImageData(cells, cells);
    for (var k = 0; k < cells * cells; k++) {
      var rgb = colorAt(k);
      img.data[4 * k] = rgb[0]; img.data[4 * k + 1] = rgb[1]; img.data[4 * k + 2] = rgb[2]; img.data[4 * k + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return c.toDataURL();
  }

  function start() {
    var root = document.getElementById("tb-plane");
    if (!root || !window.tbPython || root.getAttribute("data-tb-init")) return;
    root.setAttribute("data-tb-init", "1");
    var form = root.querySelector(".tb-plane-controls");
    var btn = {};
    root.querySelectorAll("[data-plane]").forEach(function (b) { btn[b.getAttribute("data-plane")] = b; });
    var epochsInput = root.querySelector("input[name=epochs]");
    var epochOut = root.querySelector(".tb-plane-epoch");
    var statusEl = root.querySelector(".tb-plane-status");
    var layersEl = root.querySelector(".tb-plane-layers");
    var netSvg = root.querySelector(".tb-plane-net");
    var fig = root.querySelector(".tb-plane-figure");
    var curve = root.querySelector(".tb-plane-curve");
    var statsEl = root.querySelector(".tb-plane-stats");
    var eqEl = root.querySelector(".tb-plane-eq");
    var cmdEl = root.querySelector(".tb-plane-command");
    var logEl = root.querySelector(".tb-plane-log");
    var ratioOut = root.querySelector(".tb-plane-ratio");
    var decayKind = root.querySelector(".tb-plane-decay-kind");
    var FLAGS = JSON.parse(root.getAttribute("data-train-flags") || "[]");
    var NOISE = JSON.parse(root.getAttribute("data-noise") || "{}");

    var S = {
      layers: [8, 8], worker: null, booting: null, queue: Promise.resolve(),
      run: null, first: null, epoch: 0, history: [], memory: [], weights: null, pic: null,
      running: false, failed: null, selected: null, example: { part: "train", row: 0 },
      picMs: 0, lastPicAt: 0, picEpoch: -1, eqEpoch: -1, stepMs: [], generation: 0
    };

    function status(text, bad) {
      statusEl.textContent = text;
      statusEl.classList.toggle("tb-plane-bad", !!bad);
    }
    function setState(s) { root.setAttribute("data-tb-state", s); }

    // ---- settings ------------------------------------------------------------------
    function settings() {
      var whole = function (n, lo, hi) { return Math.floor(n) === n && n >= lo && n <= hi; };
      var lr = Number(form.lr.value), wd = Number(form.weight_decay.value), bs = Number(form.batch_size.value);
      var noise = Number(form.noise.value), samples = Number(form.samples.value), seed = Number(form.seed.value);
      var pct = Number(form.train_percent.value);
      var features = [];
      form.querySelectorAll("input[name=feature]").forEach(function (c) { if (c.checked) features.push(c.value); });
      if (!features.length) throw new Error("Features: tick at least one input.");
      if (form.lr.value.trim() === "" || !(lr > 0 && lr <= 100)) throw new Error("Learning rate: a number > 0 (at most 100).");
      if (form.weight_decay.value.trim() === "" || !(wd >= 0 && wd <= 10)) throw new Error("Weight decay: a number from 0 to 10.");
      if (!whole(bs, 1, 1000)) throw new Error("Batch size: a whole number from 1 to 1000.");
      if (!(noise >= 0 && noise <= 2) || form.noise.value.trim() === "") throw new Error("Noise: a number from 0 to 2.");
      if (!whole(samples, 20, 1000)) throw new Error("Points: a whole number from 20 to 1000.");
      if (!whole(seed, 0, 1e9)) throw new Error("Seed: a whole number from 0.");
      return {
        data: form.data.value, samples: samples, noise: noise, test_fraction: (100 - pct) / 100, seed: seed,
        features: features, layers: S.layers.slice(), hidden: form.hidden.value, init: form.init.value,
        optimizer: form.optimizer.value, lr: lr, weight_decay: wd, batch_size: bs
      };
    }
    function maxEpochs() {
      var n = Number(epochsInput.value);
      return Math.floor(n) === n && n >= 1 && n <= 5000 ? n : null;
    }

    // ---- the interpreter -------------------------------------------------------------
    function worker() {
      if (S.worker) return Promise.resolve(S.worker);
      if (!S.booting) {
        status("Starting a MicroPython in the background for the 2-D playground\u2026");
        S.booting = window.tbPython.worker().then(function (w) {
          S.worker = w;
          // the imports one call each: each call's garbage is freed when it returns
          return ["import tinybackprop", "from tinybackprop import training, vectorized",
                  "from tinybackprop.datasets import planar", "import tb_plane"].reduce(function (p, code) {
            return p.then(function () { return w.run(code); }).then(function (r) {
              if (r.err) throw new Error(r.err);
            });
          }, Promise.resolve()).then(function () { return w; });
        });
        S.booting.catch(function () { S.booting = null; S.worker = null; });
      }
      return S.booting;
    }

    // One call at a time, in order; lines starting with a tag go to their handler.
    function call(code, handlers) {
      var gen = S.generation;
      var p = S.queue.then(function () { return worker(); }).then(function (w) {
        if (gen !== S.generation) return { skipped: true };  // a reset came in between
        var extra = "";
        S.busy = true;
        return w.run(code, function (line) {
          var sp = line.indexOf(" "), tag = sp > 0 ? line.slice(0, sp) : line;
          if (handlers && handlers[tag]) {
            handlers[tag](JSON.parse(line.slice(sp + 1)));
          } else extra += line + "\n";
        }).then(function (r) {
          S.busy = false;
          if (extra) logEl.textContent += extra;
          if (r.mem) {
            S.memory.push([S.epoch, r.mem]);
            if (S.memory.length > 6000) S.memory.splice(1, 1);
            root.setAttribute("data-tb-memory", JSON.stringify(S.memory));
          }
          if (r.err) {
            var e = new Error(r.err.trim().split("\n").pop());
            e.full = r.err; e.oom = window.tbPython.outOfMemory(r.err);
            throw e;
          }
          return r;
        });
      });
      S.queue = p.catch(function () { S.busy = false; });
      return p;
    }

    function fail(e) {
      S.running = false;
      if (S.failed === "stopped" || String(e && e.message) === "stopped") return;  // Stop now: said there
      if (e && e.oom) {
        S.failed = "oom";
        if (S.worker) S.worker.stop();
        S.worker = null; S.booting = null;
        status("Out of memory at epoch " + (S.epoch + 1) + ": MicroPython in this page could not get more memory " +
          "from the browser, so training stopped. Kept: the run up to epoch " + S.epoch + " (its curve, its " +
          "pictures and the command that repeats it). Reset starts again with a fresh interpreter.", true);
        setState("oom");
      } else {
        S.failed = "error";
        status("tinybackprop says: " + (e && e.message || e), true);
        if (e && e.full) logEl.textContent += e.full;
        setState("error");
      }
      buttons();
    }

    // ---- a run -----------------------------------------------------------------------
    function newRun() {
      var s;
      try { s = settings(); } catch (e) { status(e.message, true); return Promise.resolve(); }
      S.running = false;
      S.pausing = false;
      S.generation++;
      S.failed = null;
      var gen = S.generation;
      setState("starting");
      buttons();
      return call("tb_plane.start(" + JSON.stringify(JSON.stringify(s)) + ", " + JSON.stringify(FLAGS) + ")", {
        TB: function (m) {
          S.run = s; S.first = m; S.epoch = 0; S.history = []; S.weights = m.weights; S.pic = null;
          S.picEpoch = -1; S.eqEpoch = -1; S.stepMs = []; S.memory = S.memory.slice(-1);
          S.startLoss = m.train_loss;
          if (S.example.row >= m[S.example.part].length) S.example = { part: "train", row: 0 };
          if (S.selected && !validSelection(S.selected)) S.selected = null;
          cmdEl.textContent = m.command;
          root.setAttribute("data-tb-command", m.command);
          drawFigure(); drawNet(); drawCurve(); stats();
          publish();
        }
      }).then(function (r) {
        if (r.skipped || gen !== S.generation) return;
        setState("ready");
        status("Epoch 0: the data (" + S.first.train.length + " training points, " + S.first.test.length +
          " test points) and the network's starting weights. Play trains; Step trains one epoch.");
        return afterEpoch(true);
      }).then(function () { buttons(); }, fail);
    }

    function validSelection(sel) {
      var sizes = S.first.sizes;
      if (sel.l > sizes.length - 1 || sel.j >= sizes[sel.l]) return false;
      return sel.kind !== "edge" || sel.i < sizes[sel.l - 1];
    }

    function stepOnce() {
      var t0 = performance.now();
      return call("tb_plane.step()", {
        TB: function (m) {
          var ms = performance.now() - t0;
          S.epoch = m.epoch; S.weights = m.weights;
          S.stepMs.push(ms);
          if (S.stepMs.length > 20) S.stepMs.shift();
          S.history.push({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, test_loss: m.test_loss,
                           test_accuracy: m.test_accuracy, ms: ms });
          cmdEl.textContent = m.command;
          root.setAttribute("data-tb-command", m.command);
          publish();
          epochOut.textContent = String(S.epoch);
          // the drawing at most every 150 ms: it costs the page, not the training
          if (!S.running || performance.now() - (S.drawnAt || 0) > 150) {
            S.drawnAt = performance.now();
            restyleEdges(); drawCurve(); stats();
          }
        }
      });
    }

    function lastEntry() { return S.history[S.history.length - 1]; }

    // After an epoch: the pictures and the equations of the selected neuron or edge when they
    // are due (so that they take at most about a fifth of the time), or at once when `now`.
    function afterEpoch(now) {
      if (!now && performance.now() - S.lastPicAt < Math.max(400, 4 * S.picMs)) return Promise.resolve();
      var t0 = performance.now();
      var p = call("tb_plane.picture(" + CELLS + ")", {
        PIC: function (m) {
          S.pic = m; S.picEpoch = m.epoch;
          var h = lastEntry();
          if (h && h.epoch === m.epoch && h.train_loss === undefined) h.train_loss = m.train_loss;
          drawFigure(); drawNet(); stats(); publish();
        }
      });
      if (S.selected) p = p.then(explain);
      return p.then(function () {
        S.picMs = performance.now() - t0; S.lastPicAt = performance.now();
        root.setAttribute("data-tb-picture", String(S.picEpoch));
      });
    }

    // The training set's loss and accuracy now, exactly as `tinybackprop train` reports them at the end.
    function exact() {
      var h = lastEntry();
      if (!h || h.train_exact) return Promise.resolve();
      return call("tb_plane.final()", {
        TB: function (m) {
          if (m.epoch !== h.epoch) return;
          h.train_loss = m.train_loss; h.train_accuracy = m.train_accuracy; h.train_exact = true;
          publish(); stats(); drawCurve();
        }
      });
    }

    function diverged() {
      var h = S.history[S.history.length - 1];
      var limit = 1000 * Math.max(S.startLoss, 0.01);
      return h && (!isFinite(h.loss) || h.loss > limit);
    }

    function loop() {
      if (!S.running) return;
      var limit = maxEpochs();
      if (limit === null) { status("Epochs: a whole number from 1 to 5000.", true); pause(); return; }
      if (S.epoch >= limit) { finish(); return; }
      stepOnce().then(function () {
        if (diverged()) {
          S.running = false; S.failed = "diverged";
          status("Training diverged at epoch " + S.epoch + ": the loss grew past 1000 times its start (" +
            fmt(S.startLoss) + "), as `tinybackprop train` would stop too. Lower the learning rate and Reset.", true);
          setState("diverged");
          buttons();
          return afterEpoch(true);
        }
        return afterEpoch(false).then(function () {
          if (S.running) setTimeout(loop, 0);
          else settle();
        });
      }).catch(fail);
    }

    function settle() {
      // paused or done: bring the pictures, the equations and the exact train loss up to this
      // epoch, then say so (the state changes last: a test waiting for it finds everything)
      var gen = S.generation;
      var need = S.picEpoch !== S.epoch;
      return (need ? afterEpoch(true) : Promise.resolve()).then(exact).then(function () {
        if (gen !== S.generation) return;
        restyleEdges(); drawCurve(); stats();
        status(statusLine());
        S.pausing = false;
        setState(S.epoch >= (maxEpochs() || Infinity) ? "done" : "paused");
        buttons();
      }, fail);
    }

    function finish() {
      S.running = false;
      settle().then(function () { if (!S.failed && S.epoch > 0) status(statusLine() + " \u2014 done."); });
    }

    function play() {
      if (S.running) { pause(); return; }
      if (stoppable()) { stopNow(); return; }
      if (S.failed || !S.first) return;
      if (S.epoch >= (maxEpochs() || 0)) {
        status("Epoch " + S.epoch + " reached the limit: raise it (beside the epoch counter) or Reset.");
        return;
      }
      S.running = true;
      setState("running");
      buttons();
      status("Training\u2026 (Pause stops after this epoch)");
      S.t0 = performance.now();
      S.epoch0 = S.epoch;
      loop();
    }
    // Pause: after the epoch under way. If that epoch is still running a moment later (a large
    // network, many points, small batches), the button offers to stop it at once.
    function pause() {
      S.running = false;
      S.pausing = true;
      S.pausedAt = performance.now();
      status("Pausing after epoch " + (S.epoch + 1) + "\u2026");
      buttons();
      setTimeout(function () { if (S.pausing && S.busy) buttons(); }, 1500);
    }
    function stoppable() { return !!(S.pausing && S.busy && performance.now() - S.pausedAt > 1200); }
    function stopNow() {
      S.failed = "stopped"; S.pausing = false;
      if (S.worker) S.worker.stop();
      S.worker = null; S.booting = null; S.busy = false;
      S.queue = Promise.resolve();
      status("Stopped during epoch " + (S.epoch + 1) + ". Kept: the run up to epoch " + S.epoch + " (its curve, its " +
        "pictures and the command that repeats it). Reset starts again with a fresh interpreter.");
      setState("stopped");
      buttons();
    }

    function statusLine() {
      var h = lastEntry();
      if (!h) return "Epoch 0.";
      var cls = S.first.kind === "classification";
      var train = h.train_exact ? "train loss " + fmt(h.train_loss) + (cls ? " (accuracy " +
        (100 * h.train_accuracy).toFixed(1) + "%)" : "") : "running train loss " + fmt(h.loss);
      return "Epoch " + h.epoch + ": " + train + ", test loss " + fmt(h.test_loss) +
        (cls ? " (accuracy " + (100 * h.test_accuracy).toFixed(1) + "%)" : "") + "; " + msPerEpoch() + " ms per epoch.";
    }
    function msPerEpoch() {
      if (!S.stepMs.length) return "\u2013";
      var a = S.stepMs.slice().sort(function (x, y) { return x - y; });
      return String(Math.round(a[Math.floor(a.length / 2)]));
    }

    function buttons() {
      var ok = !!S.first && !S.failed && root.getAttribute("data-tb-state") !== "starting";
      var stop = stoppable();
      btn.play.disabled = !ok && !stop;
      btn.play.textContent = S.running ? "Pause" : (stop ? "Stop now" : "Play");
      btn.play.setAttribute("aria-pressed", S.running ? "true" : "false");
      btn.step.disabled = !ok || S.running;
      btn.reset.disabled = !S.worker && !S.failed && !S.first;
      if (S.failed) btn.reset.disabled = false;
    }

    function publish() {
      root.setAttribute("data-tb-epoch", String(S.epoch));
      root.setAttribute("data-tb-history", JSON.stringify(S.history));
      root.setAttribute("data-tb-weights", JSON.stringify(S.weights));
    }

    // ---- the plane -------------------------------------------------------------------
    function toPx(b, x, y) { return [(x - b[0]) / (b[1] - b[0]) * 300, (b[3] - y) / (b[3] - b[2]) * 300]; }
    function targetScale() {
      var m = 0;
      S.first.train.concat(S.first.test).forEach(function (p) { m = Math.max(m, Math.abs(p[2])); });
      return m || 1;
    }
    function pointColor(v) {
      if (S.first.kind === "regression") return hex(signColor(v, targetScale()));
      return S.first.colors[v];
    }

    function drawFigure() {
      while (fig.firstChild) fig.removeChild(fig.firstChild);
      if (!S.first) return;
      var b = S.first.box, pic = S.pic;
      el("rect", { x: 0, y: 0, width: 300, height: 300, fill: "#ffffff" }, fig);
      if (pic) {
        var href;
        if (S.first.kind === "regression") {
          var sc = targetScale();
          href = image(pic.cells, function (k) { return signColor(pic.out[k] / 1000, sc); });
        } else {
          var k = Math.max(2, S.first.sizes[S.first.sizes.length - 1]);
          var cols = S.first.colors.map(parseHex);
          href = image(pic.cells, function (c) {
            var cls = pic.out[c][0], p = pic.out[c][1] / 1000;
            var sure = Math.max(0, Math.min(1, (p - 1 / k) / (1 - 1 / k)));
            return mix(cols[cls], 0.15 + 0.6 * sure);
          });
        }
        el("image", { href: href, x: 0, y: 0, width: 300, height: 300, preserveAspectRatio: "none",
                      "class": "tb-plane-heat", "data-epoch": pic.epoch }, fig);
      }
      var showTest = form.show_test.checked;
      var g = el("g", { "class": "points" }, fig);
      [["train", S.first.train], ["test", showTest ? S.first.test : []]].forEach(function (part) {
        part[1].forEach(function (p, r) {
          var xy = toPx(b, p[0], p[1]), e;
          var color = pointColor(p[2]);
          if (part[0] === "train") {
            e = el("circle", { cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 3.2, fill: color, stroke: "#ffffff",
                               "stroke-width": 1, "class": "point train" }, g);
          } else {  // test points: diamonds with a dark outline
            var x = xy[0], y = xy[1], d = 4.2;
            e = el("path", { d: "M" + x.toFixed(1) + "," + (y - d).toFixed(1) + "L" + (x + d).toFixed(1) + "," +
                             y.toFixed(1) + "L" + x.toFixed(1) + "," + (y + d).toFixed(1) + "L" + (x - d).toFixed(1) +
                             "," + y.toFixed(1) + "Z", fill: color, stroke: "#202020", "stroke-width": 1.1,
                             "class": "point test" }, g);
          }
          e.setAttribute("data-part", part[0]);
          e.setAttribute("data-row", String(r));
          if (S.example.part === part[0] && S.example.row === r) e.classList.add("tb-example");
          var t = el("title", {}, e);
          t.textContent = part[0] + " point " + (r + 1) + ": (" + fmt(p[0]) + ", " + fmt(p[1]) + "), " +
            (S.first.kind === "regression" ? "height " + fmt(p[2]) : (S.first.classes || [])[p[2]] || "class " + p[2]) +
            " \u2014 click to use it in the equations";
        });
      });
      // the box's range, at the corners
      el("text", { x: 3, y: 296, "class": "tb-plane-axis" }, fig).textContent = "x1 " + fmt(b[0]) + "\u2026" + fmt(b[1]);
      el("text", { x: 297, y: 11, "class": "tb-plane-axis", "text-anchor": "end" }, fig).textContent =
        "x2 " + fmt(b[2]) + "\u2026" + fmt(b[3]);
    }

    fig.addEventListener("click", function (ev) {
      var t = ev.target.closest ? ev.target.closest(".point") : null;
      if (!t) return;
      S.example = { part: t.getAttribute("data-part"), row: Number(t.getAttribute("data-row")) };
      drawFigure();
      if (S.selected) explain();
    });

    // ---- the network -----------------------------------------------------------------
    var NODE = 26, GAP = 32;
    var geo = null;
    function featureLabel(f) {
      return { x1: "x\u2081", x2: "x\u2082", x1sq: "x\u2081\u00b2", x2sq: "x\u2082\u00b2", x1x2: "x\u2081x\u2082",
               sinx1: "sin x\u2081", sinx2: "sin x\u2082" }[f] || f;
    }
    function neuronName(l, j) {
      var L = S.first.sizes.length - 1;
      if (l === 0) return featureLabel(S.first.features[j]) + " (input " + (j + 1) + ")";
      if (l === L) return "output" + (S.first.sizes[L] > 1 ? " " + (j + 1) : "") + ", a^[" + l + "]_" + (j + 1);
      return "a^[" + l + "]_" + (j + 1) + " (layer " + l + ", neuron " + (j + 1) + ")";
    }

    function drawNet() {
      while (netSvg.firstChild) netSvg.removeChild(netSvg.firstChild);
      if (!S.first) return;
      var sizes = S.first.sizes, L = sizes.length - 1, maxn = Math.max.apply(null, sizes);
      var W = Math.max(300, 74 * (L + 1)), H = maxn * GAP + 34;
      netSvg.setAttribute("viewBox", "0 0 " + W + " " + H);
      var pos = [];
      for (var l = 0; l <= L; l++) {
        var col = [], x = 24 + l * (W - 48 - NODE) / L;
        for (var j = 0; j < sizes[l]; j++) col.push([x, 22 + (H - 22) / 2 + (j - (sizes[l] - 1) / 2) * GAP - NODE / 2]);
        pos.push(col);
      }
      geo = pos;
      var halo = el("g", { "class": "tb-halos" }, netSvg), edges = el("g", { "class": "tb-edges" }, netSvg);
      var hits = el("g", {}, netSvg), nodes = el("g", {}, netSvg);
      for (l = 1; l <= L; l++) {
        for (var i = 0; i < sizes[l - 1]; i++) {
          for (j = 0; j < sizes[l]; j++) {
            var a = pos[l - 1][i], c = pos[l][j];
            var line = { x1: a[0] + NODE, y1: a[1] + NODE / 2, x2: c[0], y2: c[1] + NODE / 2 };
            var h = el("line", line, halo);
            h.setAttribute("class", "tb-halo");
            h.id = "tb-plane-halo-" + l + "-" + i + "-" + j;
            var e = el("line", line, edges);
            e.setAttribute("class", "tb-edge");
            e.setAttribute("data-edge", l + "," + i + "," + j);
            var hit = el("line", line, hits);
            hit.setAttribute("class", "tb-edge-hit");
            hit.setAttribute("data-edge", l + "," + i + "," + j);
            hit.setAttribute("tabindex", "0");
            el("title", {}, hit).textContent = "W^[" + l + "]_{" + (i + 1) + "," + (j + 1) + "}: click for its equations";
          }
        }
      }
      var dead = S.pic && S.pic.dead || [];
      for (l = 0; l <= L; l++) {
        el("text", { x: pos[l][0][0] + NODE / 2, y: 11, "text-anchor": "middle", "class": "tb-plane-axis" }, nodes)
          .textContent = l === 0 ? "inputs" : (l === L ? "output" : "layer " + l);
        for (j = 0; j < sizes[l]; j++) {
          var p = pos[l][j];
          var g = el("g", { "class": "tb-node", "data-node": l + "," + j, tabindex: "0", role: "button" }, nodes);
          el("title", {}, g).textContent = neuronName(l, j) + ": click for its equations";
          var img = el("image", { x: p[0], y: p[1], width: NODE, height: NODE, preserveAspectRatio: "none",
                                  "class": "tb-thumb" }, g);
          var src = thumb(l, j);
          if (src) img.setAttribute("href", src);
          var isDead = l > 0 && l < L && dead[l] && dead[l].indexOf(j) >= 0;
          el("rect", { x: p[0], y: p[1], width: NODE, height: NODE, "class": "tb-frame" + (isDead ? " tb-dead" : "") }, g);
          if (isDead) el("text", { x: p[0] + NODE / 2, y: p[1] + NODE / 2 + 4, "text-anchor": "middle", "class": "tb-dead-mark" }, g)
            .textContent = "dead";
          if (l === 0) el("text", { x: p[0] - 3, y: p[1] + NODE / 2 + 4, "text-anchor": "end", "class": "tb-plane-axis" }, g)
            .textContent = featureLabel(S.first.features[j]);
        }
      }
      restyleEdges();
      markSelection();
      drawLayerButtons();
    }

    function thumb(l, j) {
      var pic = S.pic;
      if (!pic) return null;
      var vals = l === 0 ? pic.inputs[j] : pic.units[l][j];
      var m = 1;
      for (var k = 0; k < vals.length; k++) m = Math.max(m, Math.abs(vals[k]) / 1000);
      return image(pic.cells, function (k) { return signColor(vals[k] / 1000, m); });
    }

    function restyleEdges() {
      if (!S.weights || !geo) return;
      var W = S.weights.W, maxw = 0;
      for (var l = 1; l < W.length; l++) W[l].forEach(function (row) { row.forEach(function (w) { maxw = Math.max(maxw, Math.abs(w)); }); });
      netSvg.querySelectorAll("line.tb-edge").forEach(function (e) {
        var k = e.getAttribute("data-edge").split(",").map(Number), row = W[k[0]] && W[k[0]][k[1]];
        if (!row) return;
        var w = row[k[2]];
        e.setAttribute("stroke", w >= 0 ? POS_HEX : NEG_HEX);
        e.setAttribute("stroke-width", (0.4 + 3.6 * Math.abs(w) / (maxw || 1)).toFixed(2));
      });
    }

    function markSelection() {
      netSvg.querySelectorAll(".tb-selected").forEach(function (e) { e.classList.remove("tb-selected"); });
      var s = S.selected;
      if (!s) return;
      if (s.kind === "edge") {
        var h = document.getElementById("tb-plane-halo-" + s.l + "-" + s.i + "-" + s.j);
        if (h) h.classList.add("tb-selected");
      } else {
        var n = netSvg.querySelector('[data-node="' + s.l + "," + s.j + '"]');
        if (n) n.classList.add("tb-selected");
      }
    }

    function select(sel) {
      S.selected = sel;
      markSelection();
      explain();
    }
    netSvg.addEventListener("click", function (ev) {
      var t = ev.target.closest ? ev.target.closest("[data-node], [data-edge]") : null;
      if (!t || !S.first) return;
      if (t.hasAttribute("data-node")) {
        var k = t.getAttribute("data-node").split(",").map(Number);
        select({ kind: "neuron", l: k[0], j: k[1] });
      } else {
        var e = t.getAttribute("data-edge").split(",").map(Number);
        select({ kind: "edge", l: e[0], i: e[1], j: e[2] });
      }
    });
    netSvg.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); ev.target.dispatchEvent(new MouseEvent("click", { bubbles: true })); }
    });

    function drawLayerButtons() {
      layersEl.innerHTML = "";
      function b(label, title, fn, off) {
        var x = document.createElement("button");
        x.type = "button"; x.className = "md-button tb-plane-small"; x.textContent = label; x.title = title;
        x.setAttribute("aria-label", title);
        x.disabled = !!off;
        x.addEventListener("click", fn);
        return x;
      }
      var head = document.createElement("span");
      head.className = "tb-plane-layer";
      head.appendChild(document.createTextNode(S.layers.length + " hidden layer" + (S.layers.length === 1 ? "" : "s") + " "));
      head.appendChild(b("\u2212", "remove the last hidden layer", function () { S.layers.pop(); changed(); }, !S.layers.length));
      head.appendChild(b("+", "add a hidden layer", function () {
        S.layers.push(S.layers.length ? S.layers[S.layers.length - 1] : 4); changed();
      }, S.layers.length >= MAX_LAYERS));
      head.setAttribute("data-layers", String(S.layers.length));
      layersEl.appendChild(head);
      S.layers.forEach(function (n, k) {
        var span = document.createElement("span");
        span.className = "tb-plane-layer";
        span.setAttribute("data-layer", String(k + 1));
        span.appendChild(document.createTextNode("layer " + (k + 1) + ": "));
        span.appendChild(b("\u2212", "one neuron fewer in layer " + (k + 1), function () { S.layers[k]--; changed(); }, n <= 1));
        var o = document.createElement("output");
        o.textContent = String(n);
        span.appendChild(o);
        span.appendChild(b("+", "one neuron more in layer " + (k + 1), function () { S.layers[k]++; changed(); }, n >= MAX_WIDTH));
        layersEl.appendChild(span);
      });
    }

    // ---- the loss curve and the numbers ----------------------------------------------
    function drawCurve() {
      while (curve.firstChild) curve.removeChild(curve.firstChild);
      var h = S.history, l = 42, r = 6, t = 8, bm = 38, W = 300, H = 130;
      var start = S.first ? [{ epoch: 0, train_loss: S.first.train_loss, test_loss: S.first.test_loss }] : [];
      var pts = start.concat(h), trainPts = pts.filter(function (e) { return e.train_loss !== undefined; });
      var maxE = Math.max(10, S.epoch), maxL = 0;
      pts.forEach(function (e) { if (isFinite(e.train_loss)) maxL = Math.max(maxL, e.train_loss); if (isFinite(e.test_loss)) maxL = Math.max(maxL, e.test_loss); });
      maxL = maxL || 1;
      el("line", { x1: l, y1: H - bm, x2: W - r, y2: H - bm, stroke: "#999" }, curve);
      el("line", { x1: l, y1: t, x2: l, y2: H - bm, stroke: "#999" }, curve);
      el("text", { x: l - 3, y: t + 7, "text-anchor": "end" }, curve).textContent = fmt(maxL);
      el("text", { x: l - 3, y: H - bm, "text-anchor": "end" }, curve).textContent = "0";
      el("text", { x: W - r, y: H - bm + 11, "text-anchor": "end" }, curve).textContent = "epoch " + maxE;
      function line(key, list) {
        var step = Math.max(1, Math.floor(list.length / 400));  // at most about 400 points per line
        return list.filter(function (e, k) { return k % step === 0 || k === list.length - 1; }).map(function (e) {
          var v = isFinite(e[key]) ? Math.min(e[key], maxL) : maxL;
          return (l + (W - l - r) * e.epoch / maxE).toFixed(1) + "," + (H - bm - (H - bm - t) * v / maxL).toFixed(1);
        }).join(" ");
      }
      if (pts.length) {
        el("polyline", { points: line("train_loss", trainPts), fill: "none", stroke: "#222222", "stroke-width": 1.6, "class": "train" }, curve);
        el("polyline", { points: line("test_loss", pts), fill: "none", stroke: "#777777", "stroke-width": 1.4,
                         "stroke-dasharray": "4 3", "class": "test" }, curve);
      }
      // the legend, under the plot, one line each
      el("line", { x1: l, y1: H - 17, x2: l + 18, y2: H - 17, stroke: "#222222", "stroke-width": 1.6 }, curve);
      el("text", { x: l + 22, y: H - 14 }, curve).textContent = "train loss (after the epoch, at each picture)";
      el("line", { x1: l, y1: H - 5, x2: l + 18, y2: H - 5, stroke: "#777777", "stroke-width": 1.4, "stroke-dasharray": "4 3" }, curve);
      el("text", { x: l + 22, y: H - 2 }, curve).textContent = "test loss (after each epoch)";
    }

    function stats() {
      if (!S.first) { statsEl.innerHTML = ""; return; }
      var h = lastEntry() || { epoch: 0, train_loss: S.first.train_loss, test_loss: S.first.test_loss, train_exact: true };
      var rows = [];
      var cls = S.first.kind === "classification";
      var t = null;
      for (var k = S.history.length - 1; k >= 0 && !t; k--) if (S.history[k].train_loss !== undefined) t = S.history[k];
      t = t || { epoch: 0, train_loss: S.first.train_loss };
      rows.push(["Train loss", fmt(t.train_loss) + (cls && t.train_accuracy != null ? " (accuracy " +
        (100 * t.train_accuracy).toFixed(1) + "%)" : "") + " after epoch " + t.epoch +
        (h.loss !== undefined ? "; running loss during epoch " + h.epoch + ": " + fmt(h.loss) : ""), "train"]);
      rows.push(["Test loss", fmt(h.test_loss) + (cls && h.test_accuracy != null ? " (accuracy " + (100 * h.test_accuracy).toFixed(1) + "%)" : ""), "test"]);
      var pic = S.pic;
      if (pic) {
        var L = S.first.sizes.length - 1;
        if (S.first.hidden === "relu" && L > 1) {
          var d = [];
          for (var l = 1; l < L; l++) d.push("layer " + l + ": " + pic.dead[l].length + " of " + S.first.sizes[l]);
          rows.push(["Dead relu units", d.join(", ") + " (epoch " + pic.epoch + ")", "dead"]);
        }
        var gs = [];
        for (l = 1; l <= L; l++) gs.push(l + ": " + fmt(pic.grad[l]));
        rows.push(["Gradient size per layer", gs.join(", ") + " (epoch " + pic.epoch + ")", "grad"]);
      }
      rows.push(["Time per epoch", msPerEpoch() + " ms in this browser (median of the last " + S.stepMs.length + ")", "time"]);
      var mem = S.memory[S.memory.length - 1];
      if (mem) rows.push(["Memory", (mem[1] / 1048576).toFixed(0) + " MB (this interpreter's WebAssembly memory; " +
                          "it stays flat: one epoch per call)", "memory"]);
      statsEl.innerHTML = "";
      rows.forEach(function (r) {
        var div = document.createElement("div"), k = document.createElement("span"), v = document.createElement("span");
        div.className = "tb-plane-stat";
        k.className = "tb-plane-k"; k.textContent = r[0] + " ";
        v.textContent = r[1]; v.setAttribute("data-stat", r[2]);
        div.appendChild(k); div.appendChild(v);
        statsEl.appendChild(div);
      });
      if (pic) {
        var note = document.createElement("p");
        note.className = "tb-plane-note";
        note.textContent = "Gradient size: sqrt of the sum of squares of dL/dW^[l] and dL/db^[l], the mean loss over the " +
          "training set (vectorized.backward)." + (S.first.hidden === "relu" ? " Dead: a relu unit whose output is 0 " +
          "on every training point; its gradient is 0 there, so no step changes its incoming weights." : "");
        statsEl.appendChild(note);
      }
    }

    // ---- the equations ---------------------------------------------------------------
    function explain() {
      var s = S.selected;
      if (!s || !S.first) return Promise.resolve();
      var sel = { kind: s.kind, l: s.l, j: s.j, i: s.i, part: S.example.part, row: S.example.row };
      return call("tb_plane.explain(" + JSON.stringify(JSON.stringify(sel)) + ")", {
        EQ: function (m) { S.eqEpoch = m.epoch; drawEquations(m); }
      });
    }

    function math(tex, fallback) {
      var span = document.createElement("div");
      span.className = "tb-math";
      if (window.katex && tex) {
        try { window.katex.render(tex, span, { displayMode: true, throwOnError: false }); return span; } catch (e) { /* text below */ }
      }
      span.textContent = fallback;
      return span;
    }

    function drawEquations(m) {
      eqEl.innerHTML = "";
      var s = m.sel;
      var head = document.createElement("h4");
      head.textContent = s.kind === "edge" ? "The weight W^[" + s.l + "]_{" + (s.i + 1) + "," + (s.j + 1) + "} (from " +
        neuronName(s.l - 1, s.i) + " to " + neuronName(s.l, s.j) + ")" : "The neuron " + neuronName(s.l, s.j);
      var close = document.createElement("button");
      close.type = "button"; close.className = "md-button tb-plane-small"; close.textContent = "Close";
      close.addEventListener("click", function () { S.selected = null; eqEl.innerHTML = ""; markSelection(); });
      head.appendChild(document.createTextNode(" "));
      head.appendChild(close);
      eqEl.appendChild(head);
      var ex = document.createElement("p");
      ex.className = "tb-plane-example";
      ex.textContent = "At epoch " + m.epoch + ", for " + m.sel.part + " point " + (m.sel.row + 1) + " (x1, x2) = (" +
        m.point.map(fmt).join(", ") + "): input x = (" + m.x.map(fmt).join(", ") + "), target y = (" + m.y.map(fmt).join(", ") +
        "). The numbers are tinybackprop's (show.explain.explain_steps, per_neuron.forward and backward) for this " +
        "example at the current weights. Click a point in the plane to take another example.";
      eqEl.appendChild(ex);
      eqEl.setAttribute("data-sel", JSON.stringify(m.sel));
      eqEl.setAttribute("data-epoch", String(m.epoch));
      [["forward", "Forward (this neuron)"], ["neuron", "Backward, neuron by neuron"], ["matrix", "The same in matrix form (its layer)"]]
        .forEach(function (part) {
          var list = m[part[0]];
          if (!list.length) return;
          var sec = document.createElement("section");
          sec.className = "tb-plane-eq-" + part[0];
          var h = document.createElement("h5");
          h.textContent = part[1];
          sec.appendChild(h);
          list.forEach(function (st) {
            var d = document.createElement("div");
            d.className = "tb-plane-step";
            d.setAttribute("data-id", st.id);
            d.setAttribute("data-target", JSON.stringify(st.target));
            d.setAttribute("data-value", JSON.stringify(st.value));
            var id = document.createElement("span");
            id.className = "tb-plane-eqid";
            id.textContent = "[eq:" + st.id + "]";
            d.appendChild(id);
            d.appendChild(math(st.latex, st.symbolic + "  =  " + st.numbers));
            var nums = document.createElement("div");
            nums.className = "tb-plane-nums";
            nums.textContent = st.symbolic + "   \u2192   " + st.numbers;
            d.appendChild(nums);
            sec.appendChild(d);
          });
          eqEl.appendChild(sec);
        });
    }

    // ---- the controls ----------------------------------------------------------------
    function decayText() {
      var wd = Number(form.weight_decay.value);
      decayKind.textContent = !(wd > 0) ? "no weight decay" : (form.optimizer.value === "adamw" ?
        "decoupled (AdamW: the weights shrink by \u03b1\u03bbW beside the step)" : "L2 (\u03bbW added to the gradient)");
    }
    function changed() {
      drawLayerButtons();
      if (!S.worker && !S.booting) return boot();
      return newRun();
    }
    form.data.addEventListener("change", function () {
      if (NOISE[form.data.value] !== undefined) form.noise.value = NOISE[form.data.value];
    });
    form.optimizer.addEventListener("change", function () {
      form.lr.value = LR[form.optimizer.value];
      if (form.optimizer.value === "adamw" && !(Number(form.weight_decay.value) > 0)) form.weight_decay.value = 0.01;
      decayText();
    });
    form.weight_decay.addEventListener("input", decayText);
    form.train_percent.addEventListener("input", function () { ratioOut.textContent = form.train_percent.value + "%"; });
    form.show_test.addEventListener("change", drawFigure);
    form.addEventListener("change", function (ev) {
      if (ev.target.name === "show_test") return;
      changed();
    });
    btn.play.addEventListener("click", play);
    btn.step.addEventListener("click", function () {
      if (S.running || S.failed || !S.first) return;
      btn.step.disabled = true;
      stepOnce().then(function () {
        if (diverged()) { S.failed = "diverged"; setState("diverged"); }
        return afterEpoch(true);
      }).then(exact).then(function () { status(statusLine()); setState(S.failed || "paused"); buttons(); }, fail);
    });
    btn.reset.addEventListener("click", function () { S.running = false; newRun(); });
    epochsInput.addEventListener("change", function () { buttons(); });

    function boot() {
      status("Starting a MicroPython in the background for the 2-D playground\u2026");
      return worker().then(newRun, function (e) {
        status("Could not start Python in this page: " + (e && e.message || e), true);
        setState("error");
      });
    }

    root.tbPlane = {  // for the tests: run Python in this playground's interpreter
      run: function (code) { return call(code, {}); }
    };
    decayText();
    drawLayerButtons();
    drawCurve();
    buttons();
    root.setAttribute("data-tb-ready", "1");
    // Python starts when the 2-D playground comes near the screen (not for readers who never get here)
    if ("IntersectionObserver" in window) {
      var seen = false;
      var io = new IntersectionObserver(function (entries) {
        if (seen || !entries.some(function (e) { return e.isIntersecting; })) return;
        seen = true; io.disconnect(); boot();
      }, { rootMargin: "400px" });
      io.observe(root);
    } else boot();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
