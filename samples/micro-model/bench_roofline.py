"""The roofline of the opener benchmark: what the machine can do, and how close the opener comes.

- :func:`sgemm_ceiling`: GFLOP/s of a large fp32 MatMul (1024 x 1024 x 1024) through ONNX Runtime (Python), at a
  given intra-op thread count: the compute ceiling of a prefill;
- :func:`model_matmul_ceiling`: GFLOP/s of the model's own matrix products alone, every layer's Q, K, V, O, gate, up
  and down matrices (fresh weights per layer, as many bytes as the model's) times a prompt's worth of rows: what ONNX
  Runtime's MatMul kernel reaches when, as in a prefill, the weights do not stay in the caches;
- :func:`copy_bandwidth`: GB/s of a large memory copy (256 MiB, read + written, split over the threads): the ceiling
  of a decoding step, which reads every weight once;
- :func:`prefill_flops` and :func:`decode_weight_bytes`: what one prefill computes and one decoding step reads;
- :class:`PythonOrtOpener`: the Java opener's decoding loop in Python, on the same ONNX file with the same session
  options (ONNX Runtime from the venv), so that the Java/Python ratio shows what the JVM and JNI add.

The pure helpers (:func:`prefill_flops`, :func:`matrix_params`, :func:`decode_weight_bytes`, :func:`head_tokens`) are tested in
tests/test_bench_helpers.py.
"""
from __future__ import annotations

import threading
import time

import numpy as np

MATMUL_OPS = ("MatMul", "MatMulInteger", "Gemm")
SGEMM_N = 1024
COPY_BYTES = 256 * 1024 * 1024


def prefill_flops(cfg: dict, new_tokens: int, past_tokens: int = 0, logits_rows: int = 1) -> int:
    """FLOPs of one forward pass over NEW_TOKENS positions after PAST_TOKENS cached ones (multiply-add = 2 FLOPs):

    2 x new_tokens x (the decoder's matrix parameters: per layer Q, K, V, O and the three SwiGLU matrices)
    + attention: per layer and head, 2 x head_dim FLOPs for each (query, key) score and 2 x head_dim for each
      weighted value, over the key positions each new position sees (causal: past + its own index + 1)
    + the vocabulary projection: 2 x hidden x vocab for each row of logits computed (1 with export.py's default
      --logits last, every new position with --logits all).
    Norms, rotary embedding, softmax and activations (O(hidden) per token) are left out: well under 1%.
    """
    h, layers, heads = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"]
    head_dim = cfg.get("head_dim") or h // heads
    keys_seen = sum(past_tokens + i + 1 for i in range(new_tokens))
    attention = layers * heads * keys_seen * 2 * (2 * head_dim)
    return 2 * new_tokens * matrix_params(cfg) + attention + 2 * logits_rows * h * cfg["vocab_size"]


def matrix_params(cfg: dict) -> int:
    """Parameters of the decoder layers' matrices (Q, K, V, O, gate, up, down), without embedding and norms."""
    h, layers = cfg["hidden_size"], cfg["num_hidden_layers"]
    heads, kv_heads = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    head_dim = cfg.get("head_dim") or h // heads
    return layers * (h * heads * head_dim + 2 * h * kv_heads * head_dim + heads * head_dim * h
                     + 3 * h * cfg["intermediate_size"])


def decode_weight_bytes(model) -> int:
    """Bytes of the weights one decoding step reads: the initializers that feed a matrix product (onnx ModelProto).

    The embedding table is read one row per token and the norms are O(hidden): neither counts; the KV cache a step
    reads (2 x layers x kv_heads x head_dim x 4 bytes per position, about 0.3 MB at 40 positions) is left out too.
    """
    from onnx import numpy_helper

    inits = {i.name: i for i in model.graph.initializer}
    names = {name for node in model.graph.node if node.op_type in MATMUL_OPS for name in node.input if name in inits}
    return sum(numpy_helper.to_array(inits[n]).nbytes for n in names)


