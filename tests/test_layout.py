"""The test folders say where a test runs (tests/README.md), and CI picks tests by folder:
tests/core/ is the core's tests (every interpreter and Pyodide). Here the folder is checked
against the one definition of the core, tinybackprop.CORE: tests/core_tests.py derives from a
test file's imports whether it is a core test, and the folder must hold exactly those."""
import os

import core_tests

HERE = os.path.dirname(os.path.abspath(__file__))


def test_tests_core_holds_exactly_the_core_tests():
    derived = set(core_tests.names())
    folder = {rel for rel in core_tests.test_files() if rel.startswith("core/")}
    assert sorted(derived - folder) == [], "core tests outside tests/core/: move them there (tests/README.md)"
    assert sorted(folder - derived) == [], "tests in tests/core/ that are not core tests: move them out"
    assert len(folder) >= 13


def test_every_test_file_is_in_a_folder_tests_readme_names():
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    folders = {os.path.dirname(rel) for rel in core_tests.test_files()}
    for folder in folders:
        shown = "`tests/%s/`" % folder if folder else "`tests/` (top level)"
        assert shown in readme, "tests/README.md does not say what tests/%s/ is for" % folder
