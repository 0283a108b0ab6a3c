#!/usr/bin/env python3
"""Create a Swen-28M-SHAPED random-weight model for latency benchmarks (not for quality).

Usage:
    python make_bench_model.py --out DIR [--int8] [--corpus-mb 24] [--corpus FILE_OR_DIR ...]
                               [--keep-checkpoint DIR] [--all-logits-file NAME] [--plain-graph-file NAME]

Shape (the paper's Swen-28M, 28,844,544 parameters): LlamaForCausalLM, 8 layers, hidden 512,
8 heads / 2 KV heads (head_dim 64), SwiGLU 1408, RMSNorm eps 1e-5, RoPE theta 1e6,
tied embeddings, no biases, vocab 12,288, 32,768 positions.  The output directory has the
same layout as any exported model (model.onnx ~115 MB fp32, model.int8.onnx ~29 MB,
config.json, tokenizer.json, tokenizer_config.json with the ChatML template); do not commit it.

Tokenizer: a byte-level BPE (same settings and special tokens as the test models:
<|endoftext|>=0, <|im_start|>=1, <|im_end|>=2) trained on whatever English-ish text is on
the machine offline, in this order, up to --corpus-mb megabytes: the built-in text of
make_test_models.py, then --corpus paths if given, then /usr/share/doc (*.txt, *.md, *.rst,
README*, copyright, changelog*.gz), then the Python standard library's *.py sources.  If the
text yields fewer than 12,288 tokens, the vocabulary is padded with unused special tokens
<|reserved_N|> so that vocab_size is exactly 12,288 (the line "padded N" is printed).  The
tokens are therefore not Swen's, but the shapes, the vocabulary size and the tokenizer
machinery (byte-level BPE, ~12k merges) are, which is what latency depends on.

Weights: N(0, 0.05) tied embeddings (logit std ~1, so the fp32 verification stays well inside
1e-4), N(0, 0.1) projections (about 0.3 * sqrt(64/512), as in the test models, so greedy
decoding is not stuck on one token), RMSNorm gains 1 + N(0, 0.1).
The export goes through export.py, including its ONNX Runtime vs transformers verification, with
its defaults --logits last --graph fused; --all-logits-file NAME also writes the same weights
exported with --logits all (fp32, every position's logits) as DIR/NAME, and --plain-graph-file
NAME with --graph plain (fp32, standard ONNX operators only), to measure what each costs.
"""
from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import shutil
import sys
import sysconfig
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB = 12288
SEED = 2604


def iter_corpus_files(extra_paths):
    for p in extra_paths:
        if os.path.isdir(p):
            for f in sorted(glob.glob(os.path.join(p, "**", "*"), recursive=True)):
                if os.path.isfile(f):
                    yield f
        elif os.path.isfile(p):
            yield p
    doc = "/usr/share/doc"
    if os.path.isdir(doc):
        pats = ["*.txt", "*.md", "*.rst", "README*", "copyright", "changelog*.gz", "NEWS*"]
        files = set()
        for pat in pats:
            files.update(glob.glob(os.path.join(doc, "**", pat), recursive=True))
        yield from sorted(f for f in files if os.path.isfile(f))
    stdlib = sysconfig.get_paths().get("stdlib")
    if stdlib and os.path.isdir(stdlib):
        yield from sorted(f for f in glob.glob(os.path.join(stdlib, "*.py")) if os.path.isfile(f))
        yield from sorted(f for f in glob.glob(os.path.join(stdlib, "*", "*.py"))
                          if os.path.isfile(f) and "site-packages" not in f and "/test" not in f)


def read_text(path):
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read(4_000_000)
        else:
            with open(path, "rb") as f:
                data = f.read(4_000_000)
        if b"\x00" in data[:4096]:
            return None
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError, EOFError):
        return None


def collect_corpus(budget_bytes, extra_paths):
    import make_test_models
    texts = [make_test_models.CORPUS]
    total = len(make_test_models.CORPUS)
    nfiles = 0
    for path in iter_corpus_files(extra_paths):
        if total >= budget_bytes:
            break
        t = read_text(path)
        if not t:
            continue
        texts.append(t)
        total += len(t.encode("utf-8"))
        nfiles += 1
    return texts, total, nfiles


