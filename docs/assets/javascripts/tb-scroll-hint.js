// A formula wider than the column scrolls sideways inside its box; this marks such a
// box (class tb-overflows) so that a hint below it says so. It runs again whenever a
// formula's size can have changed: fonts loaded, window resized, a box resized.
(function () {
  function mark() {
    document.querySelectorAll(".md-typeset .tb-math").forEach(function (box) {
      var inner = box.querySelector(".katex-display");
      box.classList.toggle("tb-overflows", !!inner && inner.scrollWidth > inner.clientWidth + 1);
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