def head_tokens(a: list[int], b: list[int]) -> int:
    """Tokens two rendered prompts share at the start: the chat template's head, which the Java opener prefills once
    at load (OpenerEngine.computeHead compares the prompts of "a" and "Z 9" the same way); 0 when fewer than 2."""
    common = 0
    while common < len(a) and common < len(b) and a[common] == b[common]:
        common += 1
    return common if common >= 2 else 0


# ---------------------------------------------------------------------------------------------------------------
# ceilings, measured


def _session_options(threads: int, spin: str = "always"):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.enable_cpu_mem_arena = True
    # the same entries as the Java opener's OpenerEngine.sessionOptions for each --spin
    so.add_session_config_entry("session.intra_op.allow_spinning", "0" if spin == "off" else "1")
    if spin == "within-step":
        so.add_session_config_entry("session.force_spinning_stop", "1")
    return so


def sgemm_ceiling(threads: int, repeat: int = 10) -> float:
    """GFLOP/s of the best of REPEAT runs of a SGEMM_N-cubed fp32 MatMul in ONNX Runtime at THREADS threads."""
    from onnx import TensorProto, helper, numpy_helper

    n = SGEMM_N
    rng = np.random.default_rng(0)
    b = numpy_helper.from_array(rng.standard_normal((n, n), dtype=np.float32), "b")
    graph = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"])], "sgemm",
                              [helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])],
                              [helper.make_tensor_value_info("c", TensorProto.FLOAT, [n, n])], [b])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    best = _best_run_seconds(model, threads, {"a": rng.standard_normal((n, n), dtype=np.float32)}, repeat)
    return 2 * n ** 3 / best / 1e9


def _best_run_seconds(model, threads: int, feed: dict, repeat: int) -> float:
    """The fastest of REPEAT runs (after one warm-up) of an onnx ModelProto in ONNX Runtime at THREADS threads."""
    import onnxruntime as ort

    sess = ort.InferenceSession(model.SerializeToString(), _session_options(threads),
                                providers=["CPUExecutionProvider"])
    sess.run(None, feed)  # warm-up
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        sess.run(None, feed)
        best = min(best, time.perf_counter() - t0)
    return best