def train_tokenizer(texts):
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers
    import make_test_models
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB, min_frequency=2, special_tokens=make_test_models.SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)

    def lines():
        for t in texts:
            for line in t.splitlines():
                if line.strip():
                    yield line
    tok.train_from_iterator(lines(), trainer)
    padded = VOCAB - tok.get_vocab_size()
    if padded > 0:
        tok.add_special_tokens([AddedToken(f"<|reserved_{i}|>", special=True, normalized=False)
                                for i in range(padded)])
    for i, t in enumerate(make_test_models.SPECIAL_TOKENS):
        assert tok.token_to_id(t) == i
    assert tok.get_vocab_size() == VOCAB, tok.get_vocab_size()
    return tok, max(padded, 0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Create a Swen-28M-shaped random-weight ONNX model.")
    ap.add_argument("--out", required=True, help="output model directory")
    ap.add_argument("--int8", action="store_true", help="also write model.int8.onnx")
    ap.add_argument("--corpus", action="append", default=[], help="extra tokenizer training text")
    ap.add_argument("--corpus-mb", type=float, default=24.0, help="tokenizer text budget (MB)")
    ap.add_argument("--keep-checkpoint", help="also keep the transformers checkpoint here")
    ap.add_argument("--all-logits-file", help="also write the fp32 export with every position's logits "
                                              "(export.py --logits all) under this name in --out")
    ap.add_argument("--plain-graph-file", help="also write the fp32 export of standard ONNX operators only "
                                               "(export.py --graph plain) under this name in --out")
    args = ap.parse_args(argv)

    sys.path.insert(0, HERE)
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    import export
    import make_test_models

    t0 = time.time()
    texts, nbytes, nfiles = collect_corpus(int(args.corpus_mb * 1e6), args.corpus)
    tok, padded = train_tokenizer(texts)
    print(f"tokenizer: trained on {nbytes / 1e6:.1f} MB from {nfiles} files in {time.time() - t0:.0f} s; "
          f"vocab {tok.get_vocab_size()}, padded {padded}")

    cfg = LlamaConfig(
        vocab_size=VOCAB, hidden_size=512, intermediate_size=1408, num_hidden_layers=8,
        num_attention_heads=8, num_key_value_heads=2, head_dim=64, hidden_act="silu",
        max_position_embeddings=32768, rms_norm_eps=1e-5, rope_theta=1e6,
        tie_word_embeddings=True, attention_bias=False, mlp_bias=False,
        bos_token_id=1, eos_token_id=2, pad_token_id=0, initializer_range=0.1)
    torch.manual_seed(SEED)
    model = LlamaForCausalLM(cfg).to(torch.float32).eval()
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            elif "embed_tokens" in name:
                p.copy_(0.05 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
    model.tie_weights()
    nparams = sum(p.numel() for p in model.parameters())
    print(f"model: {nparams:,} parameters (Swen-28M: 28,844,544)")

    with tempfile.TemporaryDirectory() as tmp:
        ckpt = args.keep_checkpoint or os.path.join(tmp, "checkpoint")
        os.makedirs(ckpt, exist_ok=True)
        model.save_pretrained(ckpt)
        tok.save(os.path.join(ckpt, "tokenizer.json"))
        with open(os.path.join(ckpt, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(make_test_models.tokenizer_config(cfg.max_position_embeddings), f, indent=2)
            f.write("\n")
        with open(os.path.join(ckpt, "generation_config.json"), "w", encoding="utf-8") as f:
            json.dump({"bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0}, f, indent=2)
            f.write("\n")
        try:
            export.run(ckpt, args.out, int8=args.int8, opset=17)
            if args.all_logits_file:
                all_logits = os.path.join(tmp, "all-logits")
                export.run(ckpt, all_logits, opset=17, logits=export.LOGITS_ALL)
                shutil.copyfile(os.path.join(all_logits, "model.onnx"), os.path.join(args.out, args.all_logits_file))
            if args.plain_graph_file:
                plain = os.path.join(tmp, "plain")
                export.run(ckpt, plain, opset=17, graph=export.GRAPH_PLAIN)
                shutil.copyfile(os.path.join(plain, "model.onnx"), os.path.join(args.out, args.plain_graph_file))
        except export.ExportError as e:
            print(f"make_bench_model.py: error: {e}", file=sys.stderr)
            return 2
    with open(os.path.join(args.out, "BENCH_MODEL.txt"), "w", encoding="utf-8") as f:
        f.write("Random-weight Swen-28M-shaped model for latency benchmarks only (make_bench_model.py).\n"
                f"Tokenizer trained on {nbytes / 1e6:.1f} MB of local text; padded with {padded} "
                f"<|reserved_N|> tokens.\n")
    print(f"done in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
