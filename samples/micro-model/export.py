#!/usr/bin/env python3
"""Export a Hugging Face decoder checkpoint to the quarkus-handoff ONNX layout.

Usage:
    python export.py --checkpoint HF_DIR --out OUT_DIR [--int8] [--opset 17]
                     [--logits last|all] [--graph fused|plain] [--atol 1e-4] [--no-verify]

Supported checkpoints (config.json "model_type"):
    llama    LlamaForCausalLM (optional attention/mlp biases, tied or untied embeddings)
    qwen2    Qwen2ForCausalLM (q/k/v biases; sliding window must be off)
    swen, minimind
             the paper's Swen-28M / MiniMind decoder (Llama maths, HF-style parameter
             names, weights in *.safetensors, pytorch_model.bin or *.pth); verified
             against a LlamaForCausalLM loaded with the same weights.

The exported graph is NOT produced by tracing transformers. With --graph plain a small
explicit PyTorch module (DecoderWithPast below) re-implements the decoder with explicit past
key/value tensors, loads the checkpoint's weights, and is exported with the TorchScript-based
exporter (torch.onnx.export(..., dynamo=False)).  With --graph fused (the default) the same
maths are written directly as ONNX nodes (build_fused_graph) with ONNX Runtime's fused
operators: GroupQueryAttention, RotaryEmbedding, SkipSimplifiedLayerNormalization (domain
com.microsoft); that graph takes batch 1 for a chunk on top of a past and masks of ones.
Both stay independent of transformers' Cache classes.

Model directory written to OUT_DIR (the contract the Java loader relies on):
    model.onnx             fp32, layout "decoder-with-past-v1"
    model.int8.onnx        (--int8) onnxruntime quantize_dynamic: QInt8 per-channel MatMul
                           weights (MatMulInteger, 7-bit range), uint8 embedding Gather
    config.json            the HF config, plus normalized top-level keys the Java side
                           reads: head_dim, rope_theta, tie_word_embeddings, bos/eos ids
                           (transformers 5 only writes rope_theta under rope_parameters)
    tokenizer.json, tokenizer_config.json (chat_template inlined if it came as a
                           chat_template.jinja file), generation_config.json if present,
                           chat_template.jinja if present.

ONNX I/O (all of batch, seq, past_seq dynamic; the fused graph takes batch 1 for seq > 1 on top of a past):
    inputs : input_ids int64 [batch, seq]
             attention_mask int64 [batch, past_seq + seq]   (0 = blocked key position with --graph
                            plain; the fused graph reads each row's sum as its key count: ones only)
             position_ids int64 [batch, seq]   (below max_position_embeddings with --graph fused)
             past_key_values.{i}.key / .value float32 [batch, kv_heads, past_seq, head_dim]
    outputs: logits float32 [batch, 1, vocab] with --logits last (the default): the last
                     position only, the one a decoder samples from; the vocabulary projection
                     of the other prompt positions is not computed
             logits float32 [batch, seq, vocab] with --logits all: every position
             present.{i}.key / .value float32 [batch, kv_heads, past_seq + seq, head_dim]
Metadata props: handoff.layout=decoder-with-past-v1, handoff.num_layers,
    handoff.num_kv_heads, handoff.head_dim, handoff.num_heads, handoff.hidden_size,
    handoff.vocab_size, handoff.model_type, handoff.logits=last with --logits last
    (a model without handoff.logits has every position's logits, as before the option), and
    handoff.graph=fused with --graph fused.

Before anything is written to OUT_DIR the fp32 graph is verified against the
transformers model: a prompt prefill followed by 6 single-token KV-cache steps, and a
run with a chunked (seq > 1) step on top of a past (with --graph plain in a batch of 2 with a
zero in the attention mask).  The maximum absolute difference of the logits the graph returns (with --logits last,
transformers' last row) must be below --atol (default 1e-4).
"""
from __future__ import annotations

import argparse
import glob
import json
import math
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass

LAYOUT = "decoder-with-past-v1"
# which positions the logits output covers: only the last one (the default), or every one
LOGITS_LAST = "last"
LOGITS_ALL = "all"
LOGITS_LAYOUTS = (LOGITS_LAST, LOGITS_ALL)
# how the graph is written: with ONNX Runtime's fused operators (the default), or with standard ONNX operators only
GRAPH_FUSED = "fused"
GRAPH_PLAIN = "plain"
GRAPHS = (GRAPH_FUSED, GRAPH_PLAIN)
# ONNX Runtime's CPU GroupQueryAttention refuses other head sizes
FUSED_HEAD_DIM_MULTIPLE = 8
SUPPORTED_MODEL_TYPES = ("llama", "qwen2", "swen", "minimind")
LLAMA_LIKE_CUSTOM = ("swen", "minimind")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")
OPTIONAL_FILES = ("generation_config.json", "chat_template.jinja", "special_tokens_map.json")


class ExportError(Exception):
    """A user-facing error: bad checkpoint, unsupported model, failed verification."""


# --------------------------------------------------------------------------------------
# Config handling
# --------------------------------------------------------------------------------------

@dataclass
class Spec:
    model_type: str
    num_layers: int
    num_heads: int
    num_kv_heads: int
    head_dim: int
    hidden_size: int
    intermediate_size: int
    vocab_size: int
    rope_theta: float
    rms_norm_eps: float
    tie_word_embeddings: bool
    max_position_embeddings: int
    bos_token_id: object
    eos_token_id: object


def read_config(checkpoint: str) -> dict:
    if not os.path.isdir(checkpoint):
        raise ExportError(f"checkpoint directory not found: {checkpoint}")
    path = os.path.join(checkpoint, "config.json")
    if not os.path.isfile(path):
        raise ExportError(
            f"{checkpoint} has no config.json: expected a Hugging Face checkpoint directory "
            f"(config.json + weights + tokenizer.json)")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise ExportError(f"{path} is not valid JSON: {e}") from e


def rope_theta_of(cfg: dict) -> float:
    if cfg.get("rope_theta") is not None:
        return float(cfg["rope_theta"])
    params = cfg.get("rope_parameters") or {}
    if params.get("rope_theta") is not None:
        return float(params["rope_theta"])
    return 10000.0


