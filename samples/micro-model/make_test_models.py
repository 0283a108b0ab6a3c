#!/usr/bin/env python3
"""Create the tiny random-weight test models the Java decoder is tested against.

Usage:
    python make_test_models.py [--models-root runtime/src/test/resources/models]
                               [--checkpoint-root samples/micro-model/work/test-checkpoints]
                               [--only tiny-gqa|tiny-mha|tiny-gqa-last|tiny-gqa-fused|tiny-mha-fused]
                               [--no-reference]

For each model this script (deterministically, seeded):
  1. trains a small byte-level BPE tokenizer with the `tokenizers` library on the built-in
     English text below (ByteLevel pre-tokenizer add_prefix_space=false, ByteLevel decoder,
     special tokens <|endoftext|>=0, <|im_start|>=1, <|im_end|>=2 like Swen-28M's tokenizer),
     and writes tokenizer_config.json with a ChatML chat_template, eos_token <|im_end|>,
     bos_token null, pad_token <|endoftext|>;
  2. builds a random-initialized transformers model (see MODELS) and saves the HF checkpoint
     to CHECKPOINT_ROOT/<name>/ (git-ignored; reference_outputs.py reads it);
  3. exports it with export.py (fp32 + int8, verified against transformers; --logits all and
     --graph plain, the layout they were made with before export.py's defaults became last and
     fused) into MODELS_ROOT/<name>/;
  4. unless --no-reference, runs reference_outputs.py to write MODELS_ROOT/<name>/reference.json.
Then it exports the twins (TWINS): the checkpoint of one of these models exported otherwise.

Models:
  tiny-gqa  LlamaForCausalLM, 2 layers, hidden 64, 4 heads / 2 KV heads (head_dim 16),
            SwiGLU 160, rope_theta 1e6, RMSNorm eps 1e-5, tied embeddings, 256 positions,
            vocab 640.
  tiny-mha  Qwen2ForCausalLM with (random, non-zero) q/k/v biases, 3 layers, hidden 48,
            3 heads / 3 KV heads (head_dim 16), SwiGLU 128, rope_theta 1e4, RMSNorm eps 1e-6,
            untied embeddings, 256 positions, vocab 600.
Random weights: N(0, 0.1) embeddings / lm_head, N(0, 0.3) projection matrices, RMSNorm gains
1 + N(0, 0.1), Qwen2 biases N(0, 0.1). With the usual std (0.02-0.1) for the projections the
residual stream is dominated by the current token's embedding and greedy decoding repeats one
or two tokens (with tied embeddings a token predicts itself); std 0.3 gives varied greedy
continuations with clear top-1 margins. The script checks the continuations are varied.
In tiny-mha (untied) the lm_head row of <|im_end|> is scaled by 1.5 so that one of the
reference cases (text-story) stops on eos after 16 tokens while the others run to 24.

Twins (fp32 only, no reference.json; the Java tests decode with each and its model and compare
the two):
  tiny-gqa-last   the tiny-gqa checkpoint exported with --logits last --graph plain (logits
                  [batch, 1, vocab]).
  tiny-gqa-fused  the tiny-gqa checkpoint exported with export.py's defaults, --logits last
                  --graph fused (ONNX Runtime's GroupQueryAttention, RotaryEmbedding,
                  SkipSimplifiedLayerNormalization).
  tiny-mha-fused  the same for tiny-mha (q/k/v biases, untied embeddings, as many KV heads as
                  heads).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_MODELS_ROOT = os.path.join(REPO, "runtime", "src", "test", "resources", "models")
DEFAULT_CHECKPOINT_ROOT = os.path.join(HERE, "work", "test-checkpoints")

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
DEFAULT_SYSTEM = "You are a helpful assistant"

# ChatML. A default system turn (the paper's "You are a helpful assistant") is added when
# the conversation does not start with one.
CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] != 'system' -%}"
    "{{- '<|im_start|>system\\n" + DEFAULT_SYSTEM + "<|im_end|>\\n' -}}"
    "{%- endif -%}"
    "{%- for message in messages -%}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}"
    "{{- '<|im_start|>assistant\\n' -}}"
    "{%- endif -%}"
)

MODELS = {
    "tiny-gqa": dict(
        arch="llama", vocab=640, seed=1234, embed_std=0.1, weight_std=0.3, bias_std=0.0,
        config=dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                    num_key_value_heads=2, head_dim=16, intermediate_size=160,
                    rope_theta=1e6, rms_norm_eps=1e-5, tie_word_embeddings=True,
                    max_position_embeddings=256)),
    "tiny-mha": dict(
        arch="qwen2", vocab=600, seed=4321, embed_std=0.1, weight_std=0.3, bias_std=0.1,
        eos_row_scale=1.5,
        config=dict(hidden_size=48, num_hidden_layers=3, num_attention_heads=3,
                    num_key_value_heads=3, intermediate_size=128,
                    rope_theta=1e4, rms_norm_eps=1e-6, tie_word_embeddings=False,
                    max_position_embeddings=256, use_sliding_window=False)),
}

# The checkpoint of a model of MODELS exported with other export.py options (no int8, no reference.json).
TWINS = {
    "tiny-gqa-last": dict(checkpoint="tiny-gqa", logits="last", graph="plain"),
    "tiny-gqa-fused": dict(checkpoint="tiny-gqa", logits="last", graph="fused"),
    "tiny-mha-fused": dict(checkpoint="tiny-mha", logits="last", graph="fused"),
}

# Built-in training text for the tokenizers (written for this project).
CORPUS = """\
The weather today is mild and bright, with a light breeze from the west. In the morning the
streets were quiet, and the baker on the corner opened his shop a little earlier than usual.
People walked to work, children ran to school, and the city slowly came to life.

