#!/usr/bin/env python3
"""Make the course's notebooks from the Learn pages: ``notebooks/PAGE.ipynb``, one per page
with runnable examples (what they hold: docs/hooks/notebooks.py).

    python tools/make_notebooks.py            write them (and remove one whose page is gone)
    python tools/make_notebooks.py --check    write nothing; exit 1 and name each notebook that
                                         differs from what its page makes

Needs the docs extra (MkDocs: the site's hooks expand the pages), as building the site does.
``tests/test_notebooks.py`` runs the check.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def differences(root=ROOT):
    """(made, stale): {name: text} of the notebooks the pages make, and the names in
    notebooks/ that differ from them, are missing, or have no page."""
    sys.path.insert(0, os.path.join(root, "docs", "hooks"))
    sys.path.insert(0, root)
    import notebooks

    made = notebooks.build(root)
    folder = os.path.join(root, notebooks.FOLDER)
    have = sorted(n for n in os.listdir(folder) if n.endswith(".ipynb")) if os.path.isdir(folder) else []
    stale = []
    for name, text in sorted(made.items()):
        path = os.path.join(root, name)
        old = open(path, encoding="utf-8").read() if os.path.isfile(path) else None
        if old != text:
            stale.append(name)
    stale += [notebooks.FOLDER + "/" + n for n in have if notebooks.FOLDER + "/" + n not in made]
    return made, stale


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv not in ([], ["--check"]):
        print(__doc__.strip())
        return 2
    made, stale = differences()
    if argv == ["--check"]:
        for name in stale:
            print("%s differs from what its page makes" % name)
        print("%d notebooks, %d to remake (python tools/make_notebooks.py)" % (len(made), len(stale)) if stale
              else "%d notebooks, each what its page makes" % len(made))
        return 1 if stale else 0
    os.makedirs(os.path.join(ROOT, "notebooks"), exist_ok=True)
    for name in stale:
        path = os.path.join(ROOT, name)
        if name in made:
            with open(path, "w", encoding="utf-8") as f:
                f.write(made[name])
            print("wrote " + name)
        else:
            os.remove(path)
            print("removed " + name + " (no Learn page with examples makes it)")
    print("%d notebooks, %d written or removed" % (len(made), len(stale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
