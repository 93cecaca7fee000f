/*
 * Python in the page: MicroPython (WebAssembly) running this checkout's tinybackprop.
 *
 *   tbPython.ready()     -> Promise; loads the runtime on first call (and only then)
 *   tbPython.run(code)   -> Promise<{out, err}>: what the code printed, and the Python
 *                           traceback text ("" if none). Runs in the page's __main__:
 *                           names defined by one run are there for the next.
 *   tbPython.worker()    -> Promise<worker>: a second interpreter in a Web Worker, for long
 *                           jobs (training) that must not freeze the page; worker.run(code,
 *                           onLine) streams printed lines; worker.stop() ends it at once.
 *
 * This file is small and on every page. The heavy parts are generated at build time by
 * docs/hooks/tb_python.py into assets/tb-python/: micropython.js (MicroPython's glue and
 * its .wasm as base64) and tinybackprop.js (the package's source files). They are loaded
 * with <script> tags, not fetch(), so that the site also works opened from disk (file://).
 * Nothing comes from the network.
 *
 * It also turns every .tb-runnable block (made by the hook from ```{.python .tb-run})
 * into an editor with a Run button.
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

  // ---- a second interpreter in a Web Worker (built from a blob: works from file:// too)

  function worker() {
    return assets().then(function () {
      var src = window.__tbMicroPython.glue + "\n;(" + workerMain.toString() + ")(" +
        bootInterpreter.toString() + ");\n";
      var url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
      var w = new Worker(url);
      URL.revokeObjectURL(url);
      var pending = {}, nextId = 1, listeners = {}, dead = false;
      var handle = {
        run: function (code, onLine) {
          var id = nextId++;
          listeners[id] = onLine || function () {};
          return new Promise(function (resolve, reject) {
            pending[id] = { resolve: resolve, reject: reject };
            w.postMessage({ type: "run", id: id, code: String(code) });
          });
        },
        stop: function () {
          if (dead) return;
          dead = true;
          w.terminate();
          Object.keys(pending).forEach(function (id) { pending[id].reject(new Error("stopped")); });
          pending = {};
        }
      };
      return new Promise(function (resolve, reject) {
        w.onmessage = function (e) {
          var m = e.data;
          if (m.type === "ready") resolve(handle);
          else if (m.type === "fail") reject(new Error(m.err));
          else if (m.type === "line") { var f = listeners[m.id]; if (f) f(m.line, m.stream); }
          else if (m.type === "done" && pending[m.id]) {
            pending[m.id].resolve({ err: m.err });
            delete pending[m.id];
            delete listeners[m.id];
          }
        };
        w.onerror = function (e) { reject(new Error(e.message || "worker failed")); };
        var wasm = decode64(window.__tbMicroPython.wasm);
        w.postMessage({ type: "init", wasm: wasm, files: window.__tbSources.files, lib: LIB, heap: HEAP },
          [wasm.buffer]);
      });
    });
  }

  // Runs inside the worker (its text is put in the worker's script).
  function workerMain(bootInterpreter) {
    var mp = null, current = 0;
    function line(stream) {
      return function (text) { self.postMessage({ type: "line", id: current, stream: stream, line: text }); };
    }
    self.onmessage = function (e) {
      var m = e.data;
      if (m.type === "init") {
        bootInterpreter(m.wasm, m.files, m.lib, m.heap, line("out"), line("err"), true).then(function (x) {
          mp = x;
          self.postMessage({ type: "ready" });
        }, function (err) { self.postMessage({ type: "fail", err: String(err && err.message || err) }); });
      } else if (m.type === "run") {
        current = m.id;
        var err = "";
        try { mp.runPython(m.code); } catch (x) { err = String(x && x.message || x); }
        self.postMessage({ type: "done", id: m.id, err: err });
      }
    };
  }

  var api = { ready: ready, run: run, worker: worker, version: "1" };
  window.tbPython = api;

  // ---- runnable examples -------------------------------------------------------------

  function fit(ta) {
    ta.style.height = "auto";
    ta.style.height = (ta.scrollHeight + 4) + "px";
  }

  function setUp(block) {
    if (block.getAttribute("data-tb-ready")) return;
    block.setAttribute("data-tb-ready", "1");
    var ta = block.querySelector("textarea.tb-code");
    var btn = block.querySelector("button.tb-run");
    var reset = block.querySelector("button.tb-reset");
    var out = block.querySelector(".tb-output");
    var status = block.querySelector(".tb-status");
    var original = ta ? ta.value : "";
    if (ta) {
      fit(ta);
      ta.addEventListener("input", function () { fit(ta); });
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
    btn.addEventListener("click", function () {
      var t0 = performance.now();
      btn.disabled = true;
      block.classList.add("tb-busy");
      status.textContent = mp ? "Running\u2026" : "Starting Python (MicroPython, in this page)\u2026";
      run(ta.value).then(function (r) {
        out.hidden = false;
        out.textContent = "";
        if (r.out) out.appendChild(document.createTextNode(r.out));
        if (r.err) {
          var e = document.createElement("span");
          e.className = "tb-error";
          e.textContent = r.err;
          out.appendChild(e);
        }
        if (!r.out && !r.err) out.textContent = "(nothing printed)";
        block.setAttribute("data-tb-state", r.err ? "error" : "ok");
        status.textContent = "Ran in " + Math.round(performance.now() - t0) + " ms (MicroPython " +
          window.__tbMicroPython.version + ", in this page)";
      }, function (e) {
        out.hidden = false;
        out.textContent = "Could not start Python in this page: " + (e && e.message || e);
        block.setAttribute("data-tb-state", "error");
        status.textContent = "";
      }).then(function () {
        btn.disabled = false;
        block.classList.remove("tb-busy");
      });
    });
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
