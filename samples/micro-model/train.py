#!/usr/bin/env python3
"""Trains the demo opener micro-model from scratch on the corpus of corpus/build_corpus.py.

    python train.py --corpus work/corpus --out work/checkpoint [--steps 6000] [--threads 2]

1. Trains a byte-level BPE tokenizer (vocab 4096; <|endoftext|>=0, <|im_start|>=1, <|im_end|>=2;
   ByteLevel pre-tokenizer and decoder) on the corpus text.
2. Trains a transformers LlamaForCausalLM (default: 5 layers, hidden 192, 4 heads / 2 KV heads,
   SwiGLU 512, RoPE theta 1e6, tied embeddings, 256 positions; about 2.8M parameters) on the
   ChatML-rendered conversations with the loss on the assistant tokens only (system/user turns and
   the "<|im_start|>assistant\\n" header are masked), AdamW + linear warm-up + cosine decay.
3. Saves a Hugging Face checkpoint (save_pretrained + tokenizer.json + tokenizer_config.json with the
   ChatML chat_template, eos <|im_end|>) to --out, plus train_stats.json (losses, time, parameters).

Deterministic for a given --seed on the same machine and thread count. Held-out loss is logged
every --eval-every steps. --max-minutes stops early (cosine schedule cut short) if the machine is
slower than planned; the checkpoint is still written.
"""
import argparse
import json
import math
import os
import random
import time

import torch

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
DEFAULT_SYSTEM = "You are a helpful assistant."
# ChatML; a system turn "You are a helpful assistant." is added when the conversation has none
# (the prompt the paper's reference demo uses, and what most of the training data has).
CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] != 'system' %}"
    "{{- '<|im_start|>system\\n" + DEFAULT_SYSTEM + "<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def train_tokenizer(convs, vocab_size):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS, min_frequency=2,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)

    def texts():
        for c in convs:
            for m in c["messages"]:
                yield m["role"] + "\n" + m["content"]
    tok.train_from_iterator(texts(), trainer=trainer)
    for i, s in enumerate(SPECIALS):
        assert tok.token_to_id(s) == i, (s, tok.token_to_id(s))
    return tok


def hf_tokenizer(tok):
    from transformers import PreTrainedTokenizerFast
    t = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                bos_token=None, unk_token=None, additional_special_tokens=["<|im_start|>"],
                                model_max_length=256, clean_up_tokenization_spaces=False)
    t.chat_template = CHAT_TEMPLATE
    return t


def portable_tokenizer_config(d):
    """transformers 5 writes tokenizer_class "TokenizersBackend" and a list-valued extra_special_tokens,
    which older transformers and other loaders do not know; write the long-standing equivalents."""
    p = os.path.join(d, "tokenizer_config.json")
    with open(p) as f:
        c = json.load(f)
    c.pop("backend", None)
    c["tokenizer_class"] = "PreTrainedTokenizerFast"
    extra = c.pop("extra_special_tokens", None)
    if isinstance(extra, list):
        c["additional_special_tokens"] = extra
    elif extra:
        c["extra_special_tokens"] = extra
    with open(p, "w") as f:
        json.dump(c, f, indent=2, ensure_ascii=False)
        f.write("\n")


def encode_conversation(tok, msgs, max_len):
    """ChatML ids and labels: labels = ids on assistant content + its <|im_end|>, -100 elsewhere.
    Segments are encoded separately; the boundaries are special tokens and '\\n', which the ByteLevel
    pre-tokenizer splits on anyway, so this equals encoding the whole rendered string."""
    IM_S, IM_E = 1, 2
    nl = tok.encode("\n").ids
    ids, labels = [], []
    if msgs[0]["role"] != "system":
        msgs = [{"role": "system", "content": DEFAULT_SYSTEM}] + msgs
    for m in msgs:
        head = [IM_S] + tok.encode(m["role"]).ids + nl
        body = tok.encode(m["content"]).ids + [IM_E]
        ids += head
        labels += [-100] * len(head)
        ids += body
        labels += body if m["role"] == "assistant" else [-100] * len(body)
        ids += nl
        labels += [-100] * len(nl)
    return ids[:max_len], labels[:max_len]


