#!/usr/bin/env bash
# The other CPythons (see .ci/interpreters.sh): the whole suite but the slow tests (they ran in
# the README command) on the oldest (3.8); tests/core, tests/interp and the doctests on 3.9,
# 3.10, 3.12. The newest (3.13, under coverage.py) is 1c-cpython313.sh, in lane 1.
exec bash "$(dirname "$0")/../interpreters.sh" whole:3.8 interp:3.9 interp:3.10 interp:3.12
