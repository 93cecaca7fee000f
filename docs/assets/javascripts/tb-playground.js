/*
 * The playground (docs/playground.md): a network drawn with its values, the forward and
 * backward pass one equation at a time, and training on Iris.
 *
 * Every number on it comes from tinybackprop running in the page (window.tbPython, see
 * tb-python.js): docs/python/tb_playground.py calls per_neuron.forward/backward,
 * explain.explain_steps and training.train and prints JSON; this file only draws it.
 * There is no backpropagation in JavaScript here.
 */
(function () {
  "use strict";
  // tb-python.js (window.tbPython) is at the end of the page: start once the page is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  function start() {
  var root = document.getElementById("tb-playground");
  if (!root || !window.tbPython) return;

  var SVGNS = "http://www.w3.org/2000/svg";
  var POS = "#2166ac", NEG = "#b2182b";  // the sign of a weight, site-wide: blue positive, red negative
  var CANONICAL = { sigmoid: "bce", softmax: "cross_entropy", identity: "squared_error" };
  var form = root.querySelector(".tb-pg-controls");
  var statusEl = root.querySelector(".tb-pg-status");
  var svg = root.querySelector(".tb-pg-svg");
  var edgeInfo = root.querySelector(".tb-pg-edgeinfo");
  var stepEl = root.querySelector(".tb-pg-step");
  var wtables = root.querySelector(".tb-pg-wtables");
  var btn = {};
  root.querySelectorAll("[data-act]").forEach(function (b) { btn[b.getAttribute("data-act")] = b; });

  var S = {
    data: null,          // what tb_playground.state printed
    W: null, b: null,    // weights edited by the learner (null: the seeded ones)
    view: "neuron",
    fwd: 0, bwd: 0,      // steps done in each phase
    current: null,       // the step shown: {phase, index}
    picked: null,        // edge shown in the info box: [l, i, j]
    anim: null
  };

  // ---- numbers as the steps show them (4 significant digits) -------------------------
  function fmt(v) {
    if (v === null || v === undefined) return "";
    if (typeof v !== "number") return String(v);
    if (v === 0) return "0";
    var a = Math.abs(v);
    if (a >= 1e-4 && a < 1e5) return String(Number(v.toPrecision(4)));
    return v.toExponential(3);
  }
  function full(v) { return typeof v === "number" ? String(v) : JSON.stringify(v); }

  function status(text, bad) {
    statusEl.textContent = text;
    statusEl.classList.toggle("tb-pg-bad", !!bad);
  }

  function parseList(text, what) {
    var parts = String(text).split(/[\s,;]+/).filter(function (s) { return s !== ""; });
    var out = parts.map(Number);
    if (!parts.length || out.some(function (v) { return !isFinite(v); })) {
      throw new Error(what + ": write numbers separated by commas, e.g. 0.1,0.2");
    }
    return out;
  }

  function params() {
    var sizes = parseList(form.sizes.value, "Sizes");
    if (sizes.some(function (n) { return n < 1 || n > 8 || Math.floor(n) !== n; }) || sizes.length < 2 || sizes.length > 6) {
      throw new Error("Sizes: 2 to 6 layers of 1 to 8 neurons each, e.g. 4,3,2,1");
    }
    var seed = Number(form.seed.value);
    if (!isFinite(seed) || Math.floor(seed) !== seed) throw new Error("Seed: a whole number");
    return {
      sizes: sizes, hidden: form.hidden.value, output: form.output.value, loss: form.loss.value,
      seed: seed, x: parseList(form.x.value, "Input x"), y: parseList(form.y.value, "Target y"),
      W: S.W, b: S.b
    };
  }

  // Keep x and y as long as the first and last layer.
  function fitXY() {
    var sizes;
    try { sizes = parseList(form.sizes.value, "Sizes"); } catch (e) { return; }
    var x = [], y = [];
    try { x = parseList(form.x.value, "x"); } catch (e) { /* refilled below */ }
    try { y = parseList(form.y.value, "y"); } catch (e) { /* refilled below */ }
    var n0 = sizes[0], nL = sizes[sizes.length - 1];
    if (x.length !== n0) {
      var nx = [];
      for (var i = 0; i < n0; i++) nx.push(i < x.length ? x[i] : Math.round((i + 1) * 10) / 100);
      form.x.value = nx.join(",");
    }
    if (y.length !== nL) {
      var ny = [];
      for (var j = 0; j < nL; j++) ny.push(j < y.length ? y[j] : (j === 0 ? 1 : 0));
      form.y.value = ny.join(",");
    }
  }

  // ---- Python ------------------------------------------------------------------------
  function py(code) {
    return window.tbPython.run(code).then(function (r) {
      if (r.err) {
        var lines = r.err.trim().split("\n");
        throw new Error(lines[lines.length - 1]);
      }
      return r.out;
    });
  }

  function compute(keepSteps) {
    var p;
    try { p = params(); } catch (e) { status(e.message, true); return Promise.resolve(); }
    status("Computing with tinybackprop in this page\u2026");
    var code = "import json, tb_playground\nprint(tb_playground.state_json(**json.loads(" +
      JSON.stringify(JSON.stringify(p)) + ")))\n";
    return py(code).then(function (out) {
      S.data = JSON.parse(out);
      if (!keepSteps) { S.fwd = 0; S.bwd = 0; S.current = null; }
      clamp();
      draw();
      weightTables();
      showStep();
      status("Numbers from tinybackprop " + "(per_neuron.forward / backward, explain_steps), running in MicroPython " +
        (window.__tbMicroPython ? window.__tbMicroPython.version : "") + " in this page. Loss L = " +
        fmt(S.data.g.loss) + ".");
      root.setAttribute("data-tb-ready", "1");
    }, function (e) {
      status("tinybackprop says: " + e.message, true);
    });
  }

  function steps(phase) {
    if (!S.data) return [];
    return S.data.steps[phase === "fwd" ? "forward" : "backward"][S.view];
  }
  function clamp() {
    S.fwd = Math.min(S.fwd, steps("fwd").length);
    S.bwd = Math.min(S.bwd, steps("bwd").length);
    if (S.current) {
      var n = steps(S.current.phase).length;
      if (S.current.index >= n) S.current.index = n - 1;
    }
    updateButtons();
  }
  function updateButtons() {
    btn.fwd.disabled = !S.data || S.fwd >= steps("fwd").length;
    btn.bwd.disabled = !S.data || S.bwd >= steps("bwd").length;
    if (btn.back) btn.back.disabled = !S.data || (S.fwd === 0 && S.bwd === 0);
    btn.fwd.textContent = "Forward step" + (S.data ? " (" + S.fwd + "/" + steps("fwd").length + ")" : "");
    btn.bwd.textContent = "Backward step" + (S.data ? " (" + S.bwd + "/" + steps("bwd").length + ")" : "");
    btn.all.textContent = S.anim ? "Pause" : "Run all";
  }

  // ---- what is known so far (drives what the drawing shows) --------------------------
  function revealed(kind, l, j) {
    var list = kind === "fz" || kind === "fa" ? steps("fwd").slice(0, S.fwd) : steps("bwd").slice(0, S.bwd);
    for (var k = 0; k < list.length; k++) {
      var t = list[k].target;
      if (t[0] === kind && t[1] === l && (t.length === 2 || t[2] === j)) return true;
    }
    return false;
  }

  // ---- the drawing -------------------------------------------------------------------
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, cls, anchor) {
    var t = el("text", { x: x, y: y, "text-anchor": anchor || "middle" }, parent);
    if (cls) t.setAttribute("class", cls);
    t.textContent = s;
    return t;
  }

  // A neuron's name: x_j in the input, yhat (yhat_j) at the output, a^[l]_j in between.
  function nodeName(parent, x, y, l, j, L, nL) {
    var t = el("text", { x: x, y: y, "text-anchor": "middle", "class": "tb-small tb-name" }, parent);
    function span(s, shift) {
      var e = el("tspan", shift ? { "baseline-shift": shift, "font-size": "75%" } : {}, t);
      e.textContent = s;
    }
    if (l === 0) { span("x"); span(String(j + 1), "sub"); }
    else if (l === L) { span("\u0177"); if (nL > 1) span(String(j + 1), "sub"); }
    else { span("a"); span("[" + l + "]", "super"); span(String(j + 1), "sub"); }
    t.setAttribute("data-name", l === 0 ? "x_" + (j + 1) : (l === L ? "yhat" + (nL > 1 ? "_" + (j + 1) : "") : "a^[" + l + "]_" + (j + 1)));
    return t;
  }

  var pos = [];
  function draw() {
    var d = S.data, sizes = d.sizes, L = sizes.length - 1;
    var maxn = Math.max.apply(null, sizes);
    var W = Math.max(330, Math.min(560, svg.clientWidth || 560)), gap = 74, H = Math.max(190, maxn * gap + 50);
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    pos = [];
    for (var l = 0; l <= L; l++) {
      var col = [], n = sizes[l];
      var x = 50 + l * (W - 100) / L;
      for (var j = 0; j < n; j++) col.push([x, H / 2 + (j - (n - 1) / 2) * gap]);
      pos.push(col);
    }
    var halos = el("g", {}, svg), edges = el("g", {}, svg), hits = el("g", {}, svg), nodes = el("g", {}, svg);
    var maxw = 0;
    for (l = 1; l <= L; l++) d.W[l].forEach(function (row) { row.forEach(function (w) { maxw = Math.max(maxw, Math.abs(w)); }); });
    for (l = 1; l <= L; l++) {
      for (var i = 0; i < sizes[l - 1]; i++) {
        for (j = 0; j < sizes[l]; j++) {
          var w = d.W[l][i][j], p0 = pos[l - 1][i], p1 = pos[l][j];
          // the halo under an edge carries its marks (amber: this step writes it), so the edge keeps its sign colour
          el("line", { x1: p0[0] + 20, y1: p0[1], x2: p1[0] - 20, y2: p1[1], "class": "tb-halo",
                       id: "tb-halo-" + l + "-" + i + "-" + j }, halos);
          var line = el("line", {
            x1: p0[0] + 20, y1: p0[1], x2: p1[0] - 20, y2: p1[1], "class": "tb-edge",
            stroke: w >= 0 ? POS : NEG, "stroke-width": (0.8 + 3 * Math.abs(w) / (maxw || 1)).toFixed(2),
            opacity: 0.7, "data-edge": l + "," + i + "," + j
          }, edges);
          line.id = "tb-edge-" + l + "-" + i + "-" + j;
          var hit = el("line", { x1: p0[0] + 20, y1: p0[1], x2: p1[0] - 20, y2: p1[1], "class": "tb-edge-hit",
            "data-edge": l + "," + i + "," + j, tabindex: "0" }, hits);
          el("title", {}, hit).textContent = "W^[" + l + "]_{" + (i + 1) + "," + (j + 1) + "}";
          hit.addEventListener("mouseenter", pickEdge);
          hit.addEventListener("click", pickEdge);
          hit.addEventListener("focus", pickEdge);
        }
      }
    }
    for (l = 0; l <= L; l++) {
      text(nodes, pos[l][0][0], 14, l === 0 ? "input" : (l === L ? "output" : "layer " + l), "tb-small");
      for (j = 0; j < sizes[l]; j++) {
        var g = el("g", { "class": "tb-node", id: "tb-node-" + l + "-" + j }, nodes);
        var c = pos[l][j];
        el("circle", { cx: c[0], cy: c[1], r: 20 }, g);
        var inside = l === 0 ? fmt(d.x[0][j]) : (revealed("fa", l, j) ? fmt(d.a[l][0][j]) : "?");
        text(g, c[0], c[1] + 3.5, inside);
        nodeName(g, c[0], c[1] - 24, l, j, L, sizes[L]);
        if (l > 0 && revealed("fz", l, j)) text(g, c[0], c[1] + 31, "z " + fmt(d.z[l][0][j]), "tb-small");
        if (l > 0 && revealed("g_z", l, j)) text(g, c[0], c[1] + 41, "dL/dz " + fmt(d.g.g_z[l][0][j]), "tb-small tb-grad");
        if (l === 0 && revealed("x", 0, j)) text(g, c[0], c[1] + 31, "dL/dx " + fmt(d.g.x[0][j]), "tb-small tb-grad");
      }
    }
    if (revealed("loss", 0, 0) || (S.fwd >= steps("fwd").length && S.fwd > 0)) {
      var o = pos[L][0];
      text(nodes, o[0], H - 8, "L = " + fmt(d.g.loss), "tb-grad");
    }
    highlight();
    if (S.picked) showEdge(S.picked[0], S.picked[1], S.picked[2]);
  }

  // Marks: "tb-writes" (a thick amber outline: what this step computes), "tb-reads" (a dashed
  // grey outline: what it reads), "tb-chosen" (amber: the edge tapped). On an edge they go on its
  // halo, so that the edge keeps the colour of its weight's sign.
  function highlight() {
    svg.querySelectorAll(".tb-writes, .tb-reads, .tb-chosen").forEach(function (e) {
      e.classList.remove("tb-writes"); e.classList.remove("tb-reads"); e.classList.remove("tb-chosen");
    });
    if (S.picked) {
      var pe = document.getElementById("tb-halo-" + S.picked.join("-"));
      if (pe) pe.classList.add("tb-chosen");
    }
    var st = currentStep();
    if (!st) return;
    mark(st.target, "tb-writes");
    (st.operands || []).forEach(function (op) { mark(op[0], "tb-reads"); });
  }

  // A target or operand such as ["W", 3, 1, 0], ["g_z", 2, 1], ["a", 1], ["weight", 2] -> elements.
  function mark(t, cls) {
    if (!t || !S.data) return;
    var kind = t[0], sizes = S.data.sizes, L = sizes.length - 1;
    function node(l, j) { var e = document.getElementById("tb-node-" + l + "-" + j); if (e) e.classList.add(cls); }
    function edge(l, i, j) { var e = document.getElementById("tb-halo-" + l + "-" + i + "-" + j); if (e) e.classList.add(cls); }
    function layer(l) { for (var j = 0; j < sizes[l]; j++) node(l, j); }
    function edges(l) { for (var i = 0; i < sizes[l - 1]; i++) for (var j = 0; j < sizes[l]; j++) edge(l, i, j); }
    if (kind === "W" || kind === "weight") {
      if (t.length === 4) edge(t[1], t[2], t[3]); else edges(t[1]);
    } else if (kind === "x") {
      if (t.length === 2) node(0, t[1]); else layer(0);
    } else if (kind === "y" || kind === "loss" || kind === "J") {
      if (kind === "y" && t.length === 2) node(L, t[1]); else layer(L);
    } else if (t.length >= 3) {
      node(t[1], t[2]);
    } else if (t.length === 2) {
      layer(t[1]);
    }
  }

  function pickEdge(ev) {
    var parts = ev.currentTarget.getAttribute("data-edge").split(",").map(Number);
    S.picked = parts;
    showEdge(parts[0], parts[1], parts[2]);
    highlight();
  }

  function showEdge(l, i, j) {
    var d = S.data;
    var w = d.W[l][i][j], a = d.a[l - 1][0][i], gz = d.g.g_z[l][0][j], gw = d.g.W[l][i][j];
    var ai = l === 1 ? "x_" + (i + 1) + " = a^[0]_" + (i + 1) : "a^[" + (l - 1) + "]_" + (i + 1);
    edgeInfo.innerHTML = "";
    var rows = [
      ["W^[" + l + "]_{" + (i + 1) + "," + (j + 1) + "}", w, "weight"],
      [ai, a, "a"],
      ["dL/dz^[" + l + "]_" + (j + 1), gz, "gz"],
      ["dL/dW^[" + l + "]_{" + (i + 1) + "," + (j + 1) + "} = a_i \u00b7 dL/dz_j = " + fmt(a) + " \u00b7 " + fmt(gz),
        gw, "gW"]
    ];
    rows.forEach(function (r) {
      var div = document.createElement("div");
      div.className = "tb-pg-edge-" + r[2];
      div.setAttribute("data-value", full(r[1]));
      div.textContent = r[0] + " = " + fmt(r[1]);
      edgeInfo.appendChild(div);
    });
    edgeInfo.setAttribute("data-edge", l + "," + i + "," + j);
  }

  // ---- the step panel ----------------------------------------------------------------
  function currentStep() {
    if (!S.current || !S.data) return null;
    return steps(S.current.phase)[S.current.index] || null;
  }

  function codeLines(id, part, layer) {
    var files = (window.__tbSources || {}).files || {};
    var order = part === "matrix" ? ["tinybackprop/vectorized.py"] : part === "graph" ? ["tinybackprop/scalar.py"] :
      (part === "forward" ? ["tinybackprop/vectorized.py"] : ["tinybackprop/per_neuron.py"]);
    order = order.concat(["tinybackprop/activations.py", "tinybackprop/losses.py", "tinybackprop/network.py"]);
    var tag = "# [eq:" + id + "]";
    for (var k = 0; k < order.length; k++) {
      var src = files[order[k]];
      if (!src) continue;
      var lines = src.split("\n"), hits = [];
      for (var n = 0; n < lines.length; n++) if (lines[n].indexOf(tag) >= 0) hits.push({ file: order[k], line: n + 1, text: lines[n].trim() });
      if (hits.length > 1 && layer) {
        // one ID, two lines (the output layer's phi_o and the hidden layers' phi_h): the step's own
        var L = S.data.sizes.length - 1, want = layer === L ? /\bphi_o\b/ : /\bphi_h\b/;
        var own = hits.filter(function (h) { return want.test(h.text); });
        if (own.length) hits = own;
      }
      if (hits.length) return hits;
    }
    return [];
  }

  function showStep() {
    var st = currentStep();
    stepEl.innerHTML = "";
    stepEl.removeAttribute("data-target");
    if (!st) {
      stepEl.textContent = S.data ? "Press \u201cForward step\u201d to compute the first equation." : "";
      return;
    }
    var phaseName = S.current.phase === "fwd" ? "Forward" : "Backward";
    var head = document.createElement("div");
    head.innerHTML = phaseName + " step " + (S.current.index + 1) + " of " + steps(S.current.phase).length +
      " (" + ({ neuron: "per neuron", matrix: "vectorized", graph: "graph of numbers" })[S.view] + "): <span class=\"tb-pg-id\"></span>";
    head.querySelector(".tb-pg-id").textContent = "[eq:" + st.id + "]";
    stepEl.appendChild(head);
    var eq = document.querySelector('.tb-pg-eqset [data-eq-src="' + st.id + '"]');
    if (eq) {
      var box = document.createElement("div");
      box.className = "tb-pg-eq";
      box.innerHTML = eq.innerHTML;
      stepEl.appendChild(box);
    }
    var inst = document.createElement("div");
    inst.className = "tb-pg-nums";
    if (window.katex && st.latex) {
      try {
        window.katex.render(st.latex, inst, { displayMode: true, throwOnError: true });
      } catch (e) { inst.textContent = st.symbolic + "\n= " + st.numbers; }
      var t = document.createElement("div");
      t.className = "tb-pg-nums";
      t.textContent = st.symbolic + "\n= " + st.numbers;
      stepEl.appendChild(inst);
      stepEl.appendChild(t);
    } else {
      inst.textContent = st.symbolic + "\n= " + st.numbers;
      stepEl.appendChild(inst);
    }
    var val = document.createElement("div");
    val.className = "tb-pg-value";
    val.setAttribute("data-value", full(st.value));
    var shape = Array.isArray(st.value) && Array.isArray(st.value[0]) ?
      " (" + st.value.length + " \u00d7 " + st.value[0].length + ")" : "";
    val.textContent = "value" + shape + ": " + (typeof st.value === "number" ? fmt(st.value) : JSON.stringify(st.value, function (k, v) {
      return typeof v === "number" ? Number(fmt(v)) : v;
    }));
    stepEl.appendChild(val);
    codeLines(st.id, st.part, st.layer).forEach(function (h) {
      var pre = document.createElement("pre");
      pre.textContent = h.file + ":" + h.line + "\n" + h.text;
      stepEl.appendChild(pre);
    });
    if (st.note) {
      var note = document.createElement("div");
      note.className = "tb-small";
      note.textContent = Array.isArray(st.note) ? st.note[0] : st.note;  // (text, LaTeX): the text
      stepEl.appendChild(note);
    }
    stepEl.setAttribute("data-target", JSON.stringify(st.target));
    stepEl.setAttribute("data-id", st.id);
  }

  function advance(phase) {
    if (!S.data) return false;
    if (phase === "bwd" && S.fwd < steps("fwd").length) {
      S.fwd = steps("fwd").length;  // the backward pass needs the whole forward pass
    }
    var n = phase === "fwd" ? S.fwd : S.bwd;
    if (n >= steps(phase).length) return false;
    S.current = { phase: phase, index: n };
    if (phase === "fwd") S.fwd++; else S.bwd++;
    updateButtons();
    draw();
    showStep();
    return true;
  }

  // One step back: undo the last step of the backward pass, or else of the forward pass.
  function back() {
    if (!S.data) return;
    if (S.bwd > 0) S.bwd--;
    else if (S.fwd > 0) S.fwd--;
    else return;
    if (S.bwd > 0) S.current = { phase: "bwd", index: S.bwd - 1 };
    else if (S.fwd > 0 && (!S.current || S.current.phase === "fwd" || S.bwd === 0)) S.current = { phase: "fwd", index: S.fwd - 1 };
    else S.current = null;
    updateButtons(); draw(); showStep();
  }

  // Step to the first step that computes eq_id (forward first, then backward), in the
  // view the ID belongs to (*.mat: vectorized). False if this network has no such step.
  function goTo(eqId) {
    var view = /\.mat$/.test(eqId) ? "matrix" : "neuron";
    setView(view);
    S.fwd = 0; S.bwd = 0; S.current = null;
    var f = steps("fwd"), b = steps("bwd");
    for (var k = 0; k < f.length; k++) if (f[k].id === eqId) { S.fwd = k + 1; S.current = { phase: "fwd", index: k }; break; }
    if (!S.current) {
      for (k = 0; k < b.length; k++) if (b[k].id === eqId) { S.fwd = f.length; S.bwd = k + 1; S.current = { phase: "bwd", index: k }; break; }
    }
    updateButtons(); draw(); showStep();
    return !!S.current;
  }

  function setView(view) {
    S.view = view;
    root.querySelectorAll('input[name="tb-pg-view"]').forEach(function (r) { r.checked = r.value === view; });
  }

  function stopAnim() {
    if (S.anim) { clearInterval(S.anim); S.anim = null; updateButtons(); }
  }

  function runAll() {
    if (S.anim) { stopAnim(); return; }
    if (S.fwd >= steps("fwd").length && S.bwd >= steps("bwd").length) { S.fwd = 0; S.bwd = 0; }
    S.anim = setInterval(function () {
      if (!advance("fwd") && !advance("bwd")) stopAnim();
    }, 180);
    updateButtons();
  }

  // The index of the step in list that computes what step st computes (its target's kind
  // and layer, e.g. g_z of layer 2; to a per-neuron view: its last neuron, so that the
  // whole layer is done, as one matrix step does it); -1 if none.
  function sameQuantity(list, st, toNeuron) {
    var t = st.target, found = -1;
    for (var k = 0; k < list.length; k++) {
      var u = list[k].target;
      if (!u || u[0] !== t[0] || u[1] !== t[1]) continue;
      if (list[k].id.replace(/\.mat$/, "") !== st.id.replace(/\.mat$/, "")) continue;
      found = k;
      if (!toNeuron) return k;
    }
    return found;
  }

  // ---- editing weights ---------------------------------------------------------------
  function weightTables() {
    var d = S.data;
    wtables.innerHTML = "";
    for (var l = 1; l < d.sizes.length; l++) {
      [["W", d.W[l]], ["b", d.b[l]]].forEach(function (pair) {
        var tbl = document.createElement("table");
        var cap = document.createElement("caption");
        cap.textContent = pair[0] + "^[" + l + "]";
        tbl.appendChild(cap);
        pair[1].forEach(function (row, i) {
          var tr = document.createElement("tr");
          row.forEach(function (v, j) {
            var td = document.createElement("td");
            var inp = document.createElement("input");
            inp.value = String(Number(v.toPrecision(6)));
            inp.inputMode = "decimal";
            inp.setAttribute("aria-label", pair[0] + "^[" + l + "] row " + (i + 1) + " column " + (j + 1));
            inp.setAttribute("data-w", [pair[0], l, i, j].join(","));
            inp.addEventListener("change", editWeight);
            td.appendChild(inp);
            tr.appendChild(td);
          });
          tbl.appendChild(tr);
        });
        wtables.appendChild(tbl);
      });
    }
  }

  function editWeight(ev) {
    var k = ev.target.getAttribute("data-w").split(",");
    var v = Number(ev.target.value);
    if (ev.target.value.trim() === "" || !isFinite(v)) { status("A weight must be a number", true); return; }
    if (!S.W) { S.W = JSON.parse(JSON.stringify(S.data.W)); S.b = JSON.parse(JSON.stringify(S.data.b)); }
    (k[0] === "W" ? S.W : S.b)[+k[1]][+k[2]][+k[3]] = v;
    compute(true);
  }

  // ---- wiring ------------------------------------------------------------------------
  btn.fwd.addEventListener("click", function () { stopAnim(); advance("fwd"); });
  btn.bwd.addEventListener("click", function () { stopAnim(); advance("bwd"); });
  if (btn.back) btn.back.addEventListener("click", function () { stopAnim(); back(); });
  btn.all.addEventListener("click", runAll);
  btn.reset.addEventListener("click", function () {
    stopAnim(); S.fwd = 0; S.bwd = 0; S.current = null; updateButtons(); draw(); showStep();
  });
  btn.build.addEventListener("click", function () { S.W = null; S.b = null; stopAnim(); compute(false); });
  form.output.addEventListener("change", function () { form.loss.value = CANONICAL[form.output.value]; });
  ["sizes", "hidden", "output", "loss", "seed"].forEach(function (name) {
    form[name].addEventListener("change", function () {
      if (name === "sizes") {
        try { params(); } catch (e) {
          if (/^Sizes/.test(e.message)) { status(e.message, true); return; }  // x and y stay as they were
        }
        fitXY();
      }
      S.W = null; S.b = null; stopAnim(); compute(false);
    });
  });
  ["x", "y"].forEach(function (name) {
    form[name].addEventListener("change", function () { compute(true); });
  });
  root.querySelectorAll('input[name="tb-pg-view"]').forEach(function (r) {
    r.addEventListener("change", function () {
      if (!r.checked || !S.data) return;
      var old = S.view, st = currentStep();
      var f = S.fwd / Math.max(1, S.data.steps.forward[old].length), b = S.bwd / Math.max(1, S.data.steps.backward[old].length);
      S.view = r.value;
      var k = st ? sameQuantity(steps(S.current.phase), st, r.value === "neuron") : -1;
      if (k >= 0) {
        // the same quantity stays in view: the step of the other view that computes it
        if (S.current.phase === "fwd") { S.fwd = k + 1; S.bwd = 0; }
        else { S.fwd = steps("fwd").length; S.bwd = k + 1; }
        S.current = { phase: S.current.phase, index: k };
      } else {
        S.fwd = Math.round(f * steps("fwd").length);
        S.bwd = Math.round(b * steps("bwd").length);
        if (S.current) {
          var n = S.current.phase === "fwd" ? S.fwd : S.bwd;
          S.current = n > 0 ? { phase: S.current.phase, index: n - 1 } : null;
        }
      }
      updateButtons(); draw(); showStep();
    });
  });
  updateButtons();

  // ---- training on Iris, in a second interpreter (tbPython.worker: the page stays responsive; Stop ends it)
  var tform = root.querySelector(".tb-pg-train-controls");
  var curve = root.querySelector(".tb-pg-curve");
  var tstatus = root.querySelector(".tb-pg-train-status");
  var tlog = root.querySelector(".tb-pg-train-log");
  var T = { worker: null, history: [], epochs: 0 };

  function drawCurve() {
    while (curve.firstChild) curve.removeChild(curve.firstChild);
    var h = T.history, W = 400, H = 200, l = 40, r = 10, t = 10, bm = 46;
    var maxE = Math.max(T.epochs, 1);
    var maxL = 0;
    h.forEach(function (e) { maxL = Math.max(maxL, e.train_loss, e.val_loss); });
    maxL = maxL || 1;
    el("line", { x1: l, y1: H - bm, x2: W - r, y2: H - bm, stroke: "#999" }, curve);
    el("line", { x1: l, y1: t, x2: l, y2: H - bm, stroke: "#999" }, curve);
    text(curve, l - 4, t + 8, fmt(maxL), null, "end");
    text(curve, l - 4, H - bm, "0", null, "end");
    text(curve, W - r, H - bm + 14, "epoch " + maxE, null, "end");
    text(curve, l, H - bm + 14, "0", null, "start");
    function pts(key) {
      return h.map(function (e) {
        return (l + (W - l - r) * e.epoch / maxE).toFixed(1) + "," + (H - bm - (H - bm - t) * e[key] / maxL).toFixed(1);
      }).join(" ");
    }
    // black and grey: blue and red mean a sign on this site
    if (h.length) {
      el("polyline", { points: pts("train_loss"), fill: "none", stroke: "#222222", "stroke-width": 2 }, curve);
      el("polyline", { points: pts("val_loss"), fill: "none", stroke: "#777777", "stroke-width": 1.5, "stroke-dasharray": "4 3" }, curve);
    }
    // the legend, under the plot (never over the curves)
    el("line", { x1: l, y1: H - 10, x2: l + 22, y2: H - 10, stroke: "#222222", "stroke-width": 2 }, curve);
    text(curve, l + 27, H - 6.5, "train loss after each epoch", null, "start");
    el("line", { x1: l + 205, y1: H - 10, x2: l + 227, y2: H - 10, stroke: "#777777", "stroke-width": 1.5, "stroke-dasharray": "4 3" }, curve);
    text(curve, l + 232, H - 6.5, "validation loss", null, "start");
  }

  // Training uses the 4-3-2-1 network: when the drawing shows one too, it shows the
  // weights as training changes them.
  function sameShape() { return !!S.data && S.data.sizes.join(",") === "4,3,2,1"; }

  function restyleEdges(Wl) {
    var maxw = 0, l;
    for (l = 1; l < Wl.length; l++) Wl[l].forEach(function (row) { row.forEach(function (w) { maxw = Math.max(maxw, Math.abs(w)); }); });
    svg.querySelectorAll("line.tb-edge").forEach(function (e) {
      var k = e.getAttribute("data-edge").split(",").map(Number), w = Wl[k[0]][k[1]][k[2]];
      e.setAttribute("stroke", w >= 0 ? POS : NEG);
      e.setAttribute("stroke-width", (0.8 + 3 * Math.abs(w) / (maxw || 1)).toFixed(2));
    });
  }

  function setTraining(on) {
    btn.train.disabled = on;
    btn.stop.disabled = !on;
  }

  btn.train.addEventListener("click", function () {
    var epochs = Number(tform.epochs.value), lr = Number(tform.lr.value);
    var bs = Number(tform.batch_size.value), seed = Number(tform.seed.value);
    if (!(epochs >= 1 && Math.floor(epochs) === epochs && epochs <= 100000) || !(lr > 0) ||
        !(bs >= 1 && Math.floor(bs) === bs) || Math.floor(seed) !== seed) {
      tstatus.textContent = "Epochs and batch: whole numbers >= 1; lr > 0; seed a whole number.";
      return;
    }
    T.history = []; T.epochs = epochs; T.test = null; tlog.textContent = "";
    drawCurve();
    setTraining(true);
    tstatus.textContent = "Starting a second MicroPython for training\u2026";
    root.setAttribute("data-tb-training", "running");
    var t0 = performance.now();
    T.stopped = false;
    T.memory = [];
    // One epoch per call (tb_playground.train_step): the page's Python frees memory only when a call
    // returns, so its memory stays flat however many epochs are asked for (docs/python/tb_epochs.py).
    function epochLine(line) {
      if (line.indexOf("TB ") !== 0) { tlog.textContent += line + "\n"; return; }
      var m = JSON.parse(line.slice(3));
      if (m.done) { T.test = m; return; }
      T.history.push(m);
      T.last = m;
      tstatus.textContent = "epoch " + m.epoch + "/" + epochs + ": train loss " + fmt(m.train_loss) +
        ", accuracy " + (100 * m.train_accuracy).toFixed(1) + "%; validation loss " + fmt(m.val_loss) +
        ", accuracy " + (100 * m.val_accuracy).toFixed(1) + "% (after the epoch; running loss during it " +
        fmt(m.loss) + ")";
      if (sameShape()) restyleEdges(m.W);
      if (T.history.length % 2 === 0 || m.epoch === epochs) drawCurve();
    }
    function checked(r) {
      if (r.mem) T.memory.push([T.history.length, r.mem]);
      if (r.err) { var e = new Error(r.err); e.py = true; e.oom = window.tbPython.outOfMemory(r.err); throw e; }
      return r;
    }
    window.tbPython.worker().then(function (w) {
      T.worker = w;
      tstatus.textContent = "Training\u2026";
      var code = "import tb_playground\ntb_playground.train_start(lr=" + JSON.stringify(lr) + ", batch_size=" + bs +
        ", seed=" + seed + ", optimizer=" + JSON.stringify(tform.optimizer.value) + ")\n";
      return w.run(code, epochLine).then(checked).then(function next() {
        if (T.stopped || T.history.length >= epochs) return;
        return w.run("tb_playground.train_step()", epochLine).then(checked).then(next);
      }).then(function () {
        // the test rows: measured once, after training (nothing above chose anything on them)
        if (!T.stopped && T.history.length) return w.run("tb_playground.train_test()", epochLine).then(checked);
      });
    }).then(function () {
      if (T.stopped) return;
      tstatus.textContent += " \u2014 done in " + ((performance.now() - t0) / 1000).toFixed(1) + " s";
      if (T.test && T.test.test_loss !== null) {
        tstatus.textContent += "; the test rows, measured once now: loss " + fmt(T.test.test_loss) +
          ", accuracy " + (100 * T.test.test_accuracy).toFixed(1) + "%";
      }
      if (sameShape() && T.last) {
        // the steps above now use the trained network (New network brings back the seeded one)
        S.W = T.last.W; S.b = T.last.b;
        compute(true);
        tstatus.textContent += ". The network above now has the trained weights; \u201cNew network\u201d " +
          "brings back the seeded ones.";
      }
      root.setAttribute("data-tb-training", "done");
    }).catch(function (e) {
      if (String(e && e.message) === "stopped") return;
      if (e && e.oom) {
        tstatus.textContent = "Out of memory at epoch " + (T.history.length + 1) + ": MicroPython in this page " +
          "could not get more memory from the browser, so training stopped. The curve of the " + T.history.length +
          " epochs done is kept.";
        root.setAttribute("data-tb-training", "oom");
      } else if (e && e.py) {
        tlog.textContent += e.message;
        tstatus.textContent += " (stopped by an error)";
        root.setAttribute("data-tb-training", "error");
      } else {
        tstatus.textContent = "Training failed: " + (e && e.message || e);
        root.setAttribute("data-tb-training", "error");
      }
    }).then(function () {
      if (T.worker) T.worker.stop();
      T.worker = null;
      drawCurve();
      setTraining(false);
      root.setAttribute("data-tb-memory", JSON.stringify(T.memory));
      root.setAttribute("data-tb-history", JSON.stringify(T.history.map(function (e) {
        return { epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, train_loss: e.train_loss,
                 train_accuracy: e.train_accuracy, val_loss: e.val_loss, val_accuracy: e.val_accuracy };
      })));
    });
  });
  btn.stop.addEventListener("click", function () {
    if (T.worker) {
      T.stopped = true;
      T.worker.stop();
      tstatus.textContent += " \u2014 stopped";
      root.setAttribute("data-tb-training", "stopped");
    }
  });
  drawCurve();
  optimizerSelector(tform);

  // Opening the playground starts Python.
  status("Starting MicroPython in this page\u2026");
  fitXY();
  var link = {};
  function readLink() {
    link = {};
    String(window.location.hash || "").replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) link[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    ["sizes", "output", "loss", "hidden"].forEach(function (k) { if (link[k]) form[k].value = link[k]; });
    if (link.sizes) fitXY();
    return !!link.eq;
  }
  function openLink() {
    if (!link.eq || !S.data) return;
    if (goTo(link.eq)) {
      status("Opened at [eq:" + link.eq + "]: the step that computes it, with its numbers. Step on, or back.");
      root.querySelector(".tb-pg-buttons").scrollIntoView({ block: "start" });
    } else {
      status("This network has no step [eq:" + link.eq + "]; try other sizes or another loss.", true);
    }
  }
  window.addEventListener("hashchange", function () {
    if (readLink()) compute(false).then(openLink);
  });
  readLink();
  window.tbPython.ready().then(function () { return compute(false); }).then(openLink, function (e) {
    status("Could not start Python in this page: " + (e && e.message || e), true);
  });
  }

  // The optimizer selector (docs/optimizers.md): picking one suggests its learning rate.
  function optimizerSelector(form) {
    var LR = { sgd: 0.5, momentum: 0.05, nesterov: 0.05, rmsprop: 0.01, adam: 0.01, adamw: 0.01 };
    form.optimizer.addEventListener("change", function () { form.lr.value = LR[form.optimizer.value]; });
  }
})();
