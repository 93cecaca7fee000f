"""The heap guard (portability/heap_guard.py, CI's .ci/steps/2b-heap.sh) fails a heap that grew
more than 5 % beyond its budget, passes one within it, and finds the smallest heap by bisection:
checked with a stand-in MicroPython whose runs fail below a heap we choose (the real runs are the
CI step's)."""
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "portability"))
import heap_guard  # noqa: E402


class FakeMicroPython(object):
    """Trains in any heap of at least `needs[route]` kB (the route read from the script's name)."""

    def __init__(self, needs):
        self.needs = needs
        self.heaps = []

    def name(self):
        return "a stand-in MicroPython"

    def available(self):
        return True

    def run(self, script, flash, heap_kb=None):
        self.heaps.append(heap_kb)
        route = "guide" if script.endswith("train_iris.py") else "plain"
        if heap_kb >= self.needs[route]:
            return 0, "test accuracy 1.000\n", ""
        return 1, "", "MemoryError: memory allocation failed, allocating 16 bytes\n"


@pytest.mark.parametrize("needs", [150, 151, 163, 200])
def test_bisection_finds_the_smallest_heap(needs):
    mp = FakeMicroPython({"plain": needs})
    tried = {}
    assert heap_guard.smallest(mp, "heap_plain.py", ".", 150, 200, tried) == needs
    assert tried.get(needs, "ok") == "ok"  # the top (200) is given as working, not tried again
    assert needs == 150 or tried[needs - 1] == "MemoryError"


def guard(tmp_path, monkeypatch, needs, budget):
    monkeypatch.setattr(heap_guard, "BUDGET", str(tmp_path / "budget.json"))
    (tmp_path / "budget.json").write_text(json.dumps({"builds": {"KEY": budget}}))
    mp = FakeMicroPython(needs)
    monkeypatch.setattr(heap_guard.board, "MicroPython", lambda native: mp)
    monkeypatch.setattr(heap_guard, "build_key", lambda m: "KEY")
    monkeypatch.setattr(heap_guard, "prepare", lambda route, work: (
        os.path.join(work, "train_iris.py" if route == "guide" else "heap_plain.py"), work))
    return heap_guard.main(["--micropython", "/bin/true", "--require"]), mp


def test_a_heap_within_its_budget_plus_5_percent_passes(tmp_path, monkeypatch, capsys):
    rc, mp = guard(tmp_path, monkeypatch, {"guide": 195, "plain": 180}, {"guide": 186, "plain": 187})
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "guide smallest heap 195 kB, budget 186 kB, limit 195 kB" in out
    assert "plain smallest heap 180 kB" in out


def test_a_heap_grown_more_than_5_percent_fails_and_says_so(tmp_path, monkeypatch, capsys):
    rc, mp = guard(tmp_path, monkeypatch, {"guide": 196, "plain": 187}, {"guide": 186, "plain": 187})
    out = capsys.readouterr().out
    assert rc == 1
    assert "FAIL  guide does not train in 195 kB (budget 186 kB + 5 %): MemoryError" in out
    assert "MemoryError: memory allocation failed" in out and "FAILED" in out.splitlines()[-1]


def test_a_heap_that_shrank_is_reported_not_failed(tmp_path, monkeypatch, capsys):
    rc, mp = guard(tmp_path, monkeypatch, {"guide": 100, "plain": 187}, {"guide": 186, "plain": 187})
    out = capsys.readouterr().out
    assert rc == 0
    assert "guide smallest heap <= 167 kB" in out and "lower it" in out


def test_a_build_without_budget_fails_under_require(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(heap_guard, "BUDGET", str(tmp_path / "budget.json"))
    (tmp_path / "budget.json").write_text(json.dumps({"builds": {"OTHER": {"guide": 1, "plain": 1}}}))
    monkeypatch.setattr(heap_guard.board, "MicroPython", lambda native: FakeMicroPython({}))
    monkeypatch.setattr(heap_guard, "build_key", lambda m: "KEY")
    assert heap_guard.main(["--micropython", "/bin/true", "--require"]) == 1
    assert "FAILED: no heap budget for KEY" in capsys.readouterr().out
    assert heap_guard.main(["--micropython", "/bin/true"]) == 0
    assert "SKIPPED: no heap budget for KEY" in capsys.readouterr().out


def test_the_budget_file_has_both_routes_for_each_build():
    with open(heap_guard.BUDGET) as f:
        builds = json.load(f)["builds"]
    assert builds, "no budget at all"
    for key, b in builds.items():
        assert all(isinstance(b[r], int) and 32 < b[r] < 1024 for r in heap_guard.ROUTES), (key, b)