A micro language model is a very small neural network that can run on a phone, a watch or a
tiny computer. It does not know as much as a large model in the cloud, but it is fast. It can
write the first few words of an answer while the large model is still thinking. When the
cloud model is ready, it continues the sentence, and the user hears one smooth reply.

Once upon a time, there was a little fox who lived at the edge of a great forest. Every
evening the fox sat on a hill and watched the stars. One night a bright star fell from the
sky, and the fox decided to find it. She walked through the forest, crossed a river, and
climbed a mountain. At the top she found an old owl, who told her that the star had become
a lantern in the village below.

Here are three tips for better sleep. First, go to bed at the same time every night. Second,
keep your room cool, dark and quiet. Third, avoid coffee and bright screens in the evening.
If you still cannot sleep, get up, read a book for a while, and try again later.

What is the capital of France? The capital of France is Paris. Paris is known for its
museums, its cafes and the river that runs through the middle of the city. Many visitors
come every year to see the art, to walk along the water, and to enjoy the food.

How do I make a cup of tea? Boil fresh water, warm the pot, and add one spoon of tea for
each cup. Pour the water over the leaves and wait three to five minutes. Then pour the tea
into a cup, and add milk, sugar or lemon if you like.

Can you help me plan a trip? Of course! Tell me where you would like to go, how many days you
have, and what you enjoy doing. I can suggest places to visit, things to eat, and ways to
travel between cities. A good plan leaves some time for rest and for surprises.

The computer program reads a file, counts the words, and prints the result. If the file is
empty, it prints zero. Programs like this are simple, but they teach us how to think about
input, output and the steps in between. Good code is easy to read and easy to change.

Thank you for your question. I think the answer depends on what you need. If you want speed,
choose the small model. If you want a long and careful answer, ask the large model. Many
systems use both: the small one starts, and the large one finishes.

Water boils at one hundred degrees Celsius at sea level. On a high mountain the air pressure
is lower, so water boils at a lower temperature. This is why cooking takes longer in the
mountains. Scientists measure these things with care, and they share what they learn.

The garden was full of flowers: red roses, yellow tulips, and small blue flowers whose names
nobody could remember. An old man came every day to water them. He said that a garden is like
a conversation; you have to listen before you answer.

I'm sorry, but I don't know the answer to that question. Could you tell me a bit more about
what you mean? Sometimes a question has more than one answer, and it helps to know why you are
asking. Let's work it out together, step by step.

