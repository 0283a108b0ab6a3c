#!/usr/bin/env python3
"""Builds the broken model files the Java loader's error tests use (tiny, deterministic).

Run with the sample's venv (the ``onnx`` package; no torch needed, no network):

    samples/micro-model/.venv/bin/python samples/micro-model/reference/bad_models.py

Writes into ``runtime/src/test/resources/models/bad/``:

* ``no-kv-cache.onnx`` (~6 KB): a valid ONNX causal-LM-shaped graph for the vocabulary of the
  ``tiny-gqa`` test model (640) with ``input_ids``, ``attention_mask``, ``position_ids`` and
  ``logits [batch, seq, 640]`` but WITHOUT the KV cache (no ``past_key_values.N.key|value`` inputs,
  no ``present.N.key|value`` outputs), i.e. what a plain ``torch.onnx.export(model, input_ids)``
  or an exporter run without ``--with-past`` gives. The opener must refuse it with a message that
  names the file and says to export with ``samples/micro-model/export.py``.
* ``unknown-fused-op.onnx`` (~6 KB): the same graph with one node of ONNX Runtime's ``com.microsoft``
  domain that no ONNX Runtime has (``NoSuchFusedOperator``), which is what a runtime or execution
  provider without the fused operators of ``export.py --graph fused`` meets. The opener must say
  to re-export with ``--graph plain``.
* ``garbage.onnx`` (1 KB): seeded random bytes, not a protobuf at all.

The tests put these files next to the tiny-gqa ``config.json`` and tokenizer in a temporary
directory (``ModelErrorsTest``).
"""
from __future__ import annotations

import os
import random
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "runtime", "src", "test", "resources", "models", "bad"))
VOCAB = 640  # tiny-gqa


def no_kv_cache_model(fused_op: str | None = None) -> onnx.ModelProto:
    rng = np.random.default_rng(2604)
    embedding = numpy_helper.from_array(rng.standard_normal((VOCAB, 1)).astype(np.float32), "embed")
    head = numpy_helper.from_array(rng.standard_normal((1, VOCAB)).astype(np.float32), "head")
    nodes = [
        helper.make_node("Gather", ["embed", "input_ids"], ["hidden"], axis=0),  # [b, s, 1]
        helper.make_node("MatMul", ["hidden", "head"], ["logits"]),  # [b, s, vocab]
    ]
    opsets = [helper.make_opsetid("", 17)]
    if fused_op:
        nodes[1].output[0] = "projected"
        nodes.append(helper.make_node(fused_op, ["projected"], ["logits"], domain="com.microsoft"))
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    graph = helper.make_graph(
        nodes, "no_kv_cache",
        inputs=[
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch", "seq"]),
        ],
        outputs=[helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", VOCAB])],
        initializer=[embedding, head])
    model = helper.make_model(graph, opset_imports=opsets, producer_name="quarkus-handoff bad_models.py")
    model.ir_version = 8
    if not fused_op:
        onnx.checker.check_model(model, full_check=True)  # onnx knows no com.microsoft operator
    return model


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "no-kv-cache.onnx")
    onnx.save(no_kv_cache_model(), path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    path = os.path.join(OUT, "unknown-fused-op.onnx")
    onnx.save(no_kv_cache_model("NoSuchFusedOperator"), path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    garbage = random.Random(2604).randbytes(1024)
    path = os.path.join(OUT, "garbage.onnx")
    with open(path, "wb") as f:
        f.write(garbage)
    print(f"wrote {path} ({len(garbage)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
