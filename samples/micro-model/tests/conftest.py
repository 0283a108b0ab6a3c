"""Makes the tooling importable by the tests: the scripts live in .., ../reference and ../eval, not in a package."""
import os
import sys

from helpers import MICRO_MODEL

sys.path[:0] = [MICRO_MODEL, os.path.join(MICRO_MODEL, "reference"), os.path.join(MICRO_MODEL, "eval")]
