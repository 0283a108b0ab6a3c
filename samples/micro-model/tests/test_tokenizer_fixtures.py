"""tokenizer_fixtures.py reproduces the committed fixtures of the Java tokenizer and chat-template tests."""
import os

from helpers import TEST_RESOURCES, assert_same_bytes, run_script


def test_tokenizer_fixtures_are_reproduced(tmp_path):
    run_script("reference/tokenizer_fixtures.py", "--out", tmp_path)
    assert_same_bytes(os.path.join(TEST_RESOURCES, "tokenizer"), str(tmp_path))
