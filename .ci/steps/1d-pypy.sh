#!/usr/bin/env bash
# The whole suite on PyPy but the slow tests (see .ci/interpreters.sh); in lane 1, after the
# README command, to even the lanes out.
exec bash "$(dirname "$0")/../interpreters.sh" whole:pypy
