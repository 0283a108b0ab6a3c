#!/usr/bin/env python3
"""End-to-end check of export.py on every supported checkpoint kind (not part of `mvnw verify`).

Run with the sample's venv (torch, transformers, onnx, onnxruntime, tokenizers; no network):

    samples/micro-model/.venv/bin/python samples/micro-model/reference/check_export.py [--keep DIR]

In a temporary directory (or --keep DIR) it builds tiny random checkpoints, each with the byte-level
BPE tokenizer and ChatML template of make_test_models.py:

* ``llama-gqa``  LlamaForCausalLM, 2 layers, hidden 64, 4 heads / 2 KV heads, theta 1e6, tied
                 (save_pretrained: safetensors);
* ``qwen2``      Qwen2ForCausalLM, 2 layers, hidden 48, 3/3 heads, q/k/v biases, untied;
* ``swen``       the paper's Swen-28M layout, shrunk: model_type "swen", a MiniMind-style config.json
                 (no intermediate_size, so export.py derives 64 * ceil(8/3 * hidden / 64); no
                 tie_word_embeddings, so tied by default; rope_theta 1e6, flash_attn, use_moe false)
                 and a raw ``*.pth`` state dict with HF-style names, lm_head.weight saved beside the
                 tied embedding and the non-learned RoPE buffers model.freqs_cos / model.freqs_sin;
* ``minimind``   the same maths as model_type "minimind", saved as a DDP training checkpoint:
                 ``pytorch_model.bin`` holding {"model": state dict with "module." prefixes}, an
                 explicit intermediate_size and rope_theta under rope_parameters only.

The swen/minimind weights come from a LlamaForCausalLM built with the same shape; that model, not
the one export.py rebuilds from the files, is the PyTorch reference, so a misread config (theta,
intermediate size, tying) cannot verify against itself.

For each checkpoint it runs ``export.py --int8`` as a subprocess and asserts: exit code 0 (export.py
verified ONNX Runtime against transformers within 1e-4), the output layout (model.onnx,
model.int8.onnx, config.json, tokenizer.json, tokenizer_config.json, generation_config.json), the
ONNX metadata (with export.py's defaults handoff.logits=last and handoff.graph=fused, and
GroupQueryAttention nodes in the fused graph only) and normalized config.json keys, and
that ONNX Runtime's greedy ids equal ``generate(do_sample=False)`` of the reference model with
logits within 1e-4 at every step. It
also exports ``qwen2`` with ``--graph plain`` and checks it the same way, checks that a llama with
head_dim 12 is refused for the fused graph (exit code 2, naming --graph plain) and exports and checks
with --graph plain, and that an unsupported swen checkpoint (use_moe true) is refused with exit code
2 and a message naming the setting. Exit code 0 when everything passed, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MICRO_MODEL = os.path.dirname(HERE)
EXPORT_PY = os.path.join(MICRO_MODEL, "export.py")
sys.path.insert(0, MICRO_MODEL)

import make_test_models  # noqa: E402  (tokenizer + chat template shared with the test models)

EOS_ID = 2
PAD_ID = 0
MAX_NEW_TOKENS = 20
TOLERANCE = 1e-4
PROMPTS = ["The weather today is", "Once upon a time, there was a little fox who",
           "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"]
EXPECTED_FILES = ("model.onnx", "model.int8.onnx", "config.json", "tokenizer.json",
                  "tokenizer_config.json", "generation_config.json")

SWEN_SHAPE = dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                  rope_theta=1e6, rms_norm_eps=1e-5, max_position_embeddings=256)
# MiniMind's default FFN width for hidden 64: 64 * ceil(int(64 * 8 / 3) / 64)
SWEN_INTERMEDIATE = 192

CHECKPOINTS = {
    "llama-gqa": dict(kind="hf", arch="llama", vocab=640, seed=11, config=dict(
        SWEN_SHAPE, head_dim=16, intermediate_size=160, tie_word_embeddings=True)),
    "qwen2": dict(kind="hf", arch="qwen2", vocab=600, seed=12, config=dict(
        hidden_size=48, num_hidden_layers=2, num_attention_heads=3, num_key_value_heads=3,
        intermediate_size=128, rope_theta=1e4, rms_norm_eps=1e-6, tie_word_embeddings=False,
        max_position_embeddings=256, use_sliding_window=False)),
    "swen": dict(kind="custom", model_type="swen", vocab=640, seed=13, layout="pth"),
    "minimind": dict(kind="custom", model_type="minimind", vocab=600, seed=14, layout="ddp-bin"),
}


def randomize(model, seed: int, bias: bool):
    """Varied greedy continuations need larger weights than the usual init (as the test models have)."""
    make_test_models.randomize_weights(model, seed, embed_std=0.1, weight_std=0.3, bias_std=0.1 if bias else 0.0)
    if model.config.tie_word_embeddings:
        model.tie_weights()
    return model.eval()


def write_tokenizer(ckpt: str, vocab: int) -> int:
    tok = make_test_models.train_tokenizer(vocab)
    tok.save(os.path.join(ckpt, "tokenizer.json"))
    with open(os.path.join(ckpt, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(make_test_models.tokenizer_config(256), f, indent=2)
    with open(os.path.join(ckpt, "generation_config.json"), "w", encoding="utf-8") as f:
        json.dump({"bos_token_id": 1, "eos_token_id": EOS_ID, "pad_token_id": PAD_ID, "do_sample": False}, f)
    return tok.get_vocab_size()


def build_hf(ckpt: str, spec: dict):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM
    vocab = write_tokenizer(ckpt, spec["vocab"])
    config_cls, model_cls = (LlamaConfig, LlamaForCausalLM) if spec["arch"] == "llama" else (Qwen2Config, Qwen2ForCausalLM)
    cfg = config_cls(vocab_size=vocab, bos_token_id=1, eos_token_id=EOS_ID, pad_token_id=PAD_ID,
                     hidden_act="silu", **spec["config"])
    torch.manual_seed(spec["seed"])
    model = randomize(model_cls(cfg).to(torch.float32), spec["seed"], bias=spec["arch"] == "qwen2")
    model.save_pretrained(ckpt)
    return model


def build_custom(ckpt: str, spec: dict, extra_config: dict | None = None):
    """A Swen/MiniMind checkpoint: its own config.json and a raw state dict, as their training code saves."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    vocab = write_tokenizer(ckpt, spec["vocab"])
    torch.manual_seed(spec["seed"])
    reference = randomize(LlamaForCausalLM(LlamaConfig(
        vocab_size=vocab, intermediate_size=SWEN_INTERMEDIATE, tie_word_embeddings=True,
        bos_token_id=1, eos_token_id=EOS_ID, pad_token_id=PAD_ID, hidden_act="silu",
        **SWEN_SHAPE)).to(torch.float32), spec["seed"], bias=False)
    config = {"model_type": spec["model_type"], "architectures": ["MiniMindForCausalLM"],
              "vocab_size": vocab, "hidden_act": "silu", "bos_token_id": 1, "eos_token_id": EOS_ID,
              "dropout": 0.0, "flash_attn": True, "use_moe": False, "inference_rope_scaling": False,
              **SWEN_SHAPE}
    state = {k: v.clone() for k, v in reference.state_dict().items()}
    state["lm_head.weight"] = state["model.embed_tokens.weight"]
    head_dim = SWEN_SHAPE["hidden_size"] // SWEN_SHAPE["num_attention_heads"]
    freqs = torch.outer(torch.arange(SWEN_SHAPE["max_position_embeddings"], dtype=torch.float32),
                        torch.ones(head_dim))
    if spec["layout"] == "pth":
        state["model.freqs_cos"], state["model.freqs_sin"] = freqs.cos(), freqs.sin()
        torch.save(state, os.path.join(ckpt, f"{spec['model_type']}_28m.pth"))
    else:
        config["intermediate_size"] = SWEN_INTERMEDIATE
        config["rope_parameters"] = {"rope_type": "default", "rope_theta": config.pop("rope_theta")}
        torch.save({"model": {"module." + k: v for k, v in state.items()}, "step": 1000},
                   os.path.join(ckpt, "pytorch_model.bin"))
    config.update(extra_config or {})
    with open(os.path.join(ckpt, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    return reference


def run_export(ckpt: str, out: str, graph: str | None = None) -> subprocess.CompletedProcess:
    """export.py --int8 on CKPT, with its default graph or --graph GRAPH."""
    return subprocess.run([sys.executable, EXPORT_PY, "--checkpoint", ckpt, "--out", out, "--int8"]
                          + (["--graph", graph] if graph else []), capture_output=True, text=True)


def check_exported(name: str, out: str, reference, spec: dict, graph: str | None = None) -> list[str]:
    """Problems found in OUT (empty if none): layout, metadata, config keys, greedy ids and logits."""
    import numpy as np
    import onnx
    import torch
    from tokenizers import Tokenizer

    import export

    problems = [f"{name}: {f} missing from {out}" for f in EXPECTED_FILES if not os.path.isfile(os.path.join(out, f))]
    if problems:
        return problems
    with open(os.path.join(out, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    rc = reference.config
    wanted = {"head_dim": getattr(rc, "head_dim", None) or rc.hidden_size // rc.num_attention_heads, "num_key_value_heads": rc.num_key_value_heads,
              "intermediate_size": rc.intermediate_size, "rope_theta": 1e6 if spec["kind"] == "custom" else None,
              "tie_word_embeddings": rc.tie_word_embeddings, "eos_token_id": EOS_ID}
    for key, value in wanted.items():
        if value is not None and cfg.get(key) != value:
            problems.append(f"{name}: config.json {key} = {cfg.get(key)!r}, expected {value!r}")
    for file in ("model.onnx", "model.int8.onnx"):
        meta = {p.key: p.value for p in onnx.load(os.path.join(out, file), load_external_data=False).metadata_props}
        model_type = spec.get("model_type", spec.get("arch"))
        if meta.get("handoff.layout") != export.LAYOUT or meta.get("handoff.model_type") != model_type:
            problems.append(f"{name}: {file} metadata {meta} lacks layout {export.LAYOUT} / model_type {model_type}")
        if meta.get("handoff.logits") != export.LOGITS_LAST:
            problems.append(f"{name}: {file} metadata {meta} lacks handoff.logits={export.LOGITS_LAST}, "
                            f"export.py's default")
        fused = (graph or export.GRAPH_FUSED) == export.GRAPH_FUSED
        if (meta.get("handoff.graph") == export.GRAPH_FUSED) != fused:
            problems.append(f"{name}: {file} metadata {meta} does not say the graph is {graph or 'fused'}")
        attention = {n.op_type for n in onnx.load(os.path.join(out, file), load_external_data=False).graph.node
                     if n.op_type == "GroupQueryAttention"}
        if bool(attention) != fused:
            problems.append(f"{name}: {file} {'lacks' if fused else 'has'} GroupQueryAttention nodes")

    spec_onnx = export.spec_from_config(cfg)
    fp32 = export.OrtDecoder(os.path.join(out, "model.onnx"), spec_onnx)
    int8 = export.OrtDecoder(os.path.join(out, "model.int8.onnx"), spec_onnx)
    tok = Tokenizer.from_file(os.path.join(out, "tokenizer.json"))
    for text in PROMPTS:
        prompt = tok.encode(text, add_special_tokens=False).ids
        ids = torch.tensor([prompt])
        with torch.no_grad():
            gen = reference.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False,
                                     max_new_tokens=MAX_NEW_TOKENS, eos_token_id=EOS_ID, pad_token_id=PAD_ID,
                                     output_logits=True, return_dict_in_generate=True)
        torch_ids = gen.sequences[0, len(prompt):].tolist()
        torch_logits = np.stack([row[0].float().numpy() for row in gen.logits])
        ort_ids, ort_logits = [], []
        past, seq, fed = fp32.empty_past(1), list(prompt), list(prompt)
        for _ in range(MAX_NEW_TOKENS):
            logits, past = fp32.step([fed], [[1] * len(seq)], [list(range(len(seq) - len(fed), len(seq)))], past)
            ort_logits.append(logits[0, -1])
            ort_ids.append(int(np.argmax(logits[0, -1])))
            if ort_ids[-1] == EOS_ID:
                break
            seq.append(ort_ids[-1])
            fed = [ort_ids[-1]]
        if ort_ids != torch_ids:
            problems.append(f"{name} {text[:20]!r}: ONNX Runtime greedy ids {ort_ids} != PyTorch {torch_ids}")
            continue
        diff = float(np.max(np.abs(np.stack(ort_logits) - torch_logits)))
        if diff >= TOLERANCE:
            problems.append(f"{name} {text[:20]!r}: logits differ from PyTorch by {diff:.2e} (>= {TOLERANCE})")
        if len(set(torch_ids)) < 4:
            problems.append(f"{name} {text[:20]!r}: degenerate continuation {torch_ids}; the check proves little")
        int8_ids = int8.greedy(prompt, MAX_NEW_TOKENS, EOS_ID)
        print(f"  {name} {text[:20]!r}: {len(torch_ids)} greedy ids equal, max |logits diff| {diff:.1e}, "
              f"int8 agrees on the first {next((i for i, (a, b) in enumerate(zip(int8_ids, torch_ids)) if a != b), len(torch_ids))}")
    return problems


def check_checkpoint(root: str, name: str, graph: str | None = None) -> list[str]:
    """Builds checkpoint NAME of CHECKPOINTS under ROOT/NAME, exports it (with its default graph or --graph GRAPH)
    and checks the export; the problems found."""
    spec = CHECKPOINTS[name]
    where = name + (f"-{graph}" if graph else "")
    ckpt, out = os.path.join(root, where, "checkpoint"), os.path.join(root, where, "onnx")
    os.makedirs(ckpt, exist_ok=True)
    reference = build_hf(ckpt, spec) if spec["kind"] == "hf" else build_custom(ckpt, spec)
    result = run_export(ckpt, out, graph)
    print(f"== {where}: export.py exit {result.returncode}")
    if result.returncode != 0:
        return [f"{where}: export.py exited {result.returncode}:\n{result.stdout}{result.stderr}"]
    return check_exported(where, out, reference, spec, graph)


def check_refused_head_dim(root: str) -> list[str]:
    """A head_dim that is no multiple of 8 is refused for the fused graph, naming --graph plain, which exports it."""
    spec = dict(CHECKPOINTS["llama-gqa"], config=dict(CHECKPOINTS["llama-gqa"]["config"], hidden_size=48, head_dim=12))
    ckpt = os.path.join(root, "llama-head-12", "checkpoint")
    os.makedirs(ckpt, exist_ok=True)
    reference = build_hf(ckpt, spec)
    result = run_export(ckpt, os.path.join(root, "llama-head-12", "fused"))
    print(f"== llama-head-12 (fused must be refused): export.py exit {result.returncode}: {result.stderr.strip()}")
    if result.returncode != 2 or "--graph plain" not in result.stderr or "head_dim 12" not in result.stderr:
        return [f"llama-head-12: expected exit 2 and an error naming head_dim 12 and --graph plain, got "
                f"{result.returncode}: {result.stderr.strip()}"]
    out = os.path.join(root, "llama-head-12", "plain")
    result = run_export(ckpt, out, "plain")
    if result.returncode != 0:
        return [f"llama-head-12 --graph plain: export.py exited {result.returncode}:\n{result.stderr}"]
    return check_exported("llama-head-12-plain", out, reference, spec, "plain")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Check export.py end to end on tiny random checkpoints.")
    ap.add_argument("--keep", help="work in this directory (kept) instead of a temporary one")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="check-export-") as tmp:
        root = args.keep or tmp
        problems = []
        for name in CHECKPOINTS:
            problems += check_checkpoint(root, name)
        problems += check_checkpoint(root, "qwen2", "plain")
        problems += check_refused_head_dim(root)

        ckpt = os.path.join(root, "swen-moe", "checkpoint")
        os.makedirs(ckpt, exist_ok=True)
        build_custom(ckpt, CHECKPOINTS["swen"], extra_config={"use_moe": True})
        result = run_export(ckpt, os.path.join(root, "swen-moe", "onnx"))
        print(f"== swen-moe (must be refused): export.py exit {result.returncode}: {result.stderr.strip()}")
        if result.returncode != 2 or "use_moe" not in result.stderr:
            problems.append(f"swen-moe: expected exit 2 and an error naming use_moe, got {result.returncode}: "
                            f"{result.stderr.strip()}")

    for p in problems:
        print(f"FAILED {p}", file=sys.stderr)
    print("check_export: " + ("OK" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
