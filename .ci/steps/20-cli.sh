#!/usr/bin/env bash
# CLI and shipped data, as a user gets them: build the wheel, check that the Iris CSV is inside,
# install it (not editable) into a fresh venv, and run the README's commands from outside the
# repository: the default training (test accuracy >= 0.95), the 3-class command (>= 0.93),
# check, save -> predict, draw, and a misuse that must exit 2 with one line.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "-- building the wheel"
python3 -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
# the build's output goes to a log, shown only on failure (22-package.sh checks it has no warnings)
"$TMP/venv/bin/pip" wheel -q --no-deps -w "$TMP/wheel" "$REPO" > "$TMP/wheel.log" 2>&1 || { cat "$TMP/wheel.log"; exit 1; }
WHEEL=$(ls "$TMP"/wheel/tinybackprop-*.whl)
"$TMP/venv/bin/python" - "$WHEEL" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert "tinybackprop/data/iris.csv" in names, "iris.csv is missing from the wheel"
print("wheel %s holds tinybackprop/data/iris.csv" % sys.argv[1].rsplit("/", 1)[-1])
PY
"$TMP/venv/bin/pip" install -q "$WHEEL"

cd "$TMP"  # away from the source tree: the installed package must be used
TB="$TMP/venv/bin/tinybackprop"
"$TMP/venv/bin/python" -c "import tinybackprop, sys; assert 'site-packages' in tinybackprop.__file__, tinybackprop.__file__"

echo "-- tinybackprop train (default: 4-3-2-1 on Iris, virginica vs the rest)"
start=$(date +%s.%N)
"$TB" train --json > default.json
end=$(date +%s.%N)
"$TMP/venv/bin/python" - default.json "$start" "$end" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
print("test accuracy %.3f, test loss %.4f, training %.2f s, whole command %.2f s wall (%s)"
      % (r["test_accuracy"], r["test_loss"], r["seconds"], wall, sys.version.split()[0]))
assert r["test_accuracy"] >= 0.95, r
PY

echo "-- tinybackprop train --layers 4,8,3 --hidden tanh --output softmax --loss cross_entropy"
"$TB" train --json --layers 4,8,3 --hidden tanh --output softmax --loss cross_entropy > three.json
"$TMP/venv/bin/python" - three.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("test accuracy %.3f, test loss %.4f, training %.2f s" % (r["test_accuracy"], r["test_loss"], r["seconds"]))
assert r["test_accuracy"] >= 0.93, r
PY

echo "-- python -m tinybackprop check"
"$TMP/venv/bin/python" -m tinybackprop check

echo "-- save, predict, draw"
"$TB" train --quiet --save model.json --plot loss.svg
"$TB" predict model.json --x 5.1,3.5,1.4,0.2 --x 6.9,3.1,5.4,2.1
"$TB" draw --out net.svg --gradients
"$TMP/venv/bin/python" -c "import xml.etree.ElementTree as E; E.parse('loss.svg'); E.parse('net.svg'); print('SVG files parse')"

echo "-- misuse exits 2 with one line"
set +e
"$TB" train --layers 4,x > out.txt 2> err.txt
code=$?
set -e
cat err.txt
[ "$code" = 2 ] && [ "$(wc -l < err.txt)" = 1 ] && ! grep -q Traceback err.txt && [ ! -s out.txt ]
echo "cli step OK"
