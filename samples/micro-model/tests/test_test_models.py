"""make_test_models.py and reference_outputs.py reproduce the committed test models and their reference.json."""
import json
import os

import export
import make_test_models
import numpy as np
import onnx
import pytest
import reference_outputs

from helpers import TEST_RESOURCES, assert_same_bytes, run_script

COMMITTED_MODELS = os.path.join(TEST_RESOURCES, "models")

# reference.json rounds logits to 5 decimals. PyTorch's CPU kernels may sum in another order on another CPU
# (a few 1e-6), which can move a rounded value by one unit of the last decimal; 2e-5 allows that and is still
# 5x tighter than the 1e-4 the Java decoder is held to.
LOGITS_ATOL = 2e-5


@pytest.fixture(scope="module")
def regenerated_models(tmp_path_factory):
    root = tmp_path_factory.mktemp("test-models")
    run_script("make_test_models.py", "--models-root", root / "models", "--checkpoint-root", root / "checkpoints")
    return root / "models"


@pytest.mark.parametrize("model", reference_outputs.MODEL_NAMES + tuple(make_test_models.TWINS))
def test_model_files_are_reproduced_byte_for_byte(model, regenerated_models):
    # seeded weights, a deterministic tokenizer trainer and ONNX serialization: model.onnx, model.int8.onnx,
    # the config and tokenizer files come out byte-identical run to run
    assert_same_bytes(os.path.join(COMMITTED_MODELS, model), str(regenerated_models / model),
                      exclude=("reference.json",))


@pytest.mark.parametrize("model", reference_outputs.MODEL_NAMES)
def test_reference_outputs_are_reproduced(model, regenerated_models):
    committed = read_json(os.path.join(COMMITTED_MODELS, model, "reference.json"))
    regenerated = read_json(regenerated_models / model / "reference.json")
    # how far ONNX Runtime is from PyTorch depends on both libraries' CPU kernels: only its bound is a fixture
    for reference in (committed, regenerated):
        assert reference.pop("onnx_max_abs_diff") < reference_outputs.TOLERANCE
    committed_cases, regenerated_cases = committed.pop("cases"), regenerated.pop("cases")
    assert regenerated == committed  # schema, model, versions, vocab_size, eos_token_id, ...: exactly
    assert [case["name"] for case in regenerated_cases] == [case["name"] for case in committed_cases]
    for committed_case, regenerated_case in zip(committed_cases, regenerated_cases):
        where = f"{model}/{committed_case['name']}"
        committed_logits = np.array(committed_case.pop("logits"))
        regenerated_logits = np.array(regenerated_case.pop("logits"))
        assert regenerated_logits.shape == committed_logits.shape, where
        worst = float(np.max(np.abs(regenerated_logits - committed_logits)))
        assert worst <= LOGITS_ATOL, f"{where}: logits differ by up to {worst:.1e}"
        # the smallest top-1 gap is a difference of two logits, so twice their tolerance
        margin_drift = abs(regenerated_case.pop("min_top1_margin") - committed_case.pop("min_top1_margin"))
        assert margin_drift <= 2 * LOGITS_ATOL, where
        # prompt text and ids, continuation ids and text, stopped_on_eos: exactly
        assert regenerated_case == committed_case, where

def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.mark.parametrize("twin", make_test_models.TWINS)
def test_twin_returns_the_last_row_of_its_model(twin):
    # the same weights, exported with another logits layout or graph: a prefill and single-token steps on the
    # committed files give the last row of the other model's logits
    layout = make_test_models.TWINS[twin]["logits"]
    # the plain graphs differ in their logits output only (float summation noise); the fused operators sum in other
    # orders (up to 1.1e-5 apart on tiny-mha), and a wrong rotary embedding, mask or cache moves logits by 1e-2 and more
    tolerance = 1e-5 if make_test_models.TWINS[twin]["graph"] == export.GRAPH_PLAIN else 5e-5
    source = os.path.join(COMMITTED_MODELS, make_test_models.TWINS[twin]["checkpoint"])
    spec = export.spec_from_config(read_json(os.path.join(source, "config.json")))
    model = export.OrtDecoder(os.path.join(source, "model.onnx"), spec)
    twinned = export.OrtDecoder(os.path.join(COMMITTED_MODELS, twin, "model.onnx"), spec)
    assert (model.logits_layout, twinned.logits_layout) == (export.LOGITS_ALL, layout)
    graph = make_test_models.TWINS[twin]["graph"]
    assert twinned.sess.get_modelmeta().custom_metadata_map.get("handoff.graph", export.GRAPH_PLAIN) == graph
    operators = {n.op_type for n in onnx.load(os.path.join(COMMITTED_MODELS, twin, "model.onnx")).graph.node}
    assert ("GroupQueryAttention" in operators) == (graph == export.GRAPH_FUSED), operators
    prompt = longest_reference_prompt(source)
    model_past, twin_past = model.empty_past(1), twinned.empty_past(1)
    seq, fed = list(prompt), list(prompt)
    for step in range(8):
        where = f"{twin} step {step}"
        feed = ([fed], [[1] * len(seq)], [list(range(len(seq) - len(fed), len(seq)))])
        logits, model_past = model.step(*feed, model_past)
        twin_logits, twin_past = twinned.step(*feed, twin_past)
        assert logits.shape == (1, len(fed), spec.vocab_size), where
        assert twin_logits.shape == (1, 1, spec.vocab_size), where
        worst = float(np.max(np.abs(twin_logits[0, -1] - logits[0, -1])))
        assert worst <= tolerance, f"{where}: logits differ by up to {worst:.1e}"
        fed = [int(np.argmax(logits[0, -1]))]
        seq += fed


def longest_reference_prompt(model_dir):
    """The longest prompt of the model's reference.json."""
    return max((case["prompt_ids"] for case in read_json(os.path.join(model_dir, "reference.json"))["cases"]), key=len)
