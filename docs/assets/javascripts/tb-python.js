/*
 * Python in the page: MicroPython (WebAssembly) running this checkout's tinybackprop.
 *
 *   tbPython.ready()     -> Promise; loads the runtime on first call (and only then)
 *   tbPython.run(code)   -> Promise<{out, err}>: what the code printed, and the Python
 *                           traceback text ("" if none). Runs in the page's __main__:
 *                           names defined by one run are there for the next.
 *   tbPython.worker()    -> Promise<runner>: a second interpreter in a sandboxed iframe (a
 *                           process of its own), for long jobs (training) that must not
 *                           freeze the page; runner.run(code, onLine) streams printed
 *                           lines and resolves to {err, mem} (mem: the bytes of its
 *                           WebAssembly memory after the run); runner.stop() ends it at once.
 *   tbPython.outOfMemory(err) -> true when a run's error is MicroPython running out of memory.
 *
 * Memory: this MicroPython frees memory only when a call from JavaScript returns (inside
 * one call its garbage collector cannot see what the WebAssembly stack holds, so the heap
 * grows instead; see docs/python/tb_epochs.py). So long jobs run as many short calls (the
 * playground trains one epoch per call) and a run that does run out of memory is reported
 * as such, and its interpreter replaced.
 *   tbPython.runCell(code, onLine, onStart, limitMs) -> Promise<{err, stopped, ms}>: the
 *                           runnable cells' interpreter (one background runner per page,
 *                           shared __main__); tbPython.stopCells() ends it.
 *
 * This file is small and on every page. The heavy parts are generated at build time by
 * docs/hooks/tb_python.py into assets/tb-python/: micropython.js (MicroPython's glue and
 * its .wasm as base64) and tinybackprop.js (the package's source files). They are loaded
 * with <script> tags, not fetch(), so that the site also works opened from disk (file://).
 * Nothing comes from the network.
 *
 * It also turns every .tb-runnable block (made by the hook from ```{.python .tb-run} or
 * ```{.python .tb-exercise name=NAME}) into an editor with Run and Stop buttons (and
 * Check for an exercise). Cells run in the background, so a cell that never ends
 * (`while True: pass`) leaves the page responsive; Stop or the time limit ends it.
 */
