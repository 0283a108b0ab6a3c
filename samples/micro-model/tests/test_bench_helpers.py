"""The opener benchmark's pure helpers: the GGUF Q/K permutation, Jlama's tokenizer form, FLOPs and bytes counted.

None of these needs llama.cpp, Jlama or the gguf package: the permutation is checked against the two rotary
embeddings it translates between, written out here from their definitions.
"""
import json

import numpy as np
import pytest
from bench_peers import jlama_tokenizer, permute_qk
from bench_roofline import decode_weight_bytes, head_tokens, matrix_params, prefill_flops

# the Swen-28M shape of make_bench_model.py
SWEN = {"hidden_size": 512, "num_hidden_layers": 8, "num_attention_heads": 8, "num_key_value_heads": 2,
        "head_dim": 64, "intermediate_size": 1408, "vocab_size": 12288}


def inv_freq(head_dim, theta=1e6):
    return theta ** (-np.arange(0, head_dim, 2) / head_dim)


def rope_halves(x, pos, theta=1e6):
    """transformers' Llama: dims i and i + head_dim/2 of each head rotate together (rotate_half)."""
    half = x.shape[-1] // 2
    angle = pos * inv_freq(x.shape[-1], theta)
    cos, sin = np.cos(angle), np.sin(angle)
    a, b = x[..., :half], x[..., half:]
    return np.concatenate([a * cos - b * sin, a * sin + b * cos], axis=-1)


def rope_adjacent(x, pos, theta=1e6):
    """GGML's rotary embedding (mode 0, llama.cpp's Llama): dims 2i and 2i+1 rotate together."""
    angle = pos * inv_freq(x.shape[-1], theta)
    cos, sin = np.cos(angle), np.sin(angle)
    a, b = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = a * sin + b * cos
    return out


@pytest.mark.parametrize("heads,kv_heads", [(8, 8), (8, 2)])
def test_permuted_projections_give_the_same_attention_scores_under_ggml_rope(heads, kv_heads):
    rng = np.random.default_rng(0)
    hidden, head_dim = 32, 8
    wq = rng.standard_normal((heads * head_dim, hidden))
    wk = rng.standard_normal((kv_heads * head_dim, hidden))
    x_q, x_k = rng.standard_normal(hidden), rng.standard_normal(hidden)
    pq, pk = permute_qk(wq, heads, heads), permute_qk(wk, heads, kv_heads)
    for pos_q, pos_k in ((5, 2), (17, 17), (40, 0)):
        q_hf = rope_halves((wq @ x_q).reshape(heads, head_dim), pos_q)
        k_hf = rope_halves((wk @ x_k).reshape(kv_heads, head_dim), pos_k)
        q_gg = rope_adjacent((pq @ x_q).reshape(heads, head_dim), pos_q)
        k_gg = rope_adjacent((pk @ x_k).reshape(kv_heads, head_dim), pos_k)
        group = heads // kv_heads
        for h in range(heads):  # every query head against its KV group's key head: the scores attention uses
            assert np.isclose(q_hf[h] @ k_hf[h // group], q_gg[h] @ k_gg[h // group])
        # and the rotated vectors are the same ones, only their dims reordered within each head
        assert np.allclose(np.sort(q_hf, axis=-1), np.sort(q_gg, axis=-1))


def test_permutation_only_reorders_rows_within_each_head():
    w = np.arange(2 * 8 * 3).reshape(16, 3)  # 2 heads of head_dim 8
    p = permute_qk(w, 2)
    # head 0: rows 0..7 in the order 0, 4, 1, 5, 2, 6, 3, 7 (pairs of the two halves become adjacent)
    assert p[:8, 0].tolist() == [w[i, 0] for i in (0, 4, 1, 5, 2, 6, 3, 7)]
    assert sorted(p[8:, 0].tolist()) == w[8:, 0].tolist()


def test_jlama_tokenizer_spells_out_the_byte_level_split():
    from tokenizers import Tokenizer, models, pre_tokenizers

    # byte-level characters, plus one merge ("d" + ",") that only a missing split would apply inside "world,"
    vocab = {c: i for i, c in enumerate(sorted(pre_tokenizers.ByteLevel.alphabet()))}
    vocab["d,"] = len(vocab)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[("d", ",")]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    original = json.loads(tok.to_str())
    rewritten = jlama_tokenizer(original)
    assert [p["type"] for p in rewritten["pre_tokenizer"]["pretokenizers"]] == ["Split", "ByteLevel"]
    text = "Hello  world,\n\n  it's 2024!\t(ok) é über d,"
    ids = tok.encode(text).ids
    assert Tokenizer.from_str(json.dumps(rewritten)).encode(text).ids == ids
    # without the split (what Jlama would do with the bare form) the merge crosses the word boundary
    unsplit = dict(original, pre_tokenizer={**original["pre_tokenizer"], "use_regex": False})
    assert Tokenizer.from_str(json.dumps(unsplit)).encode(text).ids != ids
    assert jlama_tokenizer(rewritten) == rewritten  # already in that form: unchanged


def test_prefill_flops_of_the_swen_shape():
    # per layer: Q 512x512, K and V 512x128, O 512x512, gate/up/down 512x1408
    assert matrix_params(SWEN) == 8 * (512 * 512 * 2 + 2 * 512 * 128 + 3 * 512 * 1408)
    assert matrix_params(SWEN) == 28_844_544 - 12288 * 512 - 17 * 512  # all parameters less embedding and norms
    one = prefill_flops(SWEN, 1, 0, 0)
    assert one == 2 * matrix_params(SWEN) + 8 * 8 * 1 * 4 * 64
    # 40 tokens from scratch, one row of logits: 1.83 GFLOP (the "~1.8 GFLOP")
    assert prefill_flops(SWEN, 40) == 2 * 40 * matrix_params(SWEN) + 8 * 8 * 820 * 4 * 64 + 2 * 512 * 12288
    assert round(prefill_flops(SWEN, 40) / 1e9, 2) == 1.83
    # every position's logits add 39 rows of the vocabulary projection
    assert prefill_flops(SWEN, 40, 0, 40) - prefill_flops(SWEN, 40) == 39 * 2 * 512 * 12288
    # a cached head: its tokens are not recomputed, but the new ones attend to them
    assert prefill_flops(SWEN, 24, 16) == (2 * 24 * matrix_params(SWEN) + 8 * 8 * sum(range(17, 41)) * 4 * 64
                                           + 2 * 512 * 12288)


def test_decode_weight_bytes_counts_the_matrices_only():
    from onnx import TensorProto, helper, numpy_helper

    w = numpy_helper.from_array(np.zeros((4, 6), np.float32), "w")
    q = numpy_helper.from_array(np.zeros((6, 2), np.uint8), "q")
    table = numpy_helper.from_array(np.zeros((100, 4), np.float32), "table")
    nodes = [helper.make_node("Gather", ["table", "ids"], ["x"]),
             helper.make_node("MatMul", ["x", "w"], ["y"]),
             helper.make_node("MatMulInteger", ["yq", "q"], ["z"])]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("ids", TensorProto.INT64, [1])],
                              [helper.make_tensor_value_info("z", TensorProto.INT32, [1, 2])], [w, q, table])
    assert decode_weight_bytes(helper.make_model(graph)) == 4 * 6 * 4 + 6 * 2


def test_head_tokens():
    assert head_tokens([1, 5, 7, 9, 2], [1, 5, 7, 3]) == 3
    assert head_tokens([1, 2], [3, 4]) == 0
    assert head_tokens([1, 2], [1, 3]) == 0  # a one-token head is not worth a cache
