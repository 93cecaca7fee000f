#!/usr/bin/env bash
# CLI and shipped data, as a user gets them: build the wheel, check that the Iris CSV and the
# digits (with their credit) are inside, install it (not editable) into a fresh venv, and run the
# README's commands from outside the repository: the default training (test accuracy >= 0.95), the
# 3-class command (>= 0.93), the digits (>= 0.96; its time is printed, not asserted: timings live
# in benchmarks/), a CSV file of your own, check, save -> predict, draw, and misuse that must exit 2
# with one line.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "-- building the wheel"
python3 -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
# setuptools' deprecation warnings are long: keep them in a log, show it only on failure
"$TMP/venv/bin/pip" wheel -q --no-deps -w "$TMP/wheel" "$REPO" > "$TMP/wheel.log" 2>&1 || { cat "$TMP/wheel.log"; exit 1; }
WHEEL=$(ls "$TMP"/wheel/tinybackprop-*.whl)
"$TMP/venv/bin/python" - "$WHEEL" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for need in ("tinybackprop/data/iris.csv", "tinybackprop/data/digits.csv.gz", "tinybackprop/data/README.md"):
    assert need in names, "%s is missing from the wheel" % need
print("wheel %s holds tinybackprop/data/iris.csv, digits.csv.gz and README.md" % sys.argv[1].rsplit("/", 1)[-1])
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

echo "-- tinybackprop train --data digits (64-32-10 on the handwritten digits)"
"$TB" train --data digits --json --save digits.json --draw digits.svg > digits-run.json
"$TMP/venv/bin/python" - digits-run.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("test accuracy %.3f, training %.2f s (%s epochs; the 30 s target is a benchmark, not asserted here)"
      % (r["test_accuracy"], r["seconds"], r["epochs"]))
assert r["layers"] == [64, 32, 10] and r["test_accuracy"] >= 0.96, r["test_accuracy"]
assert len(r["confusion"]) == 10 and sum(map(sum, r["confusion"])) == r["test_examples"]
PY
"$TB" predict digits.json --x 0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0

echo "-- your own CSV file: train --data PATH.csv, predict --csv"
printf 'length,width,kind\n' > fruit.csv
for i in 1 2 3 4 5 6 7 8 9 10; do printf '%d.0,%d.5,long\n%d.5,%d.0,round\n' $((i + 10)) $((i % 3 + 1)) $((i % 4 + 4)) $((i + 3)) >> fruit.csv; done
"$TB" train --data fruit.csv --quiet --save fruit.json --epochs 50
"$TB" predict fruit.json --csv fruit.csv | sort | uniq -c

echo "-- python -m tinybackprop check"
"$TMP/venv/bin/python" -m tinybackprop check

echo "-- save, predict, draw"
"$TB" train --quiet --save model.json --plot loss.svg
"$TB" predict model.json --x 5.1,3.5,1.4,0.2 --x 6.9,3.1,5.4,2.1
"$TB" draw --out net.svg --gradients
"$TMP/venv/bin/python" -c "import xml.etree.ElementTree as E; [E.parse(f) for f in ('loss.svg', 'net.svg', 'digits.svg')]; print('SVG files parse')"

echo "-- misuse exits 2 with one line"
set +e
"$TB" train --layers 4,x > out.txt 2> err.txt
code=$?
set -e
cat err.txt
[ "$code" = 2 ] && [ "$(wc -l < err.txt)" = 1 ] && ! grep -q Traceback err.txt && [ ! -s out.txt ]
printf 'a,b,label\n1,2,x\n3,,y\n' > bad.csv
set +e
"$TB" train --data bad.csv > out.txt 2> err.txt
code=$?
set -e
cat err.txt
[ "$code" = 2 ] && [ "$(wc -l < err.txt)" = 1 ] && grep -q "row 3, column 'b'" err.txt && [ ! -s out.txt ]
echo "cli step OK"
