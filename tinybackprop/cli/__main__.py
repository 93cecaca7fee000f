"""``python -m tinybackprop.cli``: the same command line as the ``tinybackprop`` script."""
import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
