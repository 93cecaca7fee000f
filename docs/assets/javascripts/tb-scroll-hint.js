// A formula wider than the column scrolls sideways inside its box; this marks such a
// box (class tb-overflows) so that a hint below it says so. Run on load and on resize.
(function () {
  function mark() {
    document.querySelectorAll(".md-typeset .tb-math").forEach(function (box) {
      var inner = box.querySelector(".katex-display");
      box.classList.toggle("tb-overflows", !!inner && inner.scrollWidth > inner.clientWidth + 1);
    });
  }
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(mark);
})();
