#!/usr/bin/env python3
"""Write reference.json for each test model: what the Java decoder must reproduce.

Usage:
    python reference_outputs.py [--models-root runtime/src/test/resources/models]
                                [--checkpoint-root samples/micro-model/work/test-checkpoints]
                                [--only tiny-gqa|tiny-mha]

Inputs per model NAME: the exported model directory MODELS_ROOT/NAME (tokenizer files,
model.onnx) and the transformers checkpoint CHECKPOINT_ROOT/NAME written by
make_test_models.py (run that first; it also calls this script).

The reference is produced by transformers (greedy `model.generate`) and cross-checked with
ONNX Runtime on model.onnx: the greedy ids must be identical and the logits within 1e-4,
otherwise the script fails.

reference.json schema ("handoff-reference-v2"; v1 stored only the first 6 logits rows):
{
  "schema": "handoff-reference-v2",
  "model": "tiny-gqa",                      # directory name
  "generated_by": "samples/micro-model/reference_outputs.py",
  "versions": {"torch": .., "transformers": .., "tokenizers": .., "onnxruntime": ..},
  "vocab_size": 640,                        # = length of every logits row
  "eos_token_id": 2,                        # <|im_end|>; generation stops after emitting it
  "max_new_tokens": 24,
  "logits_decimals": 5,                     # logits are rounded to this many decimals
  "onnx_max_abs_diff": 3.1e-06,             # max |ORT fp32 - transformers| over all stored rows
  "cases": [
    {
      "name": "chat-multi-turn",
      "kind": "text" | "chat",
      "messages": [{"role": "user", "content": ".."}, ..],   # chat cases only
      "prompt_text": "..",                  # the exact string encoded (chat: the ChatML text from
                                            #   apply_chat_template(messages, add_generation_prompt=True,
                                            #   tokenize=False))
      "prompt_ids": [..],                   # tokenizer(prompt_text, add_special_tokens=False)
      "continuation_ids": [..],             # greedy ids (do_sample=False, max_new_tokens=24),
                                            #   including the final eos id if it was emitted
      "continuation_text": "..",            # tokenizer.decode(continuation_ids, skip_special_tokens=False)
      "stopped_on_eos": false,
      "logits": [[..vocab_size floats..], ..],
                                            # one row per continuation step, len(logits) ==
                                            #   len(continuation_ids); logits[k] = raw float32 logits that chose
                                            #   continuation_ids[k]: row 0 is the last prompt position
                                            #   of the prefill, row k>0 the single-token step that fed
                                            #   continuation_ids[k-1] (position len(prompt_ids)+k-1)
      "min_top1_margin": 0.21               # smallest (top1 - top2) logit gap over all greedy steps;
                                            #   a tie-breaking difference can only occur below ~1e-4
    }, ..
  ]
}
"""
from __future__ import annotations

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_MODELS_ROOT = os.path.join(REPO, "runtime", "src", "test", "resources", "models")
DEFAULT_CHECKPOINT_ROOT = os.path.join(HERE, "work", "test-checkpoints")
MODEL_NAMES = ("tiny-gqa", "tiny-mha")

MAX_NEW_TOKENS = 24
DECIMALS = 5
EOS_ID = 2
PAD_ID = 0
TOLERANCE = 1e-4

CASES = [
    {"name": "text-weather", "kind": "text", "text": "The weather today is"},
    {"name": "text-story", "kind": "text", "text": "Once upon a time, there was a little fox who"},
    {"name": "text-unicode", "kind": "text",
     "text": "Caf\u00e9 au lait costs 3\u20ac \u2014 na\u00efve question? \U0001F60A\nAnswer:"},
    {"name": "chat-single-turn", "kind": "chat",
     "messages": [{"role": "user", "content": "What is the capital of France?"}]},
    {"name": "chat-with-system", "kind": "chat",
     "messages": [{"role": "system", "content": "You are a concise assistant."},
                  {"role": "user", "content": "Give me three tips for better sleep."}]},
    {"name": "chat-multi-turn", "kind": "chat",
     "messages": [{"role": "user", "content": "Can you help me plan a trip?"},
                  {"role": "assistant", "content": "Of course! Where would you like to go?"},
                  {"role": "user", "content": "Paris, for three days."}]},
]


def compact_json(obj) -> str:
    """Indented JSON, except that lists of numbers are written on one line."""
    def enc(o, indent):
        pad = "  " * indent
        if isinstance(o, dict):
            if not o:
                return "{}"
            items = [f'{pad}  {json.dumps(k)}: {enc(v, indent + 1)}' for k, v in o.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        if isinstance(o, list):
            if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in o):
                return "[" + ",".join(json.dumps(x) for x in o) + "]"
            if not o:
                return "[]"
            items = [pad + "  " + enc(v, indent + 1) for v in o]
            return "[\n" + ",\n".join(items) + "\n" + pad + "]"
        return json.dumps(o, ensure_ascii=False)
    return enc(obj, 0) + "\n"