def batches(data, batch_tokens, rng, shuffle=True):
    """Length-bucketed batches (few pad tokens): shuffle, sort chunks of 50 batches by length."""
    idx = list(range(len(data)))
    if shuffle:
        rng.shuffle(idx)
    out = []
    chunk = 2000
    for s in range(0, len(idx), chunk):
        part = sorted(idx[s:s + chunk], key=lambda i: len(data[i][0]))
        cur = []
        for i in part:
            L = len(data[i][0])
            if cur and (len(cur) + 1) * L > batch_tokens:
                out.append(cur)
                cur = []
            cur.append(i)
        if cur:
            out.append(cur)
    if shuffle:
        rng.shuffle(out)
    return out


def collate(data, b):
    L = max(len(data[i][0]) for i in b)
    ids = torch.zeros((len(b), L), dtype=torch.long)
    lab = torch.full((len(b), L), -100, dtype=torch.long)
    att = torch.zeros((len(b), L), dtype=torch.long)
    for r, i in enumerate(b):
        x, y = data[i]
        ids[r, :len(x)] = torch.tensor(x)
        lab[r, :len(y)] = torch.tensor(y)
        att[r, :len(x)] = 1
    return ids, att, lab


@torch.no_grad()
def evaluate(model, data, batch_tokens):
    model.eval()
    tot, n = 0.0, 0
    for b in batches(data, batch_tokens, None, shuffle=False):
        ids, att, lab = collate(data, b)
        logits = model(input_ids=ids, attention_mask=att).logits[:, :-1].float()
        tgt = lab[:, 1:]
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt.reshape(-1),
                                                 ignore_index=-100, reduction="sum")
        tot += loss.item()
        n += (tgt != -100).sum().item()
    model.train()
    return tot / max(n, 1)


