#!/usr/bin/env bash
# The package as a user gets it. `python -m build` (the release extra, in .venv) makes the sdist
# and the wheel once, without a single warning; `twine check --strict` passes; both carry the MIT
# LICENSE (the wheel under .dist-info/licenses/) and License-Expression: MIT; the wheel holds the
# data (Iris, the digits and their credit) and every sub-package; the sdist no tests (they
# need the whole repository). Then that wheel is installed (not editable) into a fresh venv and
# used from outside the repository: the installed package is the one imported, the shipped data
# loads, and the README's commands run (train, your own CSV file, check, save -> predict, draw).
# What those commands compute (accuracies, messages, exit codes) is asserted once, by the tests
# (tests/test_cli.py, tests/test_cli_misuse.py, tests/test_digits.py); here they must run.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
.venv/bin/python -m build -o "$TMP/dist" "$REPO" > "$TMP/build.log" 2>&1 || { cat "$TMP/build.log"; exit 1; }
if grep -Eiq "warn|deprecat" "$TMP/build.log"; then
  echo "FAILED: python -m build warned:"; grep -Ei -B2 -A2 "warn|deprecat" "$TMP/build.log"; exit 1
fi
tail -1 "$TMP/build.log"
.venv/bin/twine check --strict "$TMP"/dist/*
.venv/bin/python - "$TMP/dist" <<'PY'
import glob, sys, tarfile, zipfile
dist = sys.argv[1]
whl, = glob.glob(dist + "/*.whl")
sdist, = glob.glob(dist + "/*.tar.gz")
wnames = zipfile.ZipFile(whl).namelist()
snames = tarfile.open(sdist).getnames()
lic = open("LICENSE").read()
assert lic.startswith("MIT License"), "LICENSE is not the MIT license"
wlic = [n for n in wnames if n.endswith(".dist-info/licenses/LICENSE")]
assert wlic and zipfile.ZipFile(whl).read(wlic[0]).decode() == lic, "LICENSE missing from the wheel"
slic = [n for n in snames if n.endswith("/LICENSE")]
assert slic and tarfile.open(sdist).extractfile(slic[0]).read().decode() == lic, "LICENSE missing from the sdist"
meta = zipfile.ZipFile(whl).read([n for n in wnames if n.endswith(".dist-info/METADATA")][0]).decode()
assert "License-Expression: MIT" in meta and "License-File: LICENSE" in meta, meta[:600]
assert "Classifier: License ::" not in meta, "the deprecated license classifier is back"
for need in ("tinybackprop/datasets/data/iris.csv", "tinybackprop/datasets/data/digits.csv.gz",
             "tinybackprop/datasets/data/README.md", "tinybackprop/show/__init__.py", "tinybackprop/cli/__main__.py",
             "tinybackprop/exercises/sandbox.py", "tinybackprop/export/__init__.py"):
    assert need in wnames, "%s is missing from the wheel" % need
assert not [n for n in snames if "/tests/" in n or n.endswith("conftest.py")], "tests in the sdist"
print("wheel: %d files (data, every sub-package), LICENSE, License-Expression: MIT; sdist: %d files, LICENSE, no tests"
      % (len(wnames), len(snames)))
PY

echo "-- the wheel, installed into a fresh venv, used from outside the repository"
python3 -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install -q --no-deps "$TMP"/dist/*.whl 2>&1 | grep -v "is ignored: it is neither" || true
cd "$TMP"
TB="$TMP/venv/bin/tinybackprop"
"$TMP/venv/bin/python" - <<'PY'
import tinybackprop
from tinybackprop import datasets
assert "site-packages" in tinybackprop.__file__, tinybackprop.__file__
X, y = datasets.load_iris()
Xd, yd = datasets.load_digits()
print("installed package imported from %s; shipped data: Iris %d rows, digits %d rows"
      % (tinybackprop.__file__.split("site-packages")[0] + "site-packages", len(X), len(Xd)))
PY
"$TB" train --json > default.json
"$TMP/venv/bin/python" -c "import json; r = json.load(open('default.json')); print('tinybackprop train: test accuracy %.3f' % r['test_accuracy'])"
printf 'length,width,kind\n' > fruit.csv
for i in 1 2 3 4 5 6 7 8 9 10; do printf '%d.0,%d.5,long\n%d.5,%d.0,round\n' $((i + 10)) $((i % 3 + 1)) $((i % 4 + 4)) $((i + 3)) >> fruit.csv; done
"$TB" train --data fruit.csv --quiet --save fruit.json --epochs 50
"$TB" predict --model fruit.json --csv fruit.csv | sort | uniq -c
"$TMP/venv/bin/python" -m tinybackprop.cli check
"$TB" train --quiet --save model.json --plot loss.svg
"$TB" predict --model model.json --x 5.1,3.5,1.4,0.2 --x 6.9,3.1,5.4,2.1
"$TB" draw --out net.svg --gradients
"$TMP/venv/bin/python" -c "import xml.etree.ElementTree as E; [E.parse(f) for f in ('loss.svg', 'net.svg')]; print('SVG files parse')"
echo "package step OK"
