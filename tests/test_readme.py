"""README.md says only what is true: its commands work pasted into a fresh shell (no
bare `tinybackprop` that needs an activated venv), its Python example prints what
its comments say, and its table's accuracies and losses are what the commands print
(what the core imports: tests/test_house_rules.py)."""
import ast
import contextlib
import io
import json
import os
import re
import sys

import pytest

import tinybackprop

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
PKG = os.path.dirname(tinybackprop.__file__)


def readme():
    if not os.path.exists(README):
        pytest.skip("README.md is not beside the tests (an installed copy)")
    with open(README, encoding="utf-8") as f:
        return f.read()


def blocks(kind):
    return re.findall(r"```(?:%s)\n(.*?)```" % kind, readme(), re.S)


def test_every_command_runs_from_the_venv_without_activating_it():
    starts = (".venv/bin/", "python3 -m venv .venv", "npm ci", "source .venv/bin/activate")
    bad = []
    for block in blocks("bash|sh"):
        for line in block.splitlines():
            code = line.split("#", 1)[0].strip()
            for command in filter(None, (c.strip() for c in code.split("&&"))):
                if not command.startswith(starts):
                    bad.append(command)
    assert bad == []
    # prose too: `tinybackprop ...` and `python ...` in backquotes are commands a reader pastes
    prose = re.sub(r"```.*?```", "", readme(), flags=re.S)
    loose = [c for c in re.findall(r"`((?:tinybackprop|python3?) [^`]*)`", prose)]
    assert loose == [], loose


def test_the_readme_says_what_the_package_is_then_gives_exactly_two_commands():
    """issue 36: a paragraph and a picture first, then the two commands (install and train;
    install the test tools and run the whole suite), nothing else in that block."""
    text = readme()
    head, rest = text.split("```bash\n", 1)
    paragraphs = [p for p in head.split("\n\n") if p.strip() and not p.startswith("# ")]
    assert len(paragraphs) == 2, paragraphs
    assert "backpropagation" in paragraphs[0] and len(paragraphs[0]) > 300
    picture = re.fullmatch(r"!\[[^\]]{20,}\]\(([^)]+\.svg)\)", paragraphs[1].strip())
    assert picture, paragraphs[1]
    assert os.path.isfile(os.path.join(ROOT, picture.group(1)))
    commands = rest.split("```", 1)[0].strip().splitlines()
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/tinybackprop train",
        'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest',
    ]
    # and .ci/run runs the very same test command
    with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as f:
        assert ".venv/bin/python -m pytest" in f.read()


def test_the_readme_picture_is_what_the_drawing_code_draws_now():
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    try:
        import readme_picture
    finally:
        sys.path.remove(os.path.join(ROOT, "tools"))
    with open(readme_picture.PATH, encoding="utf-8") as f:
        committed = f.read()
    assert committed == readme_picture.picture(), "run .venv/bin/python tools/readme_picture.py"


def test_the_readme_leans_on_no_unnamed_text():
    for pattern in (r"(?i)\bthe document\b", r"(?i)\bthe derivation\b", r"(?i)\bthe author\b",
                    r"(?i)\bas in the text\b", r"(?i)\bthe text says\b"):
        assert not re.search(pattern, readme()), pattern


def test_the_python_example_prints_what_its_comments_say():
    code = blocks("python")[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    diffs = ast.literal_eval(lines[1])
    assert sorted(diffs) == ["W1", "W2", "W3", "b1", "b2", "b3", "x"]
    if sys.version_info < (3, 12) or not hasattr(__import__("math"), "sumprod"):
        assert set(diffs.values()) == {0.0}  # "0.0 here"
    else:
        assert max(diffs.values()) <= 2e-16  # "up to 2e-16 on Python 3.12+"
    assert lines[-1].startswith("worst: paths") and lines[-1].endswith(": OK")


@pytest.mark.parametrize("row,argv", [
    ("`.venv/bin/tinybackprop train`", []),
    ("the 3-class command above", ["--layers", "4,8,3", "--hidden", "tanh", "--output", "softmax",
                                   "--loss", "cross_entropy"]),
    # conftest's spiral_run: README's spiral command, run once for this test and test_cli_plane's
    pytest.param("the spiral command above", None, marks=pytest.mark.slow),
])
def test_the_tables_accuracy_and_loss_are_what_train_prints(row, argv, request):
    cli = pytest.importorskip("tinybackprop.cli")
    line = [l for l in readme().splitlines() if l.startswith("| " + row)]
    assert len(line) == 1, row
    m = re.search(r"\| ([0-9.]+) \(test loss ([0-9.]+)\) \|", line[0])
    if argv is None:
        from conftest import SPIRAL
        assert ".venv/bin/tinybackprop " + " ".join(SPIRAL) + " " in readme()  # the command above, run
        r = request.getfixturevalue("spiral_run")[1]
    else:
        out = io.StringIO()
        assert cli.main(["train", "--json"] + argv, out=out, err=io.StringIO()) == 0
        r = json.loads(out.getvalue())
    assert m.group(1) == "%.3f" % r["test_accuracy"]
    assert m.group(2) == "%.3f" % r["test_loss"]
