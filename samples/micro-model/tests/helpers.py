"""Paths and checks the tests of the tooling share."""
import filecmp
import os
import subprocess
import sys

MICRO_MODEL = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST_RESOURCES = os.path.abspath(os.path.join(MICRO_MODEL, "..", "..", "runtime", "src", "test", "resources"))


def run_script(script: str, *args) -> None:
    """Runs SCRIPT (relative to samples/micro-model) with this interpreter; fails the test with its output if it fails."""
    result = subprocess.run([sys.executable, os.path.join(MICRO_MODEL, script), *map(str, args)],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"{script} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"


def relative_files(root: str, exclude=()) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _, files in os.walk(root) for f in files if f not in exclude)


def assert_same_bytes(committed: str, regenerated: str, exclude=()) -> None:
    """The same files (by relative path, names in EXCLUDE left out) under both directories, byte for byte."""
    files = relative_files(committed, exclude)
    assert relative_files(regenerated, exclude) == files
    differing = [f for f in files if not filecmp.cmp(os.path.join(committed, f), os.path.join(regenerated, f),
                                                     shallow=False)]
    assert not differing, f"regenerated files differ from the committed ones in {committed}: {differing}"