def main():
    ap = argparse.ArgumentParser(description="Train the demo opener micro-model.")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--corpus", default=os.path.join(here, "work", "corpus"))
    ap.add_argument("--out", default=os.path.join(here, "work", "checkpoint"))
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=4096)
    ap.add_argument("--layers", type=int, default=5)
    ap.add_argument("--hidden", type=int, default=192)
    ap.add_argument("--intermediate", type=int, default=512)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--batch-tokens", type=int, default=3072, help="padded tokens per batch")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--min-lr-frac", type=float, default=0.05)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--max-minutes", type=float, default=0, help="stop early after this many minutes (0 = no limit)")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    rng = random.Random(a.seed)

    train_c = read_jsonl(os.path.join(a.corpus, "train.jsonl"))
    held_c = read_jsonl(os.path.join(a.corpus, "heldout.jsonl"))
    log(f"corpus: {len(train_c)} train / {len(held_c)} held-out conversations")

    t0 = time.time()
    tok = train_tokenizer(train_c, a.vocab)
    log(f"tokenizer: vocab {tok.get_vocab_size()} in {time.time() - t0:.1f}s")
    train = [encode_conversation(tok, c["messages"], a.max_len) for c in train_c]
    held = [encode_conversation(tok, c["messages"], a.max_len) for c in held_c]
    n_tok = sum(len(x) for x, _ in train)
    n_lab = sum(sum(1 for t in y if t != -100) for _, y in train)
    log(f"train tokens {n_tok} (assistant/labelled {n_lab}), mean conversation {n_tok / len(train):.1f} tokens")

    from transformers import LlamaConfig, LlamaForCausalLM
    cfg = LlamaConfig(vocab_size=tok.get_vocab_size(), hidden_size=a.hidden, intermediate_size=a.intermediate,
                      num_hidden_layers=a.layers, num_attention_heads=a.heads, num_key_value_heads=a.kv_heads,
                      head_dim=a.hidden // a.heads, max_position_embeddings=a.max_len, rms_norm_eps=1e-5,
                      rope_theta=1e6, tie_word_embeddings=True, bos_token_id=1, eos_token_id=2, pad_token_id=0,
                      hidden_act="silu", attention_bias=False, mlp_bias=False, initializer_range=0.02)
    model = LlamaForCausalLM(cfg)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"model: {n_params:,} parameters ({a.layers} layers, hidden {a.hidden}, {a.heads}/{a.kv_heads} heads)")

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8)

    def lr_at(step):
        if step < a.warmup:
            return a.lr * (step + 1) / a.warmup
        p = min(1.0, (step - a.warmup) / max(1, a.steps - a.warmup))
        return a.lr * (a.min_lr_frac + (1 - a.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * p)))

    history = []
    model.train()
    step, epoch = 0, 0
    t_start = time.time()
    run_loss, run_n = 0.0, 0
    stopped_early = False
    held_loss = float("nan")
    while step < a.steps and not stopped_early:
        for b in batches(train, a.batch_tokens, rng):
            if step >= a.steps:
                break
            ids, att, lab = collate(train, b)
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            out = model(input_ids=ids, attention_mask=att, labels=lab)
            opt.zero_grad(set_to_none=True)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            run_loss += out.loss.item()
            run_n += 1
            step += 1
            if step % 50 == 0:
                el = time.time() - t_start
                log(f"step {step}/{a.steps} epoch {epoch} loss {run_loss / run_n:.4f} lr {lr_at(step):.2e} "
                    f"{el / step:.3f}s/step eta {(a.steps - step) * el / step / 60:.1f} min")
                history.append({"step": step, "train_loss": round(run_loss / run_n, 4)})
                run_loss, run_n = 0.0, 0
            if step % a.eval_every == 0 or step == a.steps:
                held_loss = evaluate(model, held, a.batch_tokens)
                log(f"step {step} held-out loss {held_loss:.4f} ppl {math.exp(held_loss):.3f}")
                history.append({"step": step, "heldout_loss": round(held_loss, 4)})
            if a.max_minutes and (time.time() - t_start) > a.max_minutes * 60:
                log(f"--max-minutes {a.max_minutes} reached at step {step}: stopping early")
                stopped_early = True
                break
        epoch += 1
    train_secs = time.time() - t_start
    if not history or "heldout_loss" not in history[-1]:
        held_loss = evaluate(model, held, a.batch_tokens)
        log(f"final held-out loss {held_loss:.4f} ppl {math.exp(held_loss):.3f}")
        history.append({"step": step, "heldout_loss": round(held_loss, 4)})

    os.makedirs(a.out, exist_ok=True)
    model.generation_config.eos_token_id = 2
    model.generation_config.pad_token_id = 0
    model.generation_config.bos_token_id = 1
    model.save_pretrained(a.out)
    hf_tokenizer(tok).save_pretrained(a.out)
    portable_tokenizer_config(a.out)
    stats = {"parameters": n_params, "steps": step, "planned_steps": a.steps, "epochs": round(step * 1.0 / max(1, len(batches(train, a.batch_tokens, random.Random(0)))), 2),
             "train_seconds": round(train_secs), "threads": a.threads, "heldout_loss": round(held_loss, 4),
             "heldout_ppl": round(math.exp(held_loss), 3), "train_tokens": n_tok, "train_label_tokens": n_lab,
             "train_conversations": len(train), "heldout_conversations": len(held), "stopped_early": stopped_early,
             "args": vars(a), "history": history}
    with open(os.path.join(a.out, "train_stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    log(f"saved checkpoint to {a.out} ({train_secs / 60:.1f} min of training)")

    # quick greedy sanity with PyTorch
    hf = hf_tokenizer(tok)
    model.eval()
    for q in ("Set a timer for 10 minutes", "What is the capital of Peru?"):
        p = hf.apply_chat_template([{"role": "user", "content": q}], add_generation_prompt=True, tokenize=False)
        x = torch.tensor([hf(p, add_special_tokens=False)["input_ids"]])
        with torch.no_grad():
            y = model.generate(x, max_new_tokens=20, do_sample=False, eos_token_id=2, pad_token_id=0)
        log(f"{q!r} -> {hf.decode(y[0, x.shape[1]:], skip_special_tokens=True)!r}")


if __name__ == "__main__":
    main()
