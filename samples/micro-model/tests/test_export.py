"""export.py on freshly made tiny random checkpoints verifies against transformers within 1e-4."""
import check_export
import pytest


@pytest.mark.parametrize("checkpoint", ["llama-gqa", "qwen2"])
def test_export_matches_transformers(checkpoint, tmp_path):
    # export.py --int8 must exit 0 (it refuses a graph whose logits differ from transformers by 1e-4 or more);
    # then ONNX Runtime's greedy ids must equal PyTorch generate()'s, logits within 1e-4 at every step
    problems = check_export.check_checkpoint(str(tmp_path), checkpoint)
    assert not problems, "\n".join(problems)
