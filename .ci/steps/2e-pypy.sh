#!/usr/bin/env bash
# The whole suite on PyPy but the slow tests (see .ci/interpreters.sh); in lane 2, after the
# other CPythons, where it evens the lanes out (lane 1 holds the README command, the longest step).
exec bash "$(dirname "$0")/../interpreters.sh" whole:pypy