Numbers are everywhere: 1, 2, 3, 10, 42, 100, 2024. We use them to count apples, to measure
time, and to describe the world. A minute has 60 seconds, an hour has 60 minutes, and a day
has 24 hours.
"""


def train_tokenizer(vocab_size: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=1, special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    lines = [l for l in CORPUS.split("\n") if l.strip()]
    tok.train_from_iterator(lines, trainer)
    for i, t in enumerate(SPECIAL_TOKENS):
        assert tok.token_to_id(t) == i, f"special token {t} is not id {i}"
    return tok


def tokenizer_config(model_max_length: int) -> dict:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": None,
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "unk_token": None,
        "add_bos_token": False,
        "add_eos_token": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": model_max_length,
        "chat_template": CHAT_TEMPLATE,
    }


def randomize_weights(model, seed: int, embed_std: float, weight_std: float, bias_std: float):
    """Weights larger than the usual init, so greedy continuations vary, drawn in parameter-name order from ``seed``."""
    import torch
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for pname, p in sorted(model.named_parameters()):
            if pname.endswith("norm.weight"):
                # non-trivial RMSNorm gains, so a Java implementation that ignores them fails
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            elif pname.endswith(".bias"):
                p.copy_(bias_std * torch.randn(p.shape, generator=g))
            elif "embed_tokens" in pname or "lm_head" in pname:
                p.copy_(embed_std * torch.randn(p.shape, generator=g))
            else:
                p.copy_(weight_std * torch.randn(p.shape, generator=g))


def build_checkpoint(name: str, spec: dict, ckpt_dir: str):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

    tok = train_tokenizer(spec["vocab"])
    vocab = tok.get_vocab_size()
    common = dict(vocab_size=vocab, bos_token_id=1, eos_token_id=2, pad_token_id=0,
                  initializer_range=spec["embed_std"], hidden_act="silu")
    if spec["arch"] == "llama":
        cfg = LlamaConfig(**common, **spec["config"])
        cls = LlamaForCausalLM
    else:
        cfg = Qwen2Config(**common, **spec["config"])
        cls = Qwen2ForCausalLM
    torch.manual_seed(spec["seed"])
    model = cls(cfg).to(torch.float32).eval()
    randomize_weights(model, spec["seed"] + 1, spec["embed_std"], spec["weight_std"], spec["bias_std"])
    with torch.no_grad():
        if spec.get("eos_row_scale"):
            # make <|im_end|> likely enough that one reference case stops on eos
            model.lm_head.weight[2] *= spec["eos_row_scale"]
    if cfg.tie_word_embeddings:
        model.tie_weights()
    if os.path.isdir(ckpt_dir):
        shutil.rmtree(ckpt_dir)
    os.makedirs(ckpt_dir)
    model.save_pretrained(ckpt_dir)
    tok.save(os.path.join(ckpt_dir, "tokenizer.json"))
    with open(os.path.join(ckpt_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_config(cfg.max_position_embeddings), f, indent=2)
        f.write("\n")
    gen = {"bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0, "do_sample": False}
    with open(os.path.join(ckpt_dir, "generation_config.json"), "w", encoding="utf-8") as f:
        json.dump(gen, f, indent=2)
        f.write("\n")
    return model


def check_not_degenerate(ckpt_dir: str, name: str):
    """Greedy continuations of a few prompts must be varied (not one repeated token)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    tok = AutoTokenizer.from_pretrained(ckpt_dir)
    model = AutoModelForCausalLM.from_pretrained(ckpt_dir, dtype=torch.float32).eval()
    distinct = []
    for text in ["The weather today is", "Once upon a time", "How do I make a cup of tea?"]:
        ids = tok(text, add_special_tokens=False, return_tensors="pt").input_ids
        with torch.no_grad():
            out = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False,
                                 max_new_tokens=24, eos_token_id=2, pad_token_id=0)
        cont = out[0, ids.shape[1]:].tolist()
        distinct.append(len(set(cont)))
    print(f"  {name}: distinct tokens in 24-token greedy continuations: {distinct}")
    if min(distinct) < 4:
        raise SystemExit(f"{name}: greedy decoding is degenerate ({distinct}); adjust embed_std/weight_std/seed")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Create the tiny test models (see module doc).")
    ap.add_argument("--models-root", default=DEFAULT_MODELS_ROOT)
    ap.add_argument("--checkpoint-root", default=DEFAULT_CHECKPOINT_ROOT)
    ap.add_argument("--only", choices=sorted(MODELS) + sorted(TWINS), action="append")
    ap.add_argument("--no-reference", action="store_true", help="do not run reference_outputs.py")
    args = ap.parse_args(argv)

    sys.path.insert(0, HERE)
    import export

    names = args.only or sorted(MODELS) + sorted(TWINS)
    built = set()
    for name in names:
        twin = TWINS.get(name)
        checkpoint_name = twin["checkpoint"] if twin else name
        ckpt = os.path.join(args.checkpoint_root, checkpoint_name)
        out = os.path.join(args.models_root, name)
        print(f"== {name}")
        if checkpoint_name not in built:
            build_checkpoint(checkpoint_name, MODELS[checkpoint_name], ckpt)
            check_not_degenerate(ckpt, checkpoint_name)
            built.add(checkpoint_name)
        if os.path.isdir(out):
            shutil.rmtree(out)
        try:
            if twin:
                export.run(ckpt, out, int8=False, opset=17, logits=twin["logits"], graph=twin["graph"])
            else:
                export.run(ckpt, out, int8=True, opset=17, logits=export.LOGITS_ALL, graph=export.GRAPH_PLAIN)
        except export.ExportError as e:
            print(f"export failed for {name}: {e}", file=sys.stderr)
            return 2
    with_reference = [n for n in names if n in MODELS]
    if not args.no_reference and with_reference:
        import reference_outputs
        rc = reference_outputs.main(["--models-root", args.models_root,
                                     "--checkpoint-root", args.checkpoint_root]
                                    + sum((["--only", n] for n in with_reference), []))
        if rc:
            return rc
    for name in names:
        out = os.path.join(args.models_root, name)
        total = 0
        for f in sorted(os.listdir(out)):
            size = os.path.getsize(os.path.join(out, f))
            total += size
            print(f"  {name}/{f}: {size / 1024:.1f} KiB")
        print(f"  {name}: total {total / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