def make_reference(name: str, model_dir: str, ckpt_dir: str) -> dict:
    import numpy as np
    import onnxruntime
    import tokenizers
    import torch
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer

    sys.path.insert(0, HERE)
    import export

    if not os.path.isfile(os.path.join(ckpt_dir, "config.json")):
        raise SystemExit(f"{ckpt_dir} not found: run make_test_models.py first")
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(ckpt_dir, dtype=torch.float32).eval()
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        spec = export.spec_from_config(json.load(f))
    fp32 = export.OrtDecoder(os.path.join(model_dir, "model.onnx"), spec)

    worst = 0.0
    cases = []
    for case in CASES:
        if case["kind"] == "chat":
            text = tok.apply_chat_template(case["messages"], add_generation_prompt=True, tokenize=False)
        else:
            text = case["text"]
        prompt_ids = tok(text, add_special_tokens=False)["input_ids"]
        ids = torch.tensor([prompt_ids], dtype=torch.int64)
        with torch.no_grad():
            out = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False,
                                 max_new_tokens=MAX_NEW_TOKENS, eos_token_id=EOS_ID,
                                 pad_token_id=PAD_ID, output_logits=True,
                                 return_dict_in_generate=True)
        cont = out.sequences[0, len(prompt_ids):].tolist()
        hf_logits = np.stack([l[0].float().numpy() for l in out.logits])  # [steps, vocab]
        assert hf_logits.shape[0] == len(cont)

        # ONNX Runtime cross-check: same greedy ids, logits within tolerance.
        ort_ids = []
        ort_rows = []
        past = fp32.empty_past(1)
        seq = list(prompt_ids)
        cur = list(prompt_ids)
        for _ in range(MAX_NEW_TOKENS):
            n = len(seq) - len(cur)
            logits, past = fp32.step([cur], [[1] * len(seq)], [list(range(n, len(seq)))], past)
            row = logits[0, -1]
            ort_rows.append(row)
            nxt = int(np.argmax(row))
            ort_ids.append(nxt)
            if nxt == EOS_ID:
                break
            seq.append(nxt)
            cur = [nxt]
        if ort_ids != cont:
            raise SystemExit(f"{name}/{case['name']}: ONNX greedy ids {ort_ids} != transformers {cont}")
        diff = float(np.max(np.abs(np.stack(ort_rows) - hf_logits)))
        worst = max(worst, diff)
        if diff >= TOLERANCE:
            raise SystemExit(f"{name}/{case['name']}: ONNX logits differ from transformers by {diff:.2e}")

        top2 = np.sort(hf_logits, axis=-1)[:, -2:]
        margin = float(np.min(top2[:, 1] - top2[:, 0]))
        entry = {"name": case["name"], "kind": case["kind"]}
        if case["kind"] == "chat":
            entry["messages"] = case["messages"]
        entry.update({
            "prompt_text": text,
            "prompt_ids": prompt_ids,
            "continuation_ids": cont,
            "continuation_text": tok.decode(cont, skip_special_tokens=False),
            "stopped_on_eos": bool(cont and cont[-1] == EOS_ID),
            "logits": [[round(float(x), DECIMALS) for x in row] for row in hf_logits],
            "min_top1_margin": round(margin, 6),
        })
        cases.append(entry)
        print(f"  {name}/{case['name']}: {len(prompt_ids)} prompt ids, {len(cont)} new, "
              f"eos={entry['stopped_on_eos']}, min margin {margin:.3f}, ort diff {diff:.1e}, "
              f"text {entry['continuation_text'][:40]!r}")
        if margin < 1e-3:
            print(f"  warning: {name}/{case['name']} has a near-tie (margin {margin:.2e})", file=sys.stderr)

    return {
        "schema": "handoff-reference-v2",
        "model": name,
        "generated_by": "samples/micro-model/reference_outputs.py",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "tokenizers": tokenizers.__version__, "onnxruntime": onnxruntime.__version__},
        "vocab_size": spec.vocab_size,
        "eos_token_id": EOS_ID,
        "max_new_tokens": MAX_NEW_TOKENS,
        "logits_decimals": DECIMALS,
        "onnx_max_abs_diff": float(f"{worst:.2e}"),
        "cases": cases,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Write reference.json for the test models.")
    ap.add_argument("--models-root", default=DEFAULT_MODELS_ROOT)
    ap.add_argument("--checkpoint-root", default=DEFAULT_CHECKPOINT_ROOT)
    ap.add_argument("--only", choices=MODEL_NAMES, action="append")
    args = ap.parse_args(argv)
    import torch
    torch.manual_seed(0)
    for name in args.only or MODEL_NAMES:
        model_dir = os.path.join(args.models_root, name)
        ref = make_reference(name, model_dir, os.path.join(args.checkpoint_root, name))
        path = os.path.join(model_dir, "reference.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(compact_json(ref))
        print(f"  wrote {path} ({os.path.getsize(path) / 1024:.1f} KiB, "
              f"onnx max abs diff {ref['onnx_max_abs_diff']:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
