"""What ``train(..., verbose=1 or 2)`` prints while it trains: progress, as Keras's ``fit`` shows it.

:func:`tinybackprop.train` loads this module only when ``verbose`` is not 0, so a run that
prints nothing (a board's) never pays for it.

==========================  =====================================================
``Progress(verbose, ...)``  the lines: one updated in place on a terminal
                            (``verbose=1``), or one per epoch (``verbose=2``), then
                            a summary line
==========================  =====================================================

The lesson imports only math, json, sys and os, so this module has no clock of its own:
give one (``clock=time.perf_counter``) for the time so far and the time to go.

>>> _duration(75.0)
'1:15'
"""
from ._compat import TYPE_CHECKING
from .errors import BackpropError, show

if TYPE_CHECKING:
    from typing import Any, Callable
    History = Any  # a training.History: training imports this module, not the other way round


def _duration(seconds: float) -> str:
    """Seconds as a person reads them: 4.2 s, 1:05, 1:02:03.

    >>> _duration(4.23), _duration(65.4), _duration(3723.0)
    ('4.2 s', '1:05', '1:02:03')
    """
    if seconds < 60.0:
        return "%.1f s" % seconds
    s = int(seconds + 0.5)
    if s < 3600:
        return "%d:%02d" % (s // 60, s % 60)
    return "%d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60)


class Progress:
    """What ``train(..., verbose=...)`` prints while it trains (``verbose=0``, the default,
    prints nothing), as Keras's ``fit`` does:

    ``verbose=1``: on a terminal, one line updated in place (epoch k/N, the last epoch's
    training and validation loss, the time so far and the time still to go), at most once
    every ``interval`` seconds and between steps too, so that a long epoch shows its
    progress; elsewhere (a file, a pipe, a notebook) a line at most every ``interval_lines``
    seconds.  ``verbose=2``: one line per epoch.  Both end with a summary line.

    ``stream``: where the lines go (``sys.stdout``, or the command line's stderr).
    ``clock``: a function that returns seconds, e.g. ``time.perf_counter``.  The lesson
    imports only math, json, sys and os, so it has no clock of its own: without one the
    lines show no time, and the line is updated at the end of every epoch (a tenth of the
    epochs apart when it is not a terminal).  Give one for the time and the ETA::

        train(net, X, Y, verbose=Progress(1, clock=time.perf_counter))

    >>> import io; out = io.StringIO()
    >>> from tinybackprop import Network
    >>> from tinybackprop.training import train
    >>> h = train(Network([2, 1]), [[0.0, 1.0]], [[1.0]], epochs=2, verbose=Progress(2, stream=out))
    >>> print(out.getvalue().rstrip())
    epoch 1/2  train loss 1.6035
    epoch 2/2  train loss 1.4780
    2 epochs: train loss 1.4780
    """

    def __init__(self, verbose: int = 1, stream: "Any" = None, clock: "Callable[[], float] | None" = None,
                 interval: float = 0.25, interval_lines: float = 1.0) -> None:
        if verbose not in (1, 2):
            raise BackpropError("Progress: verbose must be 1 (a line updated in place) or 2 (a line per epoch), "
                                "got %s" % show(verbose))
        if clock is not None and not callable(clock):
            raise BackpropError("Progress: clock must be a function that returns seconds (time.perf_counter) or None")
        self.verbose, self.stream, self.clock = verbose, stream, clock
        self.interval, self.interval_lines = interval, interval_lines
        self.open = False  # an in-place line is on the screen, not yet ended

    def begin(self, first: int, last: int, m: int) -> None:
        """Before the first step: epochs ``first``..``last``, ``m`` training rows per epoch."""
        if self.stream is None:
            import sys
            self.stream = sys.stdout
        isatty = getattr(self.stream, "isatty", None)
        try:
            self.tty = bool(isatty()) if isatty is not None else False
        except (ValueError, OSError):  # a closed stream
            self.tty = False
        self.first, self.last, self.m = first, last, m
        self.t0 = self.clock() if self.clock is not None else None  # type: Any  # these two: read only with a clock
        self.shown = self.t0  # type: Any
        self.text = ""
        self.every = max(1, (last - first + 1) // 10)

    def _write(self, text: str) -> None:
        self.stream.write(text)
        flush = getattr(self.stream, "flush", None)
        if flush is not None:
            flush()

    def _line(self, epoch: int, rows: int, h: "History") -> str:
        """epoch k/N, the last finished epoch's losses, the time so far and to go."""
        done = epoch - self.first + (rows / self.m if self.m else 1.0)  # epochs of this call done, in part
        parts = ["epoch %*d/%d" % (len(str(self.last)), epoch, self.last)]
        if rows < self.m:
            parts[0] += " %3d%%" % int(100.0 * rows / self.m)
        if h.loss:
            train_loss = h.train_loss if h.train_loss else h.loss
            parts.append("train loss %.4f" % train_loss[-1])
            if h.val_loss:
                parts.append("val loss %.4f" % h.val_loss[-1])
                if h.val_accuracy:
                    parts.append("val acc %.3f" % h.val_accuracy[-1])
        if self.clock is not None:
            elapsed = self.clock() - self.t0
            parts.append("elapsed " + _duration(elapsed))
            total = self.last - self.first + 1
            if done > 0 and done < total:
                parts.append("ETA " + _duration(elapsed * (total - done) / done))
        return "  ".join(parts)

    def _show(self, text: str) -> None:
        if self.tty and self.verbose == 1:
            pad = " " * max(0, len(self.text) - len(text))
            self._write("\r" + text + pad)
            self.open = True
        else:
            self._write(text + "\n")
        self.text = text

    def _due(self) -> bool:
        """Time for a new line? (and remember when it was shown)"""
        if self.clock is None:
            return False
        now = self.clock()
        if now - self.shown >= (self.interval if self.tty else self.interval_lines):
            self.shown = now
            return True
        return False

    def step(self, epoch: int, rows: int, h: "History") -> None:
        """After a step of ``epoch``: ``rows`` of its rows trained on so far."""
        if self.verbose == 1 and rows < self.m and self._due():
            self._show(self._line(epoch, rows, h))

    def epoch(self, epoch: int, h: "History") -> None:
        """After ``epoch`` (its losses recorded in ``h``)."""
        if self.verbose == 2:
            self._show(self._line(epoch, self.m, h))
        elif self.clock is not None:
            if self._due() or epoch == self.last:
                self._show(self._line(epoch, self.m, h))
        elif self.tty or (epoch - self.first + 1) % self.every == 0 or epoch == self.last:
            self._show(self._line(epoch, self.m, h))

    def end(self, h: "History | None", stopped: object = None) -> None:
        """After training (or when it fails: ``h`` None): end the line, then a summary line."""
        if self.open:
            self._write("\n")
            self.open = False
        if h is None or not h.loss:
            return
        last = h.initial_epoch + h.epochs
        text = "%d epoch%s" % (h.epochs, "" if h.epochs == 1 else "s")
        if h.initial_epoch:
            text += " (%d to %d)" % (h.initial_epoch + 1, last)
        if self.clock is not None:
            text += " in " + _duration(self.clock() - self.t0)
        losses = h.train_loss if h.train_loss else h.loss
        text += ": train loss %.4f" % losses[-1]
        if h.val_loss:
            text += ", val loss %.4f" % h.val_loss[-1]
        if h.best_epoch is not None:
            text += "; early stopping kept epoch %d (val loss %.4f)" % (h.best_epoch, h.at("val_loss", h.best_epoch))
        self._write(text + "\n")
