#!/usr/bin/env bash
# The course's notebooks (notebooks/, one per Learn page with examples) as a learner runs them.
# 1. Every one, executed by nbclient in a fresh virtual environment (nbclient, ipykernel and the
#    tinybackprop wheel, nothing else: no numpy, no torch) with NO NETWORK: each runs without an
#    error, the setup cell installs nothing (the package is there), every example prints, every
#    picture cell shows a picture (image/svg+xml or text/html), and the kernel imports the
#    installed package, not the checkout.
# 2. The setup cell where the kernel lacks tinybackprop, offline too, in a second fresh venv
#    without it: a notebook opened from notebooks/ takes the checkout; one beside the wheel
#    installs the wheel (pip, no index) and runs on it.
# The network is cut with `unshare -rn` (a network namespace with loopback only); where that is
# not possible the step fails: an online run would not show that the notebooks need no network.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

offline() { unshare -rn sh -c 'ip link set lo up && exec "$@"' offline "$@"; }
quiet_kernels() {  # each kernel warns that it talks over TCP (loopback only, here): that line left out
  "$@" 2> >(grep -v "Kernel is running over TCP without encryption" >&2)
}
if ! offline true 2>/dev/null; then
  echo "FAILED: cannot cut the network (unshare -rn): the notebooks cannot be checked offline"; exit 1
fi
if offline python3 -c "import socket; socket.create_connection(('pypi.org', 443), timeout=5)" 2>/dev/null; then
  echo "FAILED: unshare -rn left the network reachable"; exit 1
fi

.venv/bin/python -m build --wheel -o "$TMP/dist" "$REPO" > "$TMP/build.log" 2>&1 || { cat "$TMP/build.log"; exit 1; }
WHEEL=$(ls "$TMP"/dist/tinybackprop-*.whl)
for v in with without; do
  python3 -m venv "$TMP/$v"
  # uv from its cache (filled by 0-setup.sh) when it can, else from the index; online, before the runs
  .venv/bin/uv pip install -q --offline -p "$TMP/$v/bin/python" nbclient nbformat ipykernel 2>/dev/null \
    || .venv/bin/uv pip install -q -p "$TMP/$v/bin/python" nbclient nbformat ipykernel
done
"$TMP/with/bin/python" -m pip install -q --no-index --no-deps "$WHEEL"

cat > "$TMP/run.py" <<'PY'
"""run.py WHERE EXPECT NOTEBOOK...: execute each notebook (in its own folder) and check it;
EXPECT is where the kernel must import tinybackprop from (a path prefix)."""
import asyncio, os, sys
import nbclient, nbformat

where, expect, paths = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3:]
problems, pictures = [], 0


async def run(path, gate):
    global pictures
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import tinybackprop, os; print(os.path.realpath(tinybackprop.__file__))"))
    async with gate:
        try:
            await nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                          resources={"metadata": {"path": os.path.dirname(path)}}).async_execute()
        except Exception as e:  # noqa: BLE001 - reported below, with the notebook's name
            problems.append("%s: %s" % (path, str(e).strip().splitlines()[-1][:300]))
            return
    name = os.path.basename(path)
    for k, cell in enumerate(nb.cells[:-1]):
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        kinds = [o.output_type for o in cell.outputs]
        if "setup" in tags and where == "installed" and cell.outputs:
            problems.append("%s: the setup cell printed %s where tinybackprop is installed" % (name, kinds))
        if "example" in tags and not any(o.output_type == "stream" for o in cell.outputs):
            problems.append("%s: example cell %d printed nothing" % (name, k))
        if "picture" in tags:
            rich = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")
                    and ("image/svg+xml" in o.data or "text/html" in o.data)]
            if rich:
                pictures += 1
            else:
                problems.append("%s: picture cell %d shows no picture (%s)" % (name, k, kinds))
    used = "".join(o.get("text", "") for o in nb.cells[-1].outputs).strip()
    if not used.startswith(expect):
        problems.append("%s: the kernel imported tinybackprop from %s, not from %s" % (name, used, expect))


async def main():
    gate = asyncio.Semaphore(2)
    await asyncio.gather(*[run(p, gate) for p in paths])

asyncio.run(main())
print("%s: %d notebooks run offline, %d pictures shown, %d problems" % (where, len(paths), pictures, len(problems)))
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
PY

echo "-- every notebook, tinybackprop installed from its wheel, no network"
SITE=$("$TMP/with/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
quiet_kernels offline env PATH="$TMP/with/bin:$PATH" "$TMP/with/bin/python" "$TMP/run.py" installed "$SITE" "$REPO"/notebooks/*.ipynb

echo "-- the setup cell where the kernel lacks tinybackprop, no network"
quiet_kernels offline env PATH="$TMP/without/bin:$PATH" "$TMP/without/bin/python" "$TMP/run.py" checkout "$REPO/tinybackprop" \
  "$REPO/notebooks/warm-up.ipynb"
mkdir "$TMP/download" && cp "$WHEEL" "$REPO/notebooks/index.ipynb" "$TMP/download/"
SITE=$("$TMP/without/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
quiet_kernels offline env PATH="$TMP/without/bin:$PATH" "$TMP/without/bin/python" "$TMP/run.py" wheel "$SITE" "$TMP/download/index.ipynb"
echo "notebooks step OK"
