"""Makes the tooling importable by the tests: the scripts live in .. and ../reference, not in a package."""
import os
import sys

from helpers import MICRO_MODEL

sys.path[:0] = [MICRO_MODEL, os.path.join(MICRO_MODEL, "reference")]
