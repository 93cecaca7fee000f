// A formula (or a drawing) wider than the column scrolls sideways inside its box; this marks
// such a box (class tb-overflows) so that a hint below it says so, and gives an inline formula
// wider than its paragraph a scroll box of its own (class tb-wide-inline). It runs again whenever a
// formula's size can have changed: fonts loaded, window resized, a box resized.
(function () {
  function mark() {
    document.querySelectorAll(".md-typeset .tb-math").forEach(function (box) {
      var inner = box.querySelector(".katex-display");
      box.classList.toggle("tb-overflows", !!inner && inner.scrollWidth > inner.clientWidth + 1);
    });
    // A drawing that needs more room than the column (its text would fall below 9 px) scrolls.
    document.querySelectorAll(".md-typeset figure.tb-drawing").forEach(function (fig) {
      fig.classList.toggle("tb-overflows", fig.scrollWidth > fig.clientWidth + 1);
    });
    // Inline formulas (not in a display box) wider than their paragraph get a scroll box.
    document.querySelectorAll(".md-typeset .katex").forEach(function (k) {
      if (k.closest(".katex-display")) return;
      var host = k.parentElement;
      if (!host) return;
      k.classList.remove("tb-wide-inline");
      var room = host.getBoundingClientRect();
      var box = k.getBoundingClientRect();
      if (box.width > room.width + 1 || box.right > room.right + 1) k.classList.add("tb-wide-inline");
    });
  }
  function start() {
    mark();
    if (window.ResizeObserver) {
      var ro = new ResizeObserver(mark);
      document.querySelectorAll(".md-typeset .tb-math .katex-display, .md-typeset .tb-math .katex-html")
        .forEach(function (e) { ro.observe(e); });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.addEventListener("load", mark);
  [100, 300, 1000, 3000].forEach(function (ms) { setTimeout(mark, ms); });  // late layout changes
  window.addEventListener("resize", mark);
  if (document.fonts) {
    if (document.fonts.ready) document.fonts.ready.then(mark);
    if (document.fonts.addEventListener) document.fonts.addEventListener("loadingdone", mark);
  }
})();
