/*
 * Search from file:// without a server and without a CDN.
 *
 * Material's search runs lunr in a Web Worker. A page opened from file:// may
 * not start a worker from another file, so on file:// only this replaces
 * window.Worker by an object with the same interface (postMessage,
 * addEventListener, onmessage, terminate) that runs the worker script in a
 * hidden same-origin iframe. The worker's own postMessage() is redirected to
 * the page. Over http(s) nothing is changed.
 *
 * Material's offline plugin would otherwise add a CDN copy of the
 * "iframe-worker" shim; listing this file under extra.polyfills in mkdocs.yml
 * (its name contains "iframe-worker") stops that.
 */
(function () {
  "use strict";
  if (window.location.protocol !== "file:") return;

  function FileWorker(url) {
    var self = this;
    var listeners = { message: [], error: [] };
    var queue = [];
    var ready = false;
    var closed = false;

    this.onmessage = null;
    this.onerror = null;

    function emit(type, event) {
      if (closed) return;
      var handler = self["on" + type];
      if (typeof handler === "function") handler.call(self, event);
      listeners[type].slice().forEach(function (fn) {
        if (typeof fn === "function") fn.call(self, event);
        else if (fn && typeof fn.handleEvent === "function") fn.handleEvent(event);
      });
    }

    var iframe = document.createElement("iframe");
    iframe.setAttribute("aria-hidden", "true");
    iframe.setAttribute("tabindex", "-1");
    iframe.title = "search worker";
    iframe.style.display = "none";
    (document.body || document.documentElement).appendChild(iframe);
    var win = iframe.contentWindow;
    var doc = win.document;

    // What the worker posts goes to the page, asynchronously as in a worker.
    win.postMessage = function (data) {
      setTimeout(function () {
        emit("message", new MessageEvent("message", { data: data }));
      }, 0);
    };
    win.importScripts = function () {
      throw new Error("importScripts is not available from file:// (only English search is supported)");
    };

    function deliver(data) {
      win.dispatchEvent(new win.MessageEvent("message", { data: data }));
    }

    var script = doc.createElement("script");
    script.src = new URL(String(url), window.location.href).href;
    script.onload = function () {
      ready = true;
      var pending = queue;
      queue = [];
      pending.forEach(deliver);
    };
    script.onerror = function () {
      emit("error", new ErrorEvent("error", { message: "could not load worker script " + script.src }));
    };
    (doc.head || doc.documentElement).appendChild(script);

    this.postMessage = function (data) {
      if (closed) return;
      if (ready) {
        setTimeout(function () { deliver(data); }, 0);
      } else {
        queue.push(data);
      }
    };
    this.addEventListener = function (type, fn) {
      if (listeners[type] && listeners[type].indexOf(fn) < 0) listeners[type].push(fn);
    };
    this.removeEventListener = function (type, fn) {
      if (!listeners[type]) return;
      var i = listeners[type].indexOf(fn);
      if (i >= 0) listeners[type].splice(i, 1);
    };
    this.terminate = function () {
      closed = true;
      if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
    };
  }

  window.Worker = FileWorker;
})();