(function () {
  "use strict";
  if (window.tbPython) return;

  var here = (document.currentScript && document.currentScript.src) || "";
  var base = here.replace(/javascripts\/[^\/]*$/, "tb-python/");
  var LIB = "/lib";
  var HEAP = 32 * 1024 * 1024;

  function inject(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  function decode64(b64) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
    var bin = atob(b64), n = bin.length, bytes = new Uint8Array(n);
    for (var i = 0; i < n; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  // Start one interpreter: the same function runs in the page and (as text) in a worker.
  function bootInterpreter(wasmBytes, files, lib, heap, stdout, stderr, linebuffer) {
    return globalThis.loadMicroPython({
      heapsize: heap, wasmBinary: wasmBytes, stdout: stdout, stderr: stderr, linebuffer: linebuffer
    }).then(function (mp) {
      var made = {};
      function mkdirs(path) {
        var parts = path.split("/"), cur = "";
        for (var i = 1; i < parts.length; i++) {
          cur += "/" + parts[i];
          if (made[cur]) continue;
          try { mp.FS.mkdir(cur); } catch (e) { /* exists */ }
          made[cur] = true;
        }
      }
      mkdirs(lib);
      Object.keys(files).forEach(function (rel) {
        var path = lib + "/" + rel;
        mkdirs(path.slice(0, path.lastIndexOf("/")));
        mp.FS.writeFile(path, files[rel]);
      });
      mp.runPython("import sys\nif '" + lib + "' not in sys.path: sys.path.insert(0, '" + lib + "')\n");
      return mp;
    });
  }

  var loading = null;
  var mp = null;
  var outBytes = [];
  var errBytes = [];

  function assets() {
    return Promise.all([
      window.__tbMicroPython ? null : inject(base + "micropython.js"),
      window.__tbSources ? null : inject(base + "tinybackprop.js")
    ]);
  }

  function ready() {
    if (loading) return loading;
    loading = assets().then(function () {
      if (!window.loadMicroPython) {
        // The glue is a classic script held as text (a file:// page may not import modules).
        (0, eval)(window.__tbMicroPython.glue);
      }
      var wasm = decode64(window.__tbMicroPython.wasm);
      return bootInterpreter(wasm, window.__tbSources.files, LIB, HEAP,
        function (bytes) { for (var i = 0; i < bytes.length; i++) outBytes.push(bytes[i]); },
        function (bytes) { for (var i = 0; i < bytes.length; i++) errBytes.push(bytes[i]); },
        false);
    }).then(function (m) {
      mp = m;
      return api;
    });
    loading.catch(function () { loading = null; });
    return loading;
  }

  var decoder = new TextDecoder();
  var queue = Promise.resolve();

  function runNow(code) {
    outBytes = [];
    errBytes = [];
    var err = "";
    try {
      mp.runPython(String(code));
    } catch (e) {
      err = (e && e.message) ? String(e.message) : String(e);
    }
    var out = decoder.decode(new Uint8Array(outBytes));
    var stderr = decoder.decode(new Uint8Array(errBytes));
    outBytes = [];
    errBytes = [];
    if (stderr) err = stderr + err;
    if (err && err.charAt(err.length - 1) !== "\n") err += "\n";
    return { out: out, err: err };
  }

  // One run at a time, in the order asked.
  function run(code) {
    var p = queue.then(function () { return ready(); }).then(function () { return runNow(code); });
    queue = p.catch(function () {});
    return p;
  }

  // ---- a second interpreter, for long jobs, in a sandboxed iframe ---------------------
  // Not a Web Worker: Chromium runs a worker of a page opened from file:// such that a
  // busy worker freezes the page (measured: no timer fired for the 4 s a worker was busy),
  // whereas a sandboxed iframe (an opaque origin) gets a process of its own, so the page
  // stays responsive and removing the iframe stops the job at once.

  function worker() {
    return assets().then(function () {
      return new Promise(function (resolve, reject) {
        var frame = document.createElement("iframe");
        frame.setAttribute("sandbox", "allow-scripts");
        frame.setAttribute("aria-hidden", "true");
        frame.setAttribute("tabindex", "-1");
        frame.title = "Python runner";
        frame.style.display = "none";
        frame.srcdoc = "<!doctype html><script>(" + runnerMain.toString() + ")(" +
          bootInterpreter.toString() + ");</" + "script>";
        var pending = {}, nextId = 1, listeners = {}, dead = false, started = false;
        var handle = {
          run: function (code, onLine) {
            var id = nextId++;
            listeners[id] = onLine || function () {};
            return new Promise(function (res, rej) {
              if (dead) { rej(new Error("stopped")); return; }
              pending[id] = { resolve: res, reject: rej };
              frame.contentWindow.postMessage({ type: "run", id: id, code: String(code) }, "*");
            });
          },
          stop: function () {
            if (dead) return;
            dead = true;
            window.removeEventListener("message", onMessage);
            if (frame.parentNode) frame.parentNode.removeChild(frame);
            Object.keys(pending).forEach(function (id) { pending[id].reject(new Error("stopped")); });
            pending = {};
            if (!started) reject(new Error("stopped"));
          }
        };
        function onMessage(e) {
          if (e.source !== frame.contentWindow || !e.data || typeof e.data !== "object") return;
          var m = e.data;
          if (m.type === "hello") {
            // Printed lines come back on a MessagePort: they arrive while the job runs
            // (a window's postMessage from a busy frame waits for the job to end).
            var channel = new MessageChannel();
            channel.port1.onmessage = function (ev) { onMessage({ source: frame.contentWindow, data: ev.data }); };
            frame.contentWindow.postMessage({ type: "init", glue: window.__tbMicroPython.glue,
              wasm: decode64(window.__tbMicroPython.wasm), files: window.__tbSources.files, lib: LIB, heap: HEAP },
              "*", [channel.port2]);
          } else if (m.type === "ready") { started = true; resolve(handle); }
          else if (m.type === "fail") { handle.stop(); reject(new Error(m.err)); }
          else if (m.type === "line") { var f = listeners[m.id]; if (f) f(m.line, m.stream); }
          else if (m.type === "oom" && pending[m.id]) {
            // the browser refused more memory: the run may never return (measured: a frozen frame), so
            // it ends here, as out of memory, and the interpreter with it
            pending[m.id].resolve({ err: "MemoryError: " + m.text, mem: null });
            delete pending[m.id];
            delete listeners[m.id];
            handle.stop();
          }
          else if (m.type === "done" && pending[m.id]) {
            pending[m.id].resolve({ err: m.err, mem: m.mem });
            delete pending[m.id];
            delete listeners[m.id];
          }
        }
        window.addEventListener("message", onMessage);
        document.body.appendChild(frame);
      });
    });
  }

  // Runs inside the sandboxed iframe (its text is the iframe's script).
  function runnerMain(bootInterpreter) {
    var mp = null, current = 0, port = null;
    // Emscripten says "Cannot enlarge memory" on the console when the browser gives no more; say it
    // to the page at once (the port delivers while this frame is still busy)
    var consoleError = console.error;
    console.error = function () {
      var text = Array.prototype.join.call(arguments, " ");
      if (port && /Cannot enlarge memory/.test(text)) port.postMessage({ type: "oom", id: current, text: text });
      return consoleError.apply(console, arguments);
    };
    function line(stream) {
      return function (text) { port.postMessage({ type: "line", id: current, stream: stream, line: text }); };
    }
    window.addEventListener("message", function (e) {
      if (e.source !== parent) return;
      var m = e.data;
      if (m.type === "init") {
        port = e.ports[0];
        try {
          (0, eval)(m.glue);
        } catch (x) {
          parent.postMessage({ type: "fail", err: String(x && x.message || x) }, "*");
          return;
        }
        bootInterpreter(m.wasm, m.files, m.lib, m.heap, line("out"), line("err"), true).then(function (x) {
          mp = x;
          parent.postMessage({ type: "ready" }, "*");
        }, function (err) { parent.postMessage({ type: "fail", err: String(err && err.message || err) }, "*"); });
      } else if (m.type === "run") {
        current = m.id;
        var err = "";
        try { mp.runPython(m.code); } catch (x) { err = String(x && x.message || x); }
        var mem = null;  // the WebAssembly memory (docs/hooks/tb_python.py makes it reachable)
        try { mem = mp._module.tbMemory.buffer.byteLength; } catch (x) { /* not reachable */ }
        // on the port, after the printed lines: a window message could overtake them
        port.postMessage({ type: "done", id: m.id, err: err, mem: mem });
      }
    });
    parent.postMessage({ type: "hello" }, "*");
  }

  // ---- runnable cells: in the background, stoppable, with a time limit ------------------
  // Every cell of a page runs in one background interpreter (tbPython.worker above), in
  // its __main__: names one cell defines are there for the next, as in a notebook. A
  // cell that loops for ever leaves the page responsive; Stop (or the time limit) ends
  // that interpreter, and the next Run starts a fresh one.

  var LIMIT_MS = 60000;
  var cells = { starting: null, runner: null, reason: "" };
  var cellQueue = Promise.resolve();

  function cellRunner() {
    if (!cells.starting) {
      var mine = worker().then(function (r) { if (cells.starting === mine) cells.runner = r; return r; });
      mine.catch(function () { if (cells.starting === mine) { cells.starting = null; cells.runner = null; } });
      cells.starting = mine;
    }
    return cells.starting;
  }

  // Ends the background interpreter (and whatever it runs); reason: "stop" or "limit".
  function stopCells(reason) {
    cells.reason = reason || "stop";
    var r = cells.runner;
    cells.runner = null;
    cells.starting = null;
    if (r) r.stop();
  }

  // Runs code in the background: Promise<{err, stopped, ms}>; onStart() when it starts
  // running (after the interpreter is up), onLine(text, stream) for each printed line.
  function runCell(code, onLine, onStart, limitMs) {
    var p = cellQueue.then(function () {
      return cellRunner();
    }).then(function (r) {
      if (cells.runner !== r) {  // stopped while it was starting
        r.stop();
        return { err: "", stopped: cells.reason || "stop", ms: 0 };
      }
      return new Promise(function (resolve) {
        cells.reason = "";
        var t0 = performance.now();
        var timer = setTimeout(function () { stopCells("limit"); }, limitMs || LIMIT_MS);
        if (onStart) onStart();
        r.run(code, onLine).then(function (res) {
          clearTimeout(timer);
          var oom = outOfMemory(res.err);
          // out of memory: this interpreter's memory stays grown (or is broken); the next Run gets a new one
          if (oom) stopCells("memory");
          resolve({ err: res.err || "", stopped: "", ms: performance.now() - t0, oom: oom });
        }, function () {
          clearTimeout(timer);
          resolve({ err: "", stopped: cells.reason || "stop", ms: performance.now() - t0 });
        });
      });
    });
    cellQueue = p.catch(function () {});
    return p;
  }

  // MicroPython's MemoryError, or the WebAssembly memory refusing to grow (Emscripten's words).
  function outOfMemory(err) {
    return /MemoryError|Cannot enlarge memory|Aborted\(|out of memory/.test(String(err || ""));
  }

  var api = { ready: ready, run: run, worker: worker, runCell: runCell, stopCells: stopCells, outOfMemory: outOfMemory,
              version: "3" };
  window.tbPython = api;

  function fit(ta) {
    ta.style.height = "auto";
    ta.style.height = (ta.scrollHeight + 4) + "px";
  }

  function button(label, cls, title) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-button " + cls;
    b.textContent = label;
    if (title) b.title = title;
    return b;
  }

  function setUp(block) {
    if (block.getAttribute("data-tb-ready")) return;
    block.setAttribute("data-tb-ready", "1");
    var ta = block.querySelector("textarea.tb-code");
    var btn = block.querySelector("button.tb-run");
    var reset = block.querySelector("button.tb-reset");
    var out = block.querySelector(".tb-output");
    var status = block.querySelector(".tb-status");
    var exercise = block.getAttribute("data-tb-exercise");
    var limit = Number(block.getAttribute("data-tb-limit")) * 1000 || LIMIT_MS;
    var original = ta ? ta.value : "";
    var stop = block.querySelector("button.tb-stop");
    if (!stop) {
      stop = button("Stop", "tb-stop", "Stop this code (ends the background Python)");
      btn.parentNode.insertBefore(stop, reset || btn.nextSibling);
    }
    stop.disabled = true;
    var check = block.querySelector("button.tb-check");
    if (ta) {
      fit(ta);
      ta.addEventListener("input", function () { fit(ta); });
      window.addEventListener("resize", function () { fit(ta); });
      ta.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey || e.shiftKey)) { e.preventDefault(); btn.click(); }
        else if (e.key === "Tab" && !e.shiftKey) {
          e.preventDefault();
          var s = ta.selectionStart;
          ta.setRangeText("    ", s, ta.selectionEnd, "end");
          fit(ta);
        }
      });
    }
    if (reset) reset.addEventListener("click", function () { ta.value = original; fit(ta); });
    stop.addEventListener("click", function () { stopCells("stop"); });

    function go(code, what) {
      btn.disabled = true;
      if (check) check.disabled = true;
      stop.disabled = false;
      block.classList.add("tb-busy");
      block.removeAttribute("data-tb-state");
      status.textContent = "Starting Python (MicroPython, in the background)\u2026";
      out.hidden = false;
      out.textContent = "";
      var printed = false;
      runCell(code, function (line, stream) {
        printed = true;
        if (stream === "err") {
          var e = document.createElement("span");
          e.className = "tb-error";
          e.textContent = line + "\n";
          out.appendChild(e);
        } else {
          out.appendChild(document.createTextNode(line + "\n"));
        }
      }, function () {
        status.textContent = what + "\u2026 (Stop ends it)";
      }, limit).then(function (r) {
        var state = r.err ? "error" : "ok";
        if (r.err) {
          var e = document.createElement("span");
          e.className = "tb-error";
          e.textContent = r.err.charAt(r.err.length - 1) === "\n" ? r.err : r.err + "\n";
          out.appendChild(e);
        }
        if (r.oom) {
          state = "oom";
          var o = document.createElement("span");
          o.className = "tb-error tb-oom";
          o.textContent = "Out of memory: MicroPython in this page frees memory only between runs, and this run " +
            "needed more than the browser gives it. What it printed above is kept; Python was restarted (names " +
            "the cells above defined are gone). Train in shorter runs (fewer epochs per Run) and run again.\n";
          out.appendChild(o);
        }
        if (r.stopped) {
          state = "stopped";
          var s = document.createElement("span");
          s.className = "tb-error tb-stopped";
          s.textContent = (r.stopped === "limit" ? "Stopped: still running after " + Math.round(limit / 1000) + " s (the time limit)."
            : "Stopped.") + " Python was restarted: names the cells above defined are gone; run them again.\n";
          out.appendChild(s);
          status.textContent = "Stopped after " + (r.ms / 1000).toFixed(1) + " s";
        } else {
          if (!printed && !r.err) out.textContent = "(nothing printed)";
          status.textContent = (r.oom ? "Stopped: out of memory after " : "Ran in ") + Math.round(r.ms) +
            " ms (MicroPython " + window.__tbMicroPython.version + ", in the background)";
        }
        block.setAttribute("data-tb-state", state);
      }, function (e) {
        out.textContent = "Could not start Python in this page: " + (e && e.message || e);
        block.setAttribute("data-tb-state", "error");
        status.textContent = "";
      }).then(function () {
        btn.disabled = false;
        if (check) check.disabled = false;
        stop.disabled = true;
        block.classList.remove("tb-busy");
      });
    }

    btn.addEventListener("click", function () { go(ta.value, "Running"); });
    if (check && exercise) {
      // The checker of `tinybackprop exercise NAME FILE.py`: exercises.grade, same trials, same seed.
      check.addEventListener("click", function () {
        go(ta.value + "\n\nfrom tinybackprop import exercises as _tb_ex\nprint(_tb_ex.grade(" +
          JSON.stringify(exercise) + ", " + exercise + ").message)\n", "Checking");
      });
    }
  }

  function scan() {
    var blocks = document.querySelectorAll(".tb-runnable");
    for (var i = 0; i < blocks.length; i++) setUp(blocks[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
  // Material's instant navigation (if ever turned on) swaps the page content.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(scan);
})();
