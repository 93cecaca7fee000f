#!/usr/bin/env bash
# The newest CPython (3.13): the whole suite but the slow tests (they ran in the README command),
# under coverage.py (sys.monitoring: cheap on 3.12+), its line coverage of tinybackprop/
# printed (see .ci/interpreters.sh). In lane 1, after the README command, to even the lanes out.
exec bash "$(dirname "$0")/../interpreters.sh" cover:3.13
