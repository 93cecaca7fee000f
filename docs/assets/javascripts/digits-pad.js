/*
 * The digits page's drawing pad: draw a digit, the network trained at build time reads it.
 *
 * The pad is a 32x32 grid of ink (as the data set's digits were scanned: 32x32 bitmaps);
 * each 4x4 block's count of inked cells is one of the 64 pixels 0-16 the network takes.
 * "Fit to the box" first scales the drawing to fill the 32x32 box, as the data set's
 * digits were normalised. The network (inlined in the page as JSON, with how its inputs
 * are scaled) runs in MicroPython through window.tbPython (tb-python.js): the page
 * sends the 64 pixels, tinybackprop's own predict() returns the ten softmax outputs.
 *
 * For tests the pad exposes what it did: data-pixels (the 64 values sent), data-outputs
 * (the ten outputs received, JSON), data-state ("idle", "busy", "done", "error").
 */
(function () {
  "use strict";
  var N = 32, BLOCK = 4, SIDE = 8;

  function setUp(pad) {
    if (pad.getAttribute("data-tb-ready")) return;
    pad.setAttribute("data-tb-ready", "1");
    var canvas = pad.querySelector(".tb-pad-canvas");
    var seen = pad.querySelector(".tb-pad-seen");
    var barsBox = pad.querySelector(".tb-pad-bars");
    var answer = pad.querySelector(".tb-pad-answer");
    var status = pad.querySelector(".tb-pad-status");
    var fit = pad.querySelector(".tb-pad-fit");
    var modelEl = document.getElementById("tb-digits-model");
    var model = JSON.parse(modelEl.textContent);
    var classes = (model.data && model.data.classes) || ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    var ink = new Uint8Array(N * N);
    var ctx = canvas.getContext("2d"), sctx = seen.getContext("2d");
    var bars = [];
    var started = false, busy = false, again = false, last = null, drawing = false, timer = null;

    classes.forEach(function (name, k) {
      var row = document.createElement("div");
      row.className = "tb-pad-bar";
      row.setAttribute("role", "listitem");
      row.innerHTML = '<span class="tb-pad-label"></span><span class="tb-pad-track"><span class="tb-pad-fill">' +
        '</span></span><span class="tb-pad-value"></span>';
      row.querySelector(".tb-pad-label").textContent = name;
      barsBox.appendChild(row);
      bars.push(row);
    });
    pad.setAttribute("data-state", "idle");

    function paint() {
      var s = canvas.width / N;
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.fillStyle = "#111111";
      for (var i = 0; i < N * N; i++) if (ink[i]) ctx.fillRect((i % N) * s, Math.floor(i / N) * s, s, s);
      ctx.strokeStyle = "rgba(63, 81, 181, 0.25)";
      ctx.lineWidth = 1;
      for (var k = 1; k < SIDE; k++) {
        var p = Math.round(k * BLOCK * s) + 0.5;
        ctx.beginPath(); ctx.moveTo(p, 0); ctx.lineTo(p, canvas.height); ctx.stroke();
        ctx.beginPath(); ctx.moveTo(0, p); ctx.lineTo(canvas.width, p); ctx.stroke();
      }
    }

    function stamp(x, y) {  // a round brush, radius 2.2 cells
      for (var r = Math.floor(y - 3); r <= Math.ceil(y + 3); r++) {
        for (var c = Math.floor(x - 3); c <= Math.ceil(x + 3); c++) {
          if (r < 0 || c < 0 || r >= N || c >= N) continue;
          var dx = c + 0.5 - x, dy = r + 0.5 - y;
          if (dx * dx + dy * dy <= 4.84) ink[r * N + c] = 1;
        }
      }
    }

    function where(e) {
      var box = canvas.getBoundingClientRect();
      return { x: (e.clientX - box.left) / box.width * N, y: (e.clientY - box.top) / box.height * N };
    }

    function line(a, b) {
      var d = Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y));
      var steps = Math.max(1, Math.ceil(d * 2));
      for (var k = 0; k <= steps; k++) stamp(a.x + (b.x - a.x) * k / steps, a.y + (b.y - a.y) * k / steps);
    }

    // The ink scaled to fill the 32x32 box (longer side 32 cells), centred.
    function fitted() {
      var top = N, bottom = -1, left = N, right = -1;
      for (var i = 0; i < N * N; i++) {
        if (!ink[i]) continue;
        var r = Math.floor(i / N), c = i % N;
        if (r < top) top = r; if (r > bottom) bottom = r;
        if (c < left) left = c; if (c > right) right = c;
      }
      if (bottom < 0) return ink;
      var h = bottom - top + 1, w = right - left + 1, scale = N / Math.max(h, w);
      var out = new Uint8Array(N * N);
      var oh = h * scale, ow = w * scale, oy = (N - oh) / 2, ox = (N - ow) / 2;
      for (var r2 = 0; r2 < N; r2++) {
        for (var c2 = 0; c2 < N; c2++) {
          var sr = Math.floor((r2 + 0.5 - oy) / scale + top), sc = Math.floor((c2 + 0.5 - ox) / scale + left);
          if (sr >= top && sr <= bottom && sc >= left && sc <= right && ink[sr * N + sc]) out[r2 * N + c2] = 1;
        }
      }
      return out;
    }

    function pixels() {
      var src = fit.checked ? fitted() : ink, px = [];
      for (var br = 0; br < SIDE; br++) {
        for (var bc = 0; bc < SIDE; bc++) {
          var n = 0;
          for (var r = 0; r < BLOCK; r++) for (var c = 0; c < BLOCK; c++) n += src[(br * BLOCK + r) * N + bc * BLOCK + c];
          px.push(n);
        }
      }
      return px;
    }

    function showSeen(px) {
      var s = seen.width / SIDE;
      for (var i = 0; i < px.length; i++) {
        var v = Math.round(255 * (1 - px[i] / 16));
        sctx.fillStyle = "rgb(" + v + "," + v + "," + v + ")";
        sctx.fillRect((i % SIDE) * s, Math.floor(i / SIDE) * s, s, s);
      }
    }

    function showBars(out) {
      var best = 0;
      if (out) for (var k = 1; k < out.length; k++) if (out[k] > out[best]) best = k;
      bars.forEach(function (row, k) {
        var p = out ? out[k] : 0;
        row.querySelector(".tb-pad-fill").style.width = (100 * p).toFixed(1) + "%";
        row.querySelector(".tb-pad-value").textContent = out ? p.toFixed(3) : "";
        row.setAttribute("aria-label", classes[k] + ": " + (out ? p.toFixed(3) : "no drawing"));
        row.classList.toggle("tb-pad-best", !!out && k === best);
      });
      answer.textContent = out ? "\u2014 it reads " + classes[best] : "";
    }

    function pyString(text) { return JSON.stringify(text); }  // a JSON string is a Python str literal here

    function setup() {
      var code = "import json\nfrom tinybackprop import Network\nfrom tinybackprop.datasets import Standardizer\n" +
        "_pad_d = json.loads(" + pyString(JSON.stringify(model)) + ")\n" +
        "_pad_net = Network.from_dict(_pad_d)\n" +
        "_pad_std = Standardizer.from_dict(_pad_d['data']['standardize'])\nprint('ok')\n";
      return window.tbPython.run(code).then(function (r) {
        if (r.err || r.out.trim() !== "ok") throw new Error(r.err || r.out);
      });
    }

    function classify() {
      if (busy) { again = true; return; }
      var px = pixels();
      showSeen(px);
      if (px.every(function (v) { return v === 0; })) { showBars(null); return; }
      if (!window.tbPython) { status.textContent = "In-page Python is not available on this page."; return; }
      busy = true;
      pad.setAttribute("data-state", "busy");
      if (!started) status.textContent = "Starting Python (MicroPython, in this page)\u2026";
      var t0 = performance.now();
      var first = started ? Promise.resolve() : setup().then(function () { started = true; });
      first.then(function () {
        return window.tbPython.run("print(json.dumps(_pad_net.predict(_pad_std.transform([" + JSON.stringify(px) +
          "]))[0]))\n");
      }).then(function (r) {
        if (r.err) throw new Error(r.err);
        var out = JSON.parse(r.out);
        showBars(out);
        pad.setAttribute("data-pixels", JSON.stringify(px));
        pad.setAttribute("data-outputs", JSON.stringify(out));
        pad.setAttribute("data-state", "done");
        status.textContent = "Computed by tinybackprop's Network.predict in MicroPython, in this page, in " +
          Math.round(performance.now() - t0) + " ms.";
      }, function (e) {
        pad.setAttribute("data-state", "error");
        status.textContent = "Could not run the network in this page: " + (e && e.message || e);
      }).then(function () {
        busy = false;
        if (again) { again = false; classify(); }
      });
    }

    function soon() {
      if (timer) return;
      timer = setTimeout(function () { timer = null; classify(); }, 120);
    }

    canvas.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      drawing = true;
      last = where(e);
      stamp(last.x, last.y);
      paint();
      if (canvas.setPointerCapture) canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      e.preventDefault();
      var p = where(e);
      line(last, p);
      last = p;
      paint();
    });
    function up() {
      if (!drawing) return;
      drawing = false;
      soon();
    }
    canvas.addEventListener("pointerup", up);
    canvas.addEventListener("pointercancel", up);
    pad.querySelector(".tb-pad-clear").addEventListener("click", function () {
      ink = new Uint8Array(N * N);
      paint();
      showSeen(pixels());
      showBars(null);
      pad.removeAttribute("data-pixels");
      pad.removeAttribute("data-outputs");
      pad.setAttribute("data-state", "idle");
    });
    fit.addEventListener("change", soon);
    paint();
    showSeen(pixels());
    showBars(null);
  }

  function scan() {
    var pads = document.querySelectorAll(".tb-digits-pad");
    for (var i = 0; i < pads.length; i++) setUp(pads[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(scan);
})();
