#!/usr/bin/env bash
# Ready to publish: `python -m build` makes the sdist and the wheel without a single warning,
# `twine check` passes, both carry the MIT LICENSE (the wheel under .dist-info/licenses/) and
# the metadata License-Expression: MIT, and the sdist holds no tests (they need the whole
# repository: docs/, tools/, portability/) rather than half of them. build and twine are the
# pinned "release" extra, installed into a venv of their own.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install -q "build==1.6.1" "twine==7.0.0" 2>&1 | grep -v "is ignored: it is neither" || true
"$TMP/venv/bin/python" -m build -o "$TMP/dist" "$REPO" > "$TMP/build.log" 2>&1 || { cat "$TMP/build.log"; exit 1; }
if grep -Eiq "warn|deprecat" "$TMP/build.log"; then
  echo "FAILED: python -m build warned:"; grep -Ei -B2 -A2 "warn|deprecat" "$TMP/build.log"; exit 1
fi
tail -1 "$TMP/build.log"
"$TMP/venv/bin/twine" check --strict "$TMP"/dist/*
"$TMP/venv/bin/python" - "$TMP/dist" <<'PY'
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
assert "tinybackprop/data/iris.csv" in wnames and "tinybackprop/py.typed" in wnames
assert not [n for n in snames if "/tests/" in n or n.endswith("conftest.py")], "tests in the sdist"
print("wheel: %d files, LICENSE, License-Expression: MIT; sdist: %d files, LICENSE, no tests" % (len(wnames), len(snames)))
PY
echo "package step OK"