def spec_from_config(cfg: dict) -> Spec:
    model_type = cfg.get("model_type")
    if model_type is None:
        raise ExportError("config.json has no model_type")
    if model_type not in SUPPORTED_MODEL_TYPES:
        raise ExportError(
            f"unsupported model_type '{model_type}': this exporter supports "
            f"{', '.join(SUPPORTED_MODEL_TYPES)} (Llama-style decoders: RMSNorm, half-split RoPE, "
            f"SwiGLU, GQA)")

    def need(key):
        if cfg.get(key) is None:
            raise ExportError(f"config.json (model_type {model_type}) lacks required key '{key}'")
        return cfg[key]

    hidden = int(need("hidden_size"))
    heads = int(need("num_attention_heads"))
    kv_heads = int(cfg.get("num_key_value_heads") or heads)
    layers = int(need("num_hidden_layers"))
    vocab = int(need("vocab_size"))
    head_dim = int(cfg.get("head_dim") or hidden // heads)
    inter = cfg.get("intermediate_size")
    if inter is None:
        if model_type in LLAMA_LIKE_CUSTOM:  # MiniMind/Swen default
            inter = 64 * ((int(hidden * 8 / 3) + 63) // 64)
        else:
            raise ExportError("config.json lacks required key 'intermediate_size'")
    if heads % kv_heads != 0:
        raise ExportError(f"num_attention_heads {heads} is not a multiple of num_key_value_heads {kv_heads}")
    act = cfg.get("hidden_act", "silu")
    if act not in ("silu", "swish"):
        raise ExportError(f"unsupported hidden_act '{act}' (only SwiGLU/silu is supported)")
    # RoPE variants other than the default half-split one are not implemented.
    params = cfg.get("rope_parameters") or {}
    scaling = cfg.get("rope_scaling")
    rope_type = params.get("rope_type") or params.get("type") or "default"
    if scaling:
        rope_type = scaling.get("rope_type") or scaling.get("type") or rope_type
    if rope_type != "default":
        raise ExportError(f"unsupported RoPE scaling '{rope_type}' (only the default RoPE is supported)")
    if cfg.get("inference_rope_scaling"):
        raise ExportError("unsupported: inference_rope_scaling (YaRN) is enabled in config.json")
    if cfg.get("use_moe"):
        # MiniMind-MoE replaces the SwiGLU MLP with routed experts, which DecoderWithPast lacks;
        # a dense MLP would otherwise be exported from whatever mlp.* weights happen to exist.
        raise ExportError(f"unsupported: use_moe=true in config.json (model_type {model_type}): only dense "
                          f"SwiGLU MLPs are exported; use the dense (non-MoE) checkpoint")
    if model_type == "qwen2" and cfg.get("use_sliding_window"):
        raise ExportError("unsupported: Qwen2 with use_sliding_window=true")
    if cfg.get("pretraining_tp", 1) not in (1, None):
        raise ExportError("unsupported: pretraining_tp != 1")
    if model_type in LLAMA_LIKE_CUSTOM:
        tied = bool(cfg.get("tie_word_embeddings", True))
    else:
        tied = bool(cfg.get("tie_word_embeddings", False))
    return Spec(
        model_type=model_type, num_layers=layers, num_heads=heads, num_kv_heads=kv_heads,
        head_dim=head_dim, hidden_size=hidden, intermediate_size=int(inter), vocab_size=vocab,
        rope_theta=rope_theta_of(cfg), rms_norm_eps=float(cfg.get("rms_norm_eps", 1e-6)),
        tie_word_embeddings=tied,
        max_position_embeddings=int(cfg.get("max_position_embeddings") or 2048),
        bos_token_id=cfg.get("bos_token_id"), eos_token_id=cfg.get("eos_token_id"))


def normalized_config(cfg: dict, spec: Spec) -> dict:
    """The HF config plus the top-level keys the Java loader reads."""
    out = dict(cfg)
    out["head_dim"] = spec.head_dim
    out["num_key_value_heads"] = spec.num_kv_heads
    out["intermediate_size"] = spec.intermediate_size
    out["rope_theta"] = spec.rope_theta
    out["rms_norm_eps"] = spec.rms_norm_eps
    out["tie_word_embeddings"] = spec.tie_word_embeddings
    out["max_position_embeddings"] = spec.max_position_embeddings
    out.setdefault("bos_token_id", spec.bos_token_id)
    out.setdefault("eos_token_id", spec.eos_token_id)
    return out


# --------------------------------------------------------------------------------------
# Reference (transformers) model
# --------------------------------------------------------------------------------------

def _load_raw_state_dict(checkpoint: str) -> dict:
    import torch
    files = sorted(glob.glob(os.path.join(checkpoint, "*.safetensors")))
    if files:
        from safetensors.torch import load_file
        sd = {}
        for f in files:
            sd.update(load_file(f))
        return sd
    files = sorted(glob.glob(os.path.join(checkpoint, "pytorch_model*.bin"))) + \
        sorted(glob.glob(os.path.join(checkpoint, "*.pth"))) + \
        sorted(glob.glob(os.path.join(checkpoint, "*.pt")))
    if not files:
        raise ExportError(f"no weights in {checkpoint} (*.safetensors, pytorch_model*.bin, *.pth)")
    sd = {}
    for f in files:
        obj = torch.load(f, map_location="cpu", weights_only=True)
        if isinstance(obj, dict) and "model" in obj and isinstance(obj["model"], dict):
            obj = obj["model"]
        if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict):
            obj = obj["state_dict"]
        sd.update(obj)
    return sd


def load_reference_model(checkpoint: str, cfg: dict, spec: Spec):
    """A transformers model whose logits the ONNX graph is verified against."""
    import torch
    from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM

    if spec.model_type in ("llama", "qwen2"):
        try:
            model = AutoModelForCausalLM.from_pretrained(
                checkpoint, dtype=torch.float32, attn_implementation="eager")
        except OSError as e:
            raise ExportError(f"could not load weights from {checkpoint}: {e}") from e
        return model.eval()

    # swen / minimind: Llama maths with HF-style parameter names.
    sd = _load_raw_state_dict(checkpoint)
    sd = {k[len("module."):] if k.startswith("module.") else k: v for k, v in sd.items()}
    sd = {k: v for k, v in sd.items() if not k.endswith(("freqs_cos", "freqs_sin", "rotary_emb.inv_freq"))}
    if "model.embed_tokens.weight" not in sd:
        raise ExportError(
            f"{spec.model_type} checkpoint has no 'model.embed_tokens.weight': only the HF-style "
            f"parameter names (model.layers.N.self_attn.q_proj.weight, ...) are supported")
    has_bias = any(k.endswith("q_proj.bias") for k in sd)
    lcfg = LlamaConfig(
        vocab_size=spec.vocab_size, hidden_size=spec.hidden_size,
        intermediate_size=spec.intermediate_size, num_hidden_layers=spec.num_layers,
        num_attention_heads=spec.num_heads, num_key_value_heads=spec.num_kv_heads,
        head_dim=spec.head_dim, max_position_embeddings=spec.max_position_embeddings,
        rms_norm_eps=spec.rms_norm_eps, rope_theta=spec.rope_theta,
        tie_word_embeddings=spec.tie_word_embeddings, attention_bias=has_bias,
        bos_token_id=spec.bos_token_id, eos_token_id=spec.eos_token_id)
    model = LlamaForCausalLM(lcfg).to(torch.float32)
    if spec.tie_word_embeddings:
        sd.pop("lm_head.weight", None)
    missing, unexpected = model.load_state_dict(sd, strict=False)
    missing = [k for k in missing if not (spec.tie_word_embeddings and k == "lm_head.weight")]
    if missing or unexpected:
        raise ExportError(f"{spec.model_type} weights do not match the config: "
                          f"missing {missing[:5]}, unexpected {unexpected[:5]}")
    if spec.tie_word_embeddings:
        model.tie_weights()
    model.config._attn_implementation = "eager"
    return model.eval()


# --------------------------------------------------------------------------------------
# The explicit export module
# --------------------------------------------------------------------------------------

def build_export_module(hf_model, spec: Spec, logits_layout: str = LOGITS_LAST):
    import torch
    from torch import nn

    sd = {k: v.detach().to(torch.float32).clone() for k, v in hf_model.state_dict().items()}

    def get(name, required=True):
        if name in sd:
            return sd[name]
        if required:
            raise ExportError(f"weight '{name}' not found in the checkpoint state dict")
        return None

    class Linear(nn.Module):
        """y = x @ W^T + b, with W^T stored so the ONNX graph has a plain MatMul on it."""

        def __init__(self, weight, bias):
            super().__init__()
            self.weight_t = nn.Parameter(weight.t().contiguous(), requires_grad=False)
            self.bias = None if bias is None else nn.Parameter(bias, requires_grad=False)

        def forward(self, x):
            y = torch.matmul(x, self.weight_t)
            return y if self.bias is None else y + self.bias

    class RMSNorm(nn.Module):
        def __init__(self, weight, eps):
            super().__init__()
            self.weight = nn.Parameter(weight, requires_grad=False)
            self.eps = eps

        def forward(self, x):
            var = x.pow(2).mean(-1, keepdim=True)
            return self.weight * (x * torch.rsqrt(var + self.eps))

    def lin(prefix):
        return Linear(get(prefix + ".weight"), get(prefix + ".bias", required=False))

    class Layer(nn.Module):
        def __init__(self, i):
            super().__init__()
            p = f"model.layers.{i}."
            self.input_norm = RMSNorm(get(p + "input_layernorm.weight"), spec.rms_norm_eps)
            self.post_norm = RMSNorm(get(p + "post_attention_layernorm.weight"), spec.rms_norm_eps)
            self.q = lin(p + "self_attn.q_proj")
            self.k = lin(p + "self_attn.k_proj")
            self.v = lin(p + "self_attn.v_proj")
            self.o = lin(p + "self_attn.o_proj")
            self.gate = lin(p + "mlp.gate_proj")
            self.up = lin(p + "mlp.up_proj")
            self.down = lin(p + "mlp.down_proj")

    H, KV, D = spec.num_heads, spec.num_kv_heads, spec.head_dim
    rep = H // KV
    scale = 1.0 / math.sqrt(D)
    neg = torch.finfo(torch.float32).min

    def rotate_half(x):
        return torch.cat((-x[..., D // 2:], x[..., : D // 2]), dim=-1)

    class DecoderWithPast(nn.Module):
        def __init__(self):
            super().__init__()
            emb = get("model.embed_tokens.weight")
            self.tied = spec.tie_word_embeddings
            if self.tied:
                # One initializer [hidden, vocab] shared by the lm_head MatMul and the
                # embedding Gather (axis 1), so the tied matrix is stored once.
                self.embed_t = nn.Parameter(emb.t().contiguous(), requires_grad=False)
            else:
                self.embed = nn.Parameter(emb, requires_grad=False)
                self.lm_head = Linear(get("lm_head.weight"), get("lm_head.bias", required=False))
            self.layers = nn.ModuleList([Layer(i) for i in range(spec.num_layers)])
            self.norm = RMSNorm(get("model.norm.weight"), spec.rms_norm_eps)
            inv_freq = 1.0 / (spec.rope_theta ** (
                torch.arange(0, D, 2, dtype=torch.int64).to(torch.float32) / D))
            self.register_buffer("inv_freq", inv_freq, persistent=False)

        def forward(self, input_ids, attention_mask, position_ids, *past):
            bsz, seq = input_ids.shape[0], input_ids.shape[1]
            if self.tied:
                x = torch.index_select(self.embed_t, 1, input_ids.reshape(-1))  # [hidden, b*s]
                x = x.t().reshape(bsz, seq, spec.hidden_size)
            else:
                x = torch.nn.functional.embedding(input_ids, self.embed)

            # RoPE (half-split / rotate_half), computed from position_ids.
            freqs = position_ids.to(torch.float32).unsqueeze(-1) * self.inv_freq  # [b, s, D/2]
            emb = torch.cat((freqs, freqs), dim=-1)
            cos = emb.cos().unsqueeze(1)  # [b, 1, s, D]
            sin = emb.sin().unsqueeze(1)

            # Mask: key j visible to query i iff j <= past_len + i and attention_mask[b, j] != 0.
            total = attention_mask.shape[1]
            key_pos = torch.cumsum(torch.ones_like(attention_mask[0]), 0) - 1          # [T]
            query_pos = key_pos[total - seq:]                                           # [s]
            causal = key_pos.unsqueeze(0) <= query_pos.unsqueeze(1)                     # [s, T]
            allowed = causal.unsqueeze(0).unsqueeze(0) & (attention_mask != 0).unsqueeze(1).unsqueeze(2)

            presents = []
            for i, layer in enumerate(self.layers):
                h = layer.input_norm(x)
                q = layer.q(h).reshape(bsz, seq, H, D).transpose(1, 2)
                k = layer.k(h).reshape(bsz, seq, KV, D).transpose(1, 2)
                v = layer.v(h).reshape(bsz, seq, KV, D).transpose(1, 2)
                q = q * cos + rotate_half(q) * sin
                k = k * cos + rotate_half(k) * sin
                k = torch.cat((past[2 * i], k), dim=2)
                v = torch.cat((past[2 * i + 1], v), dim=2)
                presents.append(k)
                presents.append(v)
                if rep > 1:
                    kk = k.unsqueeze(2).expand(bsz, KV, rep, total, D).reshape(bsz, H, total, D)
                    vv = v.unsqueeze(2).expand(bsz, KV, rep, total, D).reshape(bsz, H, total, D)
                else:
                    kk, vv = k, v
                scores = torch.matmul(q, kk.transpose(2, 3)) * scale
                scores = torch.where(allowed, scores, torch.full_like(scores, neg))
                probs = torch.softmax(scores, dim=-1)
                attn = torch.matmul(probs, vv).transpose(1, 2).reshape(bsz, seq, H * D)
                x = x + layer.o(attn)
                h = layer.post_norm(x)
                x = x + layer.down(torch.nn.functional.silu(layer.gate(h)) * layer.up(h))

            if logits_layout == LOGITS_LAST:
                x = x[:, -1:, :]  # only the last position's logits are sampled from
            x = self.norm(x)
            if self.tied:
                logits = torch.matmul(x, self.embed_t)
            else:
                logits = self.lm_head(x)
            return (logits, *presents)

    return DecoderWithPast().eval()


def build_fused_graph(hf_model, spec: Spec, logits_layout: str = LOGITS_LAST, opset: int = 17):
    """The decoder written directly as an ONNX graph with ONNX Runtime's fused operators (domain com.microsoft):
    per layer one GroupQueryAttention (the attention, the KV cache concatenation and the GQA head sharing in one
    kernel), RotaryEmbedding on the queries and keys, SkipSimplifiedLayerNormalization for each residual add + RMSNorm.
    The maths are DecoderWithPast's; only the kernels differ (verified against transformers like the plain graph).
    GroupQueryAttention reads the key length of every row from the attention mask's sum: the mask must be ones
    followed by zeros (right padding), which is what a decoder feeding one conversation sends."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    sd = {k: v.detach().float().numpy() for k, v in hf_model.state_dict().items()}

    def weight(name, required=True):
        if name in sd:
            return sd[name]
        if required:
            raise ExportError(f"weight '{name}' not found in the checkpoint state dict")
        return None

    H, KV, D = spec.num_heads, spec.num_kv_heads, spec.head_dim
    eps = spec.rms_norm_eps
    nodes, initializers = [], []

    def const(name, array):
        initializers.append(numpy_helper.from_array(np.array(array, order="C"), name))  # keeps scalars 0-d
        return name

    def op(op_type, inputs, outputs, domain="", **attrs):
        """Adds a node; returns its output's name, or the list of its outputs' names when it has several."""
        nodes.append(helper.make_node(op_type, inputs, outputs, name=f"{op_type}_{len(nodes)}", domain=domain,
                                      **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    def linear(x, prefix, out):
        y = op("MatMul", [x, const(prefix + ".weight_t", weight(prefix + ".weight").T)], [out])
        bias = weight(prefix + ".bias", required=False)
        return y if bias is None else op("Add", [y, const(prefix + ".bias", bias)], [out + "_b"])

    def rms_norm(x, name, out):
        # plain ops like DecoderWithPast's RMSNorm (ONNX Runtime fuses them into SimplifiedLayerNormalization
        # at load): the fused op lives in ONNX Runtime's extension of the default domain, which onnx's checker lacks
        square = op("Pow", [x, const(out + "_two", np.array(2.0, np.float32))], [out + "_sq"])
        mean = op("ReduceMean", [square], [out + "_var"], axes=[-1], keepdims=1) if opset < 18 else \
            op("ReduceMean", [square, const(out + "_axes", np.array([-1], np.int64))], [out + "_var"], keepdims=1)
        std = op("Sqrt", [op("Add", [mean, const(out + "_eps", np.array(eps, np.float32))], [out + "_ve"])],
                 [out + "_std"])
        normed = op("Div", [x, std], [out + "_n"])
        return op("Mul", [const(name, weight(name)), normed], [out])

    # RoPE tables for every position the model allows, [max_positions, head_dim / 2], computed in the graph from
    # constant inputs so that the file does not carry them: ONNX Runtime folds them once at load from its basic
    # graph optimizations on (the opener's default is all); with none it computes them in every step
    inv_freq = 1.0 / (spec.rope_theta ** (np.arange(0, D, 2, dtype=np.int64).astype(np.float32) / D))
    positions = op("Range", [const("rope.first", np.array(0, np.float32)),
                             const("rope.end", np.array(spec.max_position_embeddings, np.float32)),
                             const("rope.step", np.array(1, np.float32))], ["rope.positions"])
    angles = op("Mul", [op("Unsqueeze", [positions, const("axis_last", np.array([1], np.int64))], ["rope.column"]),
                        const("rope.inv_freq", inv_freq[None, :])], ["rope.angles"])
    op("Cos", [angles], ["rope.cos"])
    op("Sin", [angles], ["rope.sin"])

    # GroupQueryAttention's key lengths: seqlens_k = mask sum - 1 per row, total = the mask's length
    mask_sum = op("ReduceSum", ["attention_mask", const("axis_1", np.array([1], np.int64))], ["mask_sum"],
                  keepdims=0)
    op("Cast", [op("Sub", [mask_sum, const("one", np.array(1, np.int64))], ["seqlens_k64"])], ["seqlens_k"],
       to=TensorProto.INT32)
    total = op("Gather", [op("Shape", ["attention_mask"], ["mask_shape"]), const("index_1", np.array(1, np.int64))],
               ["total_len64"], axis=0)
    op("Cast", [total], ["total_len"], to=TensorProto.INT32)

    embedding = weight("model.embed_tokens.weight")
    if spec.tie_word_embeddings:
        # one [hidden, vocab] matrix for the embedding Gather (axis 1) and the vocabulary MatMul, stored once
        const("embed_t", embedding.T)
        x = op("Transpose", [op("Gather", ["embed_t", "input_ids"], ["embedded_t"], axis=1)], ["x_0"], perm=[1, 2, 0])
    else:
        x = op("Gather", [const("embed", embedding), "input_ids"], ["x_0"], axis=0)

    pending = None  # the last sublayer's output, added to x by the next SkipSimplifiedLayerNormalization
    for i in range(spec.num_layers):
        p = f"model.layers.{i}."
        if pending is None:
            h = rms_norm(x, p + "input_layernorm.weight", f"h_{i}")
        else:
            h, _, _, x = op("SkipSimplifiedLayerNormalization",
                            [x, pending, const(p + "input_layernorm.weight", weight(p + "input_layernorm.weight"))],
                            [f"h_{i}", "", "", f"x_{i}"], domain="com.microsoft", epsilon=eps)
        q = linear(h, p + "self_attn.q_proj", f"q_{i}")
        k = linear(h, p + "self_attn.k_proj", f"k_{i}")
        v = linear(h, p + "self_attn.v_proj", f"v_{i}")
        q = op("RotaryEmbedding", [q, "position_ids", "rope.cos", "rope.sin"], [f"q_rot_{i}"],
               domain="com.microsoft", interleaved=0, num_heads=H)
        k = op("RotaryEmbedding", [k, "position_ids", "rope.cos", "rope.sin"], [f"k_rot_{i}"],
               domain="com.microsoft", interleaved=0, num_heads=KV)
        attn = op("GroupQueryAttention",
                  [q, k, v, f"past_key_values.{i}.key", f"past_key_values.{i}.value", "seqlens_k", "total_len"],
                  [f"attn_{i}", f"present.{i}.key", f"present.{i}.value"], domain="com.microsoft",
                  num_heads=H, kv_num_heads=KV, scale=1.0 / math.sqrt(D))[0]
        o = linear(attn, p + "self_attn.o_proj", f"o_{i}")
        h, _, _, x = op("SkipSimplifiedLayerNormalization",
                        [x, o, const(p + "post_attention_layernorm.weight",
                                     weight(p + "post_attention_layernorm.weight"))],
                        [f"h2_{i}", "", "", f"x_attn_{i}"], domain="com.microsoft", epsilon=eps)
        gate = linear(h, p + "mlp.gate_proj", f"gate_{i}")
        up = linear(h, p + "mlp.up_proj", f"up_{i}")
        silu = op("Mul", [gate, op("Sigmoid", [gate], [f"gate_sig_{i}"])], [f"silu_{i}"])
        pending = linear(op("Mul", [silu, up], [f"swiglu_{i}"]), p + "mlp.down_proj", f"down_{i}")
    x = op("Add", [x, pending], ["x_out"])
    if logits_layout == LOGITS_LAST:
        # only the last position's logits are sampled from
        x = op("Slice", [x, const("last_start", np.array([-1], np.int64)),
                         const("last_end", np.array([np.iinfo(np.int64).max], np.int64)),
                         const("axis_seq", np.array([1], np.int64))], ["x_last"])
    x = rms_norm(x, "model.norm.weight", "x_norm")
    if spec.tie_word_embeddings:
        op("MatMul", [x, "embed_t"], ["logits"])
    else:
        head = op("MatMul", [x, const("lm_head.weight_t", weight("lm_head.weight").T)],
                  ["logits" if weight("lm_head.bias", required=False) is None else "logits_nb"])
        if head != "logits":
            op("Add", [head, const("lm_head.bias", weight("lm_head.bias"))], ["logits"])

    inputs, outputs = io_names(spec)
    graph_inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
                    helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "total_seq"]),
                    helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch", "seq"])]
    graph_inputs += [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch", KV, "past_seq", D])
                     for n in inputs[3:]]
    seq_axis = 1 if logits_layout == LOGITS_LAST else "seq"
    graph_outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                                   ["batch", seq_axis, spec.vocab_size])]
    graph_outputs += [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch", KV, "total_seq", D])
                      for n in outputs[1:]]
    model = helper.make_model(helper.make_graph(nodes, "decoder_with_past", graph_inputs, graph_outputs,
                                                initializers),
                              opset_imports=[helper.make_opsetid("", opset), helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    return model


def io_names(spec: Spec):
    past = []
    present = []
    for i in range(spec.num_layers):
        past += [f"past_key_values.{i}.key", f"past_key_values.{i}.value"]
        present += [f"present.{i}.key", f"present.{i}.value"]
    inputs = ["input_ids", "attention_mask", "position_ids"] + past
    outputs = ["logits"] + present
    return inputs, outputs


def export_onnx(module, spec: Spec, path: str, opset: int, logits_layout: str = LOGITS_LAST):
    import torch
    inputs, outputs = io_names(spec)
    b, s, p = 2, 3, 4  # trace with a non-empty past; all three axes are declared dynamic
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, spec.vocab_size, (b, s), generator=g)
    mask = torch.ones(b, p + s, dtype=torch.int64)
    pos = torch.arange(p, p + s, dtype=torch.int64).unsqueeze(0).expand(b, s).contiguous()
    past = [torch.randn(b, spec.num_kv_heads, p, spec.head_dim, generator=g)
            for _ in range(2 * spec.num_layers)]
    dyn = {"input_ids": {0: "batch", 1: "seq"},
           "attention_mask": {0: "batch", 1: "total_seq"},
           "position_ids": {0: "batch", 1: "seq"},
           "logits": {0: "batch"} if logits_layout == LOGITS_LAST else {0: "batch", 1: "seq"}}
    for n in inputs[3:]:
        dyn[n] = {0: "batch", 2: "past_seq"}
    for n in outputs[1:]:
        dyn[n] = {0: "batch", 2: "total_seq"}
    import warnings
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module, (ids, mask, pos, *past), path, dynamo=False,
            input_names=inputs, output_names=outputs, dynamic_axes=dyn,
            opset_version=opset, do_constant_folding=True)


def _compact_names(m):
    """Short names for internal tensors and nodes (the exporter's '/Constant_67_output_0'
    style names carry no information and are ~10% of a tiny model's file); graph inputs,
    outputs and initializers keep their names. Optional value_info is dropped."""
    keep = {i.name for i in m.graph.input} | {o.name for o in m.graph.output} | \
        {i.name for i in m.graph.initializer}
    ren = {}
    for n in m.graph.node:
        for o in n.output:
            if o and o not in keep and o not in ren:
                ren[o] = f"t{len(ren)}"
    for i, n in enumerate(m.graph.node):
        n.name = f"{n.op_type}_{i}"
        for j, x in enumerate(n.input):
            if x in ren:
                n.input[j] = ren[x]
        for j, x in enumerate(n.output):
            if x in ren:
                n.output[j] = ren[x]
    del m.graph.value_info[:]


def add_metadata(path: str, spec: Spec, logits_layout: str = LOGITS_LAST, extra: dict | None = None,
                 graph: str = GRAPH_PLAIN):
    import onnx
    m = onnx.load(path)
    if any(n.op_type in ("Loop", "If", "Scan") for n in m.graph.node):
        raise ExportError("unexpected control-flow node in the exported graph")
    _compact_names(m)
    if logits_layout == LOGITS_LAST:
        # the TorchScript exporter declares the sliced axis as a dynamic one of its own: it is 1 whatever seq is
        axis = m.graph.output[0].type.tensor_type.shape.dim[1]
        axis.Clear()
        axis.dim_value = 1
    props = {
        "handoff.layout": LAYOUT,
        "handoff.model_type": spec.model_type,
        "handoff.num_layers": str(spec.num_layers),
        "handoff.num_heads": str(spec.num_heads),
        "handoff.num_kv_heads": str(spec.num_kv_heads),
        "handoff.head_dim": str(spec.head_dim),
        "handoff.hidden_size": str(spec.hidden_size),
        "handoff.vocab_size": str(spec.vocab_size),
    }
    if logits_layout == LOGITS_LAST:
        # only then: an --logits all export stays byte for byte what it was before the option
        props["handoff.logits"] = LOGITS_LAST
    if graph == GRAPH_FUSED:
        # only then, like handoff.logits: a --graph plain export stays byte for byte what it was before the option
        props["handoff.graph"] = GRAPH_FUSED
    if extra:
        props.update(extra)
    del m.metadata_props[:]
    for k, v in props.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    m.producer_name = "quarkus-handoff export.py"
    m.doc_string = ""
    onnx.checker.check_model(m)
    onnx.save(m, path)


# --------------------------------------------------------------------------------------
# Running the ONNX graph and verification
# --------------------------------------------------------------------------------------

class OrtDecoder:
    def __init__(self, path: str, spec: Spec):
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        self.sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        self.spec = spec
        self.inputs, self.outputs = io_names(spec)
        got_in = [i.name for i in self.sess.get_inputs()]
        got_out = [o.name for o in self.sess.get_outputs()]
        if got_in != self.inputs or got_out != self.outputs:
            raise ExportError(f"unexpected ONNX I/O names: {got_in} -> {got_out}")
        meta = self.sess.get_modelmeta().custom_metadata_map
        self.logits_layout = meta.get("handoff.logits", LOGITS_ALL)

    def returned_rows(self, logits):
        """The rows of full-sequence LOGITS [batch, seq, vocab] that this graph returns."""
        return logits[:, -1:] if self.logits_layout == LOGITS_LAST else logits

    def empty_past(self, batch: int):
        import numpy as np
        return [np.zeros((batch, self.spec.num_kv_heads, 0, self.spec.head_dim), np.float32)
                for _ in range(2 * self.spec.num_layers)]

    def step(self, ids, mask, pos, past):
        import numpy as np
        feed = {"input_ids": np.asarray(ids, np.int64), "attention_mask": np.asarray(mask, np.int64),
                "position_ids": np.asarray(pos, np.int64)}
        for n, t in zip(self.inputs[3:], past):
            feed[n] = t
        try:
            out = self.sess.run(None, feed)
        except Exception as e:  # ONNX Runtime raises its own exception types, not exported by name
            raise ExportError(f"ONNX Runtime failed to run the exported graph: {e}") from e
        return out[0], out[1:]

    def greedy(self, prompt_ids, max_new_tokens, eos_id=None):
        import numpy as np
        ids = list(prompt_ids)
        past = self.empty_past(1)
        cur = ids
        generated = []
        for _ in range(max_new_tokens):
            n = len(ids) - len(cur)
            logits, past = self.step([cur], [[1] * len(ids)], [list(range(n, len(ids)))], past)
            nxt = int(np.argmax(logits[0, -1]))
            generated.append(nxt)
            if eos_id is not None and nxt == eos_id:
                break
            ids.append(nxt)
            cur = [nxt]
        return generated


def _hf_step(hf_model, ids, mask, pos, cache):
    import torch
    with torch.no_grad():
        out = hf_model(input_ids=torch.tensor(ids, dtype=torch.int64),
                       attention_mask=torch.tensor(mask, dtype=torch.int64),
                       position_ids=torch.tensor(pos, dtype=torch.int64),
                       past_key_values=cache, use_cache=True)
    return out.logits.float().numpy(), out.past_key_values


def _returned_diff(dec: OrtDecoder, o_logits, h_logits) -> float:
    """Max |diff| between the logits the graph returned and transformers' rows of them (no broadcasting)."""
    import numpy as np
    expected = dec.returned_rows(h_logits)
    if o_logits.shape != expected.shape:
        raise ExportError(f"verification failed: logits of shape {list(o_logits.shape)}, expected "
                          f"{list(expected.shape)} (--logits {dec.logits_layout})")
    return float(np.max(np.abs(o_logits - expected)))


def verify(hf_model, onnx_path: str, spec: Spec, atol: float, log=print, graph: str = GRAPH_PLAIN) -> float:
    """Multi-step KV-cache decode, ONNX Runtime vs transformers. Returns the max abs diff. ONNX Runtime's errors
    are export errors. The fused graph takes masks of ones and batch 1 for a chunk on top of a past
    (GroupQueryAttention reads key lengths, not a mask): its chunked run is in a batch of 1, unmasked."""
    import numpy as np
    from transformers import DynamicCache

    dec = OrtDecoder(onnx_path, spec)
    rng = np.random.default_rng(1234)
    worst = 0.0

    # Scenario 1: batch 1, prefill 7 tokens, then 6 greedy single-token steps.
    prompt = [int(t) for t in rng.integers(3, spec.vocab_size, 7)]
    ids = list(prompt)
    cur = list(prompt)
    past = dec.empty_past(1)
    cache = DynamicCache(config=hf_model.config)
    diffs = []
    for step in range(7):
        n = len(ids) - len(cur)
        mask = [[1] * len(ids)]
        pos = [list(range(n, len(ids)))]
        o_logits, past = dec.step([cur], mask, pos, past)
        h_logits, cache = _hf_step(hf_model, [cur], mask, pos, cache)
        d = _returned_diff(dec, o_logits, h_logits)
        diffs.append(d)
        nxt = int(np.argmax(h_logits[0, -1]))
        ids.append(nxt)
        cur = [nxt]
    log(f"  verify decode (prefill 7 + 6 steps): max |diff| per step = "
        + ", ".join(f"{d:.2e}" for d in diffs))
    worst = max(worst, max(diffs))

    # Scenario 2: prefill 5, chunk of 3 on top of the past, then 2 single steps. The plain graph in a batch of 2
    # whose row 1 has a zero in its attention mask at key position 1 (must be blocked); the fused graph in a batch
    # of 1 (GroupQueryAttention takes a chunk on top of a past only for one sequence, as the Java decoder sends)
    masked = graph == GRAPH_PLAIN
    b = 2 if masked else 1
    prompt = rng.integers(3, spec.vocab_size, (b, 5)).tolist()
    chunks = [prompt, rng.integers(3, spec.vocab_size, (b, 3)).tolist(),
              rng.integers(3, spec.vocab_size, (b, 1)).tolist(),
              rng.integers(3, spec.vocab_size, (b, 1)).tolist()]
    past = dec.empty_past(b)
    cache = DynamicCache(config=hf_model.config)
    total = 0
    diffs = []
    for chunk in chunks:
        s = len(chunk[0])
        total += s
        mask = [[1] * total for _ in range(b)]
        if masked:
            mask[1][1] = 0
        pos = [list(range(total - s, total))] * b
        o_logits, past = dec.step(chunk, mask, pos, past)
        h_logits, cache = _hf_step(hf_model, chunk, mask, pos, cache)
        diffs.append(_returned_diff(dec, o_logits, h_logits))
    worst = max(worst, max(diffs))
    if masked:
        # The masked position must actually matter: compare row 1's last position with an unmasked run.
        unmasked = [[1] * 5, [1] * 5]
        o_full, _ = dec.step(prompt, unmasked, [list(range(5))] * b, dec.empty_past(b))
        o_mask, _ = dec.step(prompt, [[1] * 5, [1, 0, 1, 1, 1]], [list(range(5))] * b, dec.empty_past(b))
        effect = float(np.max(np.abs(o_full[1, -1] - o_mask[1, -1])))
        log(f"  verify batch-2 chunked + masked: max |diff| per call = "
            + ", ".join(f"{d:.2e}" for d in diffs) + f" (mask effect {effect:.2e})")
        if effect < 1e-6:
            raise ExportError("verification failed: a zero in attention_mask had no effect on the logits")
    else:
        log("  verify chunked: max |diff| per call = " + ", ".join(f"{d:.2e}" for d in diffs))
    if not np.isfinite(worst) or worst >= atol:
        raise ExportError(
            f"verification failed: ONNX Runtime logits differ from transformers by {worst:.3e} "
            f"(tolerance {atol:.0e}, max |logit| {float(np.max(np.abs(h_logits))):.1f}); the ONNX "
            f"file was not written. Float32 accumulation-order noise grows with the logit scale: a "
            f"diff near the tolerance on a large model is noise (re-run with --atol 1e-3), a diff "
            f"above ~1e-2 is an export bug")
    return worst


# --------------------------------------------------------------------------------------
# int8
# --------------------------------------------------------------------------------------

def quantize_int8(fp32_path: str, int8_path: str):
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic
    # reduce_range: 7-bit weights. x86 CPUs without VNNI multiply uint8 activations by int8 weights in pairs summed
    # into int16 (vpmaddubsw), which saturates with full 8-bit weights; with 7 bits it cannot, so every x86 CPU
    # computes the same integer products (and non-VNNI ones do not lose accuracy) at little cost in precision
    # DefaultTensorType: onnx's shape inference knows no types after ONNX Runtime's fused operators (--graph fused)
    quantize_dynamic(fp32_path, int8_path, weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather"], per_channel=True, reduce_range=True,
                     extra_options={"MatMulConstBOnly": True, "DefaultTensorType": TensorProto.FLOAT})


def _teacher_forced_logits(dec: OrtDecoder, seq, prompt_len: int):
    """The logits that predict seq[prompt_len:], [len(seq) - prompt_len, vocab]: one run over the whole sequence
    when the graph returns every position, else the prompt then one token at a time."""
    import numpy as np
    if dec.logits_layout == LOGITS_ALL:
        logits, _ = dec.step([seq], [[1] * len(seq)], [list(range(len(seq)))], dec.empty_past(1))
        return logits[0, prompt_len - 1:len(seq) - 1]
    rows = []
    past = dec.empty_past(1)
    start = 0
    for end in range(prompt_len, len(seq)):
        logits, past = dec.step([seq[start:end]], [[1] * end], [list(range(start, end))], past)
        rows.append(logits[0, -1])
        start = end
    return np.stack(rows)


def int8_agreement(fp32_path, int8_path, spec: Spec, prompts, new_tokens=16, eos_id=None):
    """Greedy ids of fp32 vs int8 on a few prompts; returns (top-1 agreement, identical prefix)."""
    import numpy as np
    f = OrtDecoder(fp32_path, spec)
    q = OrtDecoder(int8_path, spec)
    agree = total = 0
    lens = []
    for p in prompts:
        # teacher-forced top-1 agreement along the fp32 greedy path
        ref = f.greedy(p, new_tokens, eos_id)
        seq = list(p) + ref
        a = np.argmax(_teacher_forced_logits(f, seq, len(p)), -1)
        b = np.argmax(_teacher_forced_logits(q, seq, len(p)), -1)
        agree += int(np.sum(a == b))
        total += len(a)
        got = q.greedy(p, new_tokens, eos_id)
        same = 0
        for x, y in zip(ref, got):
            if x != y:
                break
            same += 1
        lens.append(same)
    return agree / max(total, 1), lens


# --------------------------------------------------------------------------------------
# Side files
# --------------------------------------------------------------------------------------

def write_side_files(checkpoint: str, out: str, cfg: dict, spec: Spec):
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(normalized_config(cfg, spec), f, indent=2, sort_keys=True)
        f.write("\n")
    for name in TOKENIZER_FILES:
        src = os.path.join(checkpoint, name)
        if not os.path.isfile(src):
            raise ExportError(f"{checkpoint} has no {name} (a tokenizers-format tokenizer is required)")
    with open(os.path.join(checkpoint, "tokenizer_config.json"), encoding="utf-8") as f:
        tcfg = json.load(f)
    jinja = os.path.join(checkpoint, "chat_template.jinja")
    if not tcfg.get("chat_template") and os.path.isfile(jinja):
        with open(jinja, encoding="utf-8") as f:
            tcfg["chat_template"] = f.read()
    if not tcfg.get("chat_template"):
        print("  warning: tokenizer_config.json has no chat_template", file=sys.stderr)
    shutil.copyfile(os.path.join(checkpoint, "tokenizer.json"), os.path.join(out, "tokenizer.json"))
    with open(os.path.join(out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tcfg, f, indent=2, ensure_ascii=False)
        f.write("\n")
    for name in OPTIONAL_FILES:
        src = os.path.join(checkpoint, name)
        if os.path.isfile(src):
            shutil.copyfile(src, os.path.join(out, name))


def _sample_prompts(checkpoint: str, spec: Spec):
    """A few prompts for the int8 report: tokenized text if a tokenizer is there."""
    texts = ["The weather today is", "Once upon a time, there was a",
             "<|im_start|>user\nWhat is a micro language model?<|im_end|>\n<|im_start|>assistant\n",
             "Here are three tips for better sleep:"]
    try:
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(os.path.join(checkpoint, "tokenizer.json"))
        prompts = [tok.encode(t, add_special_tokens=False).ids for t in texts]
        if all(prompts) and max(max(p) for p in prompts) < spec.vocab_size:
            return prompts
    except Exception:
        pass
    import numpy as np
    rng = np.random.default_rng(7)
    return [[int(t) for t in rng.integers(3, spec.vocab_size, 6)] for _ in texts]


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------

def run(checkpoint: str, out: str, int8: bool = False, opset: int = 17, atol: float = 1e-4,
        do_verify: bool = True, log=print, logits: str = LOGITS_LAST, graph: str = GRAPH_FUSED) -> dict:
    import torch
    if opset < 17:
        raise ExportError(f"--opset must be >= 17 (got {opset})")
    if logits not in LOGITS_LAYOUTS:
        raise ExportError(f"--logits must be one of {', '.join(LOGITS_LAYOUTS)} (got {logits})")
    if graph not in GRAPHS:
        raise ExportError(f"--graph must be one of {', '.join(GRAPHS)} (got {graph})")
    torch.manual_seed(0)
    cfg = read_config(checkpoint)
    spec = spec_from_config(cfg)
    if graph == GRAPH_FUSED and spec.head_dim % FUSED_HEAD_DIM_MULTIPLE:
        raise ExportError(f"head_dim {spec.head_dim} is not a multiple of {FUSED_HEAD_DIM_MULTIPLE}, which ONNX "
                          f"Runtime's GroupQueryAttention needs for the default --graph fused: export it with "
                          f"--graph plain (standard ONNX operators)")
    log(f"export {checkpoint} ({spec.model_type}: {spec.num_layers} layers, hidden {spec.hidden_size}, "
        f"{spec.num_heads}/{spec.num_kv_heads} heads, head_dim {spec.head_dim}, vocab {spec.vocab_size}, "
        f"tied={spec.tie_word_embeddings}, logits {logits}, graph {graph})")
    hf_model = load_reference_model(checkpoint, cfg, spec)
    report = {"spec": spec.__dict__}
    with tempfile.TemporaryDirectory() as tmp:
        fp32_tmp = os.path.join(tmp, "model.onnx")
        if graph == GRAPH_FUSED:
            import onnx
            onnx.save(build_fused_graph(hf_model, spec, logits, opset), fp32_tmp)
        else:
            export_onnx(build_export_module(hf_model, spec, logits), spec, fp32_tmp, opset, logits)
        add_metadata(fp32_tmp, spec, logits, graph=graph)
        if do_verify:
            report["max_abs_diff"] = verify(hf_model, fp32_tmp, spec, atol, log, graph)
            log(f"  fp32 OK: max |logits diff| vs transformers = {report['max_abs_diff']:.3e} (< {atol:.0e})")
        int8_tmp = None
        if int8:
            int8_tmp = os.path.join(tmp, "model.int8.onnx")
            quantize_int8(fp32_tmp, int8_tmp)
            add_metadata(int8_tmp, spec, logits, {"handoff.quantization": "dynamic-int8"}, graph)
            prompts = _sample_prompts(checkpoint, spec)
            eos = spec.eos_token_id if isinstance(spec.eos_token_id, int) else None
            agree, same = int8_agreement(fp32_tmp, int8_tmp, spec, prompts, eos_id=eos)
            report["int8_top1_agreement"] = agree
            report["int8_identical_greedy_prefix"] = same
            log(f"  int8: top-1 agreement with fp32 along fp32 greedy paths = {agree:.1%}; "
                f"identical greedy prefix lengths (of 16) = {same}")
        os.makedirs(out, exist_ok=True)
        shutil.copyfile(fp32_tmp, os.path.join(out, "model.onnx"))
        if int8_tmp:
            shutil.copyfile(int8_tmp, os.path.join(out, "model.int8.onnx"))
        elif os.path.exists(os.path.join(out, "model.int8.onnx")):
            os.remove(os.path.join(out, "model.int8.onnx"))  # never leave a stale int8 next to a new fp32
    write_side_files(checkpoint, out, cfg, spec)
    for name in ("model.onnx", "model.int8.onnx"):
        p = os.path.join(out, name)
        if os.path.exists(p):
            log(f"  wrote {p} ({os.path.getsize(p) / 1e6:.2f} MB)")
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, help="Hugging Face checkpoint directory")
    ap.add_argument("--out", required=True, help="output model directory")
    ap.add_argument("--int8", action="store_true", help="also write model.int8.onnx")
    ap.add_argument("--opset", type=int, default=17, help="ONNX opset (>= 17, default 17)")
    ap.add_argument("--logits", choices=LOGITS_LAYOUTS, default=LOGITS_LAST,
                    help="logits of the last position only (default; a prefill skips the vocabulary projection "
                         "of the other positions) or of every position")
    ap.add_argument("--graph", choices=GRAPHS, default=GRAPH_FUSED,
                    help="fused (default): ONNX Runtime's fused operators (GroupQueryAttention, RotaryEmbedding, "
                         "SkipSimplifiedLayerNormalization; its CPU provider has them); plain: standard ONNX "
                         "operators only, for a runtime or execution provider without them")
    ap.add_argument("--atol", type=float, default=1e-4, help="max abs logits diff allowed (default 1e-4)")
    ap.add_argument("--no-verify", action="store_true", help="skip the ONNX Runtime vs transformers check")
    args = ap.parse_args(argv)
    try:
        run(args.checkpoint, args.out, int8=args.int8, opset=args.opset, atol=args.atol,
            do_verify=not args.no_verify, logits=args.logits, graph=args.graph)
    except ExportError as e:
        print(f"export.py: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
