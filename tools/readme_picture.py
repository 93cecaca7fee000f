"""Draw the picture at the top of README.md: the 4-3-2-1 network (seed 0), its edges
coloured by the gradient of one example's loss (blue positive, red negative, wider larger).

    .venv/bin/python tools/readme_picture.py      # writes docs/assets/images/readme-network.svg

tests/test_readme.py fails when the committed picture is not what this draws now, so a
change to the drawing (tinybackprop.show.svg.network) shows up there: run this again.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = os.path.join(ROOT, "docs", "assets", "images", "readme-network.svg")
TITLE = "A 4-3-2-1 network and the gradient of its loss for one example, edge by edge"


def picture():
    """The SVG text of the README's picture."""
    sys.path.insert(0, ROOT)
    import tinybackprop as tb
    from tinybackprop.show import svg

    net = tb.Network([4, 3, 2, 1], seed=0)
    g = tb.vectorized.backward(net, [[0.1, 0.2, 0.3, 0.4]], [[1.0]])
    return svg.network(net, grads=g, labels=None, title=TITLE)


def main():
    with open(PATH, "w", encoding="utf-8", newline="\n") as f:
        f.write(picture())
    print("wrote", os.path.relpath(PATH, ROOT))


if __name__ == "__main__":
    main()
