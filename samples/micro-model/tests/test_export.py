"""export.py on freshly made tiny random checkpoints verifies against transformers within 1e-4."""
import check_export
import pytest


@pytest.mark.parametrize("checkpoint, graph", [("llama-gqa", None), ("qwen2", None), ("qwen2", "plain")])
def test_export_matches_transformers(checkpoint, graph, tmp_path):
    # export.py --int8 (with its default fused graph, or --graph plain) must exit 0 (it refuses a graph whose logits
    # differ from transformers by 1e-4 or more); then ONNX Runtime's greedy ids must equal PyTorch generate()'s,
    # logits within 1e-4 at every step, and the metadata and operators say which graph it is
    problems = check_export.check_checkpoint(str(tmp_path), checkpoint, graph)
    assert not problems, "\n".join(problems)


def test_a_head_size_the_fused_attention_lacks_is_refused_naming_the_plain_graph(tmp_path):
    problems = check_export.check_refused_head_dim(str(tmp_path))
    assert not problems, "\n".join(problems)