def model_matmul_ceiling(cfg: dict, rows: int, threads: int, repeat: int = 10) -> float:
    """GFLOP/s of the best of REPEAT runs of a graph of the decoder layers' matrix products only (ROWS x each matrix
    of each layer: 2 x rows x matrix_params(cfg) FLOPs), with random weights of the model's shapes and total size."""
    from onnx import TensorProto, helper, numpy_helper

    h, heads, kv_heads = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    head_dim = cfg.get("head_dim") or h // heads
    inter = cfg["intermediate_size"]
    # (input, rows of the weight, columns of the weight) of Q, K, V, O, gate, up, down
    shapes = [("hidden", h, heads * head_dim), ("hidden", h, kv_heads * head_dim), ("hidden", h, kv_heads * head_dim),
              ("attention", heads * head_dim, h), ("hidden", h, inter), ("hidden", h, inter), ("mlp", inter, h)]
    widths = {"hidden": h, "attention": heads * head_dim, "mlp": inter}
    rng = np.random.default_rng(0)
    nodes, weights, outputs = [], [], []
    for layer in range(cfg["num_hidden_layers"]):
        for i, (source, k, n) in enumerate(shapes):
            name = f"w{layer}_{i}"
            weights.append(numpy_helper.from_array(rng.standard_normal((k, n), dtype=np.float32), name))
            nodes.append(helper.make_node("MatMul", [source, name], [name + "_out"]))
            outputs.append(helper.make_tensor_value_info(name + "_out", TensorProto.FLOAT, [rows, n]))
    inputs = [helper.make_tensor_value_info(s, TensorProto.FLOAT, [rows, w]) for s, w in widths.items()]
    model = helper.make_model(helper.make_graph(nodes, "matmuls", inputs, outputs, weights),
                              opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    feed = {s: rng.standard_normal((rows, w), dtype=np.float32) for s, w in widths.items()}
    return 2 * rows * matrix_params(cfg) / _best_run_seconds(model, threads, feed, repeat) / 1e9


def copy_bandwidth(threads: int, repeat: int = 5) -> float:
    """GB/s (bytes read + bytes written) of the best of REPEAT copies of COPY_BYTES, split over THREADS threads
    (numpy's copy releases the GIL)."""
    src = np.ones(COPY_BYTES // 8, dtype=np.float64)
    dst = np.zeros_like(src)
    parts = np.array_split(np.arange(src.size), threads)
    bounds = [(p[0], p[-1] + 1) for p in parts]

    def copy(lo, hi):
        np.copyto(dst[lo:hi], src[lo:hi])

    times = []
    for _ in range(repeat + 1):
        workers = [threading.Thread(target=copy, args=b) for b in bounds]
        t0 = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        times.append(time.perf_counter() - t0)
    return 2 * COPY_BYTES / min(times[1:]) / 1e9  # the first copy also faults the pages in


# ---------------------------------------------------------------------------------------------------------------
# the Java opener's loop, in Python


class PythonOrtOpener:
    """Greedy openers on an exported ONNX file with ONNX Runtime's Python API, the way the Java opener decodes: the
    template's head prefilled once at load, then per request the rest of the prompt, and one token per step with the
    KV cache; the clock starts before the prompt is rendered (ChatML by string concatenation) and tokenized."""

    def __init__(self, path: str, tokenizer, prefix: str, suffix: str, threads: int, spin: str, stop_ids):
        import onnxruntime as ort
        self.sess = ort.InferenceSession(path, _session_options(threads, spin), providers=["CPUExecutionProvider"])
        self.tokenizer = tokenizer
        self.prefix, self.suffix = prefix, suffix
        self.stop_ids = set(stop_ids)
        meta = self.sess.get_modelmeta().custom_metadata_map
        self.layers = int(meta["handoff.num_layers"])
        self.kv_heads, self.head_dim = int(meta["handoff.num_kv_heads"]), int(meta["handoff.head_dim"])
        self.past_names = [i.name for i in self.sess.get_inputs()][3:]
        head = head_tokens(self.encode("a"), self.encode("Z 9"))
        self.head = self.encode("a")[:head]
        self.head_past = self.empty_past()
        if self.head:
            _, self.head_past = self.step(self.head, 0, self.head_past)

    def encode(self, user: str) -> list[int]:
        return self.tokenizer(self.prefix + user + self.suffix, add_special_tokens=False)["input_ids"]

    def empty_past(self):
        return [np.zeros((1, self.kv_heads, 0, self.head_dim), np.float32) for _ in range(2 * self.layers)]

    def step(self, ids, past_len, past):
        n = len(ids)
        feed = {"input_ids": np.asarray([ids], np.int64),
                "attention_mask": np.ones((1, past_len + n), np.int64),
                "position_ids": np.arange(past_len, past_len + n, dtype=np.int64)[None, :]}
        feed.update(zip(self.past_names, past))
        out = self.sess.run(None, feed)
        return out[0], out[1:]

    def open(self, user: str, words: int, tokens: int, max_tokens: int, complete_words) -> dict:
        start = time.perf_counter()
        ids = self.encode(user)
        if self.head and ids[:len(self.head)] == self.head:
            past, rest = self.head_past, ids[len(self.head):]
        else:
            past, rest = self.empty_past(), ids
        past_len = len(ids) - len(rest)
        generated: list[int] = []
        r = {"first_token": None, "first_word": None, "opener": None, "tokens_at": None}
        while len(generated) < max_tokens:
            logits, past = self.step(rest, past_len, past)
            past_len += len(rest)
            token = int(np.argmax(logits[0, -1]))
            now = (time.perf_counter() - start) * 1000
            if r["first_token"] is None:
                r["first_token"] = now
            if token in self.stop_ids:
                break
            generated.append(token)
            if len(generated) == tokens:
                r["tokens_at"] = now
            done = complete_words(self.tokenizer.decode(generated, skip_special_tokens=False))
            if done >= 1 and r["first_word"] is None:
                r["first_word"] = now
            if done >= words and r["opener"] is None:
                r["opener"] = now
            if done >= words and len(generated) >= tokens:
                break
            rest = [token]
        r["tokens"] = generated
        return r
