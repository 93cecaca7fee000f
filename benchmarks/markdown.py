"""Markdown tables from a benchmark run, for docs/speed.md.

    python3 benchmarks/markdown.py [benchmarks/results/latest.json]
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

ORDER = ["online_vec", "online_pn", "per_row", "step_vs_fused", "matmul", "per_neuron_vs_vec", "validation",
         "micrograd", "sumprod", "flat"]


def rel(v):
    """A time ratio: 71 for slower, 1/120 for faster."""
    return fmt(v) if v >= 0.5 else "1/%.0f" % (1.0 / v)


def fmt(v):
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def targets(runs):
    head = "| target | " + " | ".join(r["interpreter"] for r in runs) + " |"
    lines = [head, "|---|" + "---:|" * len(runs)]
    for key in ORDER:
        desc = None
        cells = []
        for r in runs:
            t = r["targets"].get(key)
            if t is None:
                cells.append("–")
                continue
            desc = "%s %s %g" % (t["what"], "≤" if t["op"] == "<=" else "≥", t["limit"])
            cells.append("%s %s" % (fmt(t["value"]), "PASS" if t["pass"] else "**MISS**"))
        if desc:
            lines.append("| %s | %s |" % (desc, " | ".join(cells)))
    for label, key in (("hand-fused step, ms", "fused"), ("vectorized training step, ms", "train_step"),
                       ("step through the checked backward(), ms", "vectorized"),
                       ("unchecked vectorized step, ms", "unchecked"), ("per-neuron step, ms", "per_neuron")):
        cells = ["%.2f" % r["step_ms"][key] if key in r.get("step_ms", {}) else "–" for r in runs]
        lines.append("| %s | %s |" % (label, " | ".join(cells)))
    cells = ["%.0f" % r["mflops_best_idiom"] if "mflops_best_idiom" in r else "–" for r in runs]
    lines.append("| best pure-Python idiom, 64x64 matmul, MFLOP/s | %s |" % " | ".join(cells))
    for label, key in (("batch 1, vectorized, ms per row", "vectorized"), ("batch 1, per-neuron, ms per row", "per_neuron"),
                       ("batch 32, vectorized, ms per row", "vectorized_b32"),
                       ("batch 1, from-scratch code, ms per row", "scratch")):
        cells = ["%.3f" % r["online_ms_per_row"][key] if key in r.get("online_ms_per_row", {}) else "–" for r in runs]
        lines.append("| %s | %s |" % (label, " | ".join(cells)))
    for key, label in (("online_vec", "dense rows (no 0): from-scratch / vectorized, batch 1 (no target)"),
                       ("online_pn", "dense rows: per-neuron / from-scratch, batch 1 (no target)"),
                       ("per_row", "dense rows: time per row, batch 1 / batch 32 (no target)")):
        cells = [fmt(r["online_dense"][key]) if "online_dense" in r else "–" for r in runs]
        lines.append("| %s | %s |" % (label, " | ".join(cells)))
    return "\n".join(lines)


def peers(run):
    ms = run.get("peer_ms", {})
    lines = ["| one training step, 64-32-10, batch 32 | ms | time / tinybackprop's |", "|---|---:|---:|"]
    lines.append("| tinybackprop, vectorized | %.2f | 1 |" % run["step_ms"]["vectorized"])
    lines.append("| hand-fused pure Python | %.2f | %s |" % (run["step_ms"]["fused"],
                                                           rel(run["step_ms"]["fused"] / run["step_ms"]["vectorized"])))
    lines.append("| tinybackprop, per-neuron | %.2f | %s |" % (run["step_ms"]["per_neuron"],
                                                             rel(run["step_ms"]["per_neuron"] / run["step_ms"]["vectorized"])))
    names = {"micrograd": "micrograd (gc off)", "micrograd_gc_on": "micrograd (gc on, one sample)",
             "numpy": "NumPy", "torch": "PyTorch (one thread)"}
    for key in ("micrograd", "micrograd_gc_on", "numpy", "torch"):
        if key in ms:
            lines.append("| %s | %s | %s |" % (names[key], fmt(ms[key]) if ms[key] >= 1 else "%.3f" % ms[key],
                                               rel(ms[key] / run["step_ms"]["vectorized"])))
    for s in run.get("skipped", []):
        if s["id"] == "d":
            lines.append("| %s | skipped: %s | |" % (s["what"], s["why"]))
    return "\n".join(lines)


def grid(run):
    g = run.get("grid")
    if not g:
        return ""
    lines = ["| width \\ batch | " + " | ".join(str(m) for m in g["batches"]) + " |",
             "|---:|" + "---:|" * len(g["batches"])]
    for w in g["widths"]:
        lines.append("| %d | %s |" % (w, " | ".join("%.1f" % g["ns_per_madd"]["w%d_m%d" % (w, m)]
                                                    for m in g["batches"])))
    return "\n".join(lines)


def main(argv):
    path = argv[1] if len(argv) > 1 else os.path.join(HERE, "results", "latest.json")
    with open(path) as f:
        runs = json.load(f)
    if isinstance(runs, dict):
        runs = [runs]
    print(targets(runs))
    print()
    print(peers(runs[0]))
    print()
    print(grid(runs[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
