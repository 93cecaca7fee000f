#!/usr/bin/env bash
# PyTorch as an independent float64 autodiff: both paths' gradients against torch.autograd
# (tests/test_torch_agrees.py, within 1e-9); tinybackprop.export's to_torch, from_torch and
# to_numpy on every activation, output and loss, and its scripts (tests/test_export.py);
# the Graduating page's PyTorch and NumPy blocks (tests/test_graduating.py). torch and numpy
# are optional extras; `pip install torch==2.13.0` takes the local CPU wheel on these
# machines (about 20 s). Where one cannot be had its tests are reported as SKIPPED here, not
# passed: the scalar autodiff of tests/test_paths_agree.py covers the gradients without it.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
TESTS="tests/test_torch_agrees.py tests/test_export.py tests/test_graduating.py"
if "$PY" -m pip install -q -e ".[torch,numpy]" >/tmp/tb-torch-install.log 2>&1; then
  "$PY" -m pytest -q -p no:cacheprovider -W ignore::UserWarning -ra $TESTS
else
  echo "SKIPPED: torch==2.13.0 or numpy could not be installed (see /tmp/tb-torch-install.log); $TESTS not run with them"
  tail -3 /tmp/tb-torch-install.log || true
fi
