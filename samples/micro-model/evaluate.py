#!/usr/bin/env python3
"""Evaluates the exported demo opener model (ONNX, as shipped) on the held-out split.

    python evaluate.py [--model model] [--corpus work/corpus] [--limit 400] [--json work/eval.json]
                       [--card model/MODEL_CARD.md --train-stats work/checkpoint/train_stats.json]

* Held-out perplexity: exp(mean cross-entropy) over the assistant tokens (reply + <|im_end|>) of every
  held-out conversation, prompt tokens masked exactly as in training; for model.onnx and model.int8.onnx.
* Opener check over held-out prompts (first --limit, a fixed seeded sample): an opener of up to 8 words is
  decoded with the KV cache, greedy and with temperature 0.5 then top-p 0.9 (the paper's sampling), words
  being committed only at a whitespace/EOS boundary, max 24 new tokens. Reported shares:
    - complete words: the opener stopped at a word boundary (8 words or end of reply) and not at the
      token budget, and every word is a real word (seen in the corpus, in WordNet, or a number);
    - grammatical start: capitalized (or a number), first word is a known reply opening word
      (one that starts >= 3 training replies), no repeated word bigram;
    - mentions key: the opener contains the prompt's key entity or intent word (e.g. "Peru"/"Lima",
      "10"/"ten"/"timer"), over the prompts that have one;
    - distinct: unique openers / prompts (low = one template recited for everything).
Prints markdown tables; --card writes model/MODEL_CARD.md from these results and train_stats.json.
"""
import argparse
import json
import math
import os
import random
import re
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_WORDS = 8
MAX_NEW_TOKENS = 24
FIXED_PROMPTS = ["Set a timer for 10 minutes", "What is the capital of Peru?"]


class Model:
    def __init__(self, model_dir, onnx_name):
        import onnxruntime as ort
        from tokenizers import Tokenizer
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        self.sess = ort.InferenceSession(os.path.join(model_dir, onnx_name), so, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.sess.get_inputs()]
        cfg = json.load(open(os.path.join(model_dir, "config.json")))
        self.kv = cfg["num_key_value_heads"]
        self.hd = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
        self.n_past = len([n for n in self.inputs if n.startswith("past_key_values.")])
        self.tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        tc = json.load(open(os.path.join(model_dir, "tokenizer_config.json")))
        tmpl = tc.get("chat_template")
        if tmpl is None and os.path.exists(os.path.join(model_dir, "chat_template.jinja")):
            tmpl = open(os.path.join(model_dir, "chat_template.jinja")).read()
        import jinja2
        self.template = jinja2.Environment().from_string(tmpl)
        self.eos = self.tok.token_to_id(tc.get("eos_token") or "<|im_end|>")

    def prompt_ids(self, messages):
        text = self.template.render(messages=messages, add_generation_prompt=True)
        return self.tok.encode(text, add_special_tokens=False).ids

    def run(self, ids, past, start):
        feed = {"input_ids": np.array([ids], np.int64),
                "attention_mask": np.ones((1, start + len(ids)), np.int64),
                "position_ids": np.arange(start, start + len(ids), dtype=np.int64)[None]}
        if past is None:
            past = [np.zeros((1, self.kv, 0, self.hd), np.float32)] * self.n_past
        for n, t in zip([n for n in self.inputs if n.startswith("past_key_values.")], past):
            feed[n] = t
        out = self.sess.run(None, feed)
        return out[0], out[1:]

    def nll(self, messages):
        """Sum of -log p over assistant tokens (+ <|im_end|>) and their count."""
        ids, lab = [], []
        msgs = messages if messages[0]["role"] == "system" else [{"role": "system", "content": "You are a helpful assistant."}] + messages
        for m in msgs:
            head = self.tok.encode(f"<|im_start|>{m['role']}\n", add_special_tokens=False).ids
            body = self.tok.encode(m["content"], add_special_tokens=False).ids + [self.eos]
            nl = self.tok.encode("\n", add_special_tokens=False).ids
            ids += head + body + nl
            lab += [0] * len(head) + ([1] * len(body) if m["role"] == "assistant" else [0] * len(body)) + [0] * len(nl)
        logits, _ = self.run(ids, None, 0)
        if logits.shape[1] != len(ids):
            raise SystemExit("evaluate.py: the perplexity needs the logits of every position: export the model "
                             "with export.py --logits all")
        lg = logits[0, :-1].astype(np.float64)
        lse = np.log(np.exp(lg - lg.max(-1, keepdims=True)).sum(-1)) + lg.max(-1)
        tgt = np.array(ids[1:])
        lp = lg[np.arange(len(tgt)), tgt] - lse
        mask = np.array(lab[1:]) == 1
        return float(-(lp[mask]).sum()), int(mask.sum())

    def opener(self, messages, temperature=0.0, top_p=1.0, rng=None):
        """Decodes until MAX_WORDS words are complete (a following whitespace or EOS), EOS, or the token
        budget. Returns (opener text, stop reason, ms, ms to first token)."""
        t0 = time.perf_counter()
        ids = self.prompt_ids(messages)
        logits, past = self.run(ids, None, 0)
        pos = len(ids)
        gen = []
        reason = "budget"
        first_ms = None
        text = ""
        for _ in range(MAX_NEW_TOKENS):
            lg = logits[0, -1].astype(np.float64)
            if temperature <= 0:
                nxt = int(np.argmax(lg))
            else:
                p = np.exp((lg - lg.max()) / temperature)
                p /= p.sum()
                order = np.argsort(-p)
                cum = np.cumsum(p[order])
                keep = order[: int(np.searchsorted(cum, top_p) + 1)]
                q = p[keep] / p[keep].sum()
                nxt = int(rng.choice(keep, p=q))
            if first_ms is None:
                first_ms = (time.perf_counter() - t0) * 1000
            if nxt == self.eos:
                reason = "eos"
                break
            gen.append(nxt)
            text = self.tok.decode(gen, skip_special_tokens=True)
            ws = text.split()
            if len(ws) > MAX_WORDS or (len(ws) == MAX_WORDS and text[-1:].isspace()):
                reason = "words"
                break
            logits, past = self.run([nxt], past, pos)
            pos += 1
        words = text.split()
        if reason == "words":
            words = words[:MAX_WORDS]
        elif reason == "budget" and text and not text[-1].isspace():
            pass  # last word possibly cut mid-way: kept, so the check can see it
        return " ".join(words), reason, (time.perf_counter() - t0) * 1000, first_ms or 0.0


def norm_word(w):
    return re.sub(r"^[^\w]+|[^\w]+$", "", w.lower())


def build_lexicon(train):
    lex, starts = set(), {}
    for c in train:
        for m in c["messages"]:
            for w in m["content"].split():
                lex.add(norm_word(w))
        r = [m for m in c["messages"] if m["role"] == "assistant"][-1]["content"]
        fw = norm_word(r.split()[0]) if r.split() else ""
        starts[fw] = starts.get(fw, 0) + 1
    wn = os.environ.get("WORDNET_DIR", "/usr/share/wordnet")
    for f in ("index.noun", "index.verb", "index.adj", "index.adv"):
        try:
            for line in open(os.path.join(wn, f), encoding="latin-1"):
                if not line.startswith(" "):
                    lex.add(line.split(" ", 1)[0].replace("_", " "))
        except OSError:
            pass
    return lex, {w for w, n in starts.items() if n >= 3}


def is_real(w, lex):
    n = norm_word(w)
    if not n:
        return True
    if re.fullmatch(r"[\d.,:%°]+[a-z]*", n):
        return True
    if n in lex:
        return True
    parts = re.split(r"[-']", n)
    return all(p in lex or p in ("s", "ll", "re", "ve", "d", "t", "m") for p in parts if p)


def score(opener, reason, keys, lex, starts):
    ws = opener.split()
    complete = reason in ("words", "eos") and all(is_real(w, lex) for w in ws) and len(ws) > 0
    bigrams = list(zip(ws, ws[1:]))
    gram = bool(ws) and (ws[0][0].isupper() or ws[0][0].isdigit() or ws[0][0] in "\"'") \
        and norm_word(ws[0]) in starts and len(set(bigrams)) == len(bigrams)
    low = opener.lower()
    key = None
    if keys:
        key = any(k.lower() in low for k in keys if len(k) >= 2 or k.isdigit())
    return complete, gram, key


def pick_prompts(held, limit, seed=7):
    rng = random.Random(seed)
    idx = list(range(len(held)))
    rng.shuffle(idx)
    return [held[i] for i in idx[:limit]]


def user_messages(conv):
    """The conversation up to (not including) the last assistant turn."""
    ms = conv["messages"]
    return ms[:-1]


def evaluate_model(m, held, prompts, lex, starts, log):
    res = {}
    nll, n = 0.0, 0
    t0 = time.time()
    for c in held:
        a, b = m.nll(c["messages"])
        nll += a
        n += b
    res["ppl"] = math.exp(nll / n)
    res["nll"] = nll / n
    log(f"  perplexity {res['ppl']:.3f} over {n} assistant tokens ({time.time() - t0:.0f}s)")
    rows = {}
    for mode, (temp, top_p) in (("greedy", (0.0, 1.0)), ("T=0.5, top-p 0.9", (0.5, 0.9))):
        rng = np.random.default_rng(1234)
        outs, c_ok, g_ok, k_ok, k_n, ms, fms = [], 0, 0, 0, 0, [], []
        for conv in prompts:
            op, reason, t_ms, f_ms = m.opener(user_messages(conv), temp, top_p, rng)
            c, g, k = score(op, reason, conv.get("keys"), lex, starts)
            c_ok += c
            g_ok += g
            if k is not None:
                k_n += 1
                k_ok += k
            ms.append(t_ms)
            fms.append(f_ms)
            outs.append({"id": conv["id"], "intent": conv["intent"], "heldout_by": conv.get("heldout_by", "?"), "prompt": user_messages(conv)[-1]["content"],
                         "opener": op, "stop": reason, "complete": bool(c), "grammatical": bool(g), "key": k})
        N = len(prompts)
        rows[mode] = {"complete": c_ok / N, "grammatical": g_ok / N, "key": k_ok / max(k_n, 1), "key_n": k_n,
                      "distinct": len({o["opener"] for o in outs}) / N, "ms": float(np.median(ms)),
                      "first_ms": float(np.median(fms)), "n": N, "openers": outs}
        log(f"  {mode}: complete {rows[mode]['complete']:.1%} grammatical {rows[mode]['grammatical']:.1%} "
            f"key {rows[mode]['key']:.1%} distinct {rows[mode]['distinct']:.1%} median {rows[mode]['ms']:.1f} ms")
    res["rows"] = rows
    fixed = []
    for q in FIXED_PROMPTS:
        op, _, _, _ = m.opener([{"role": "user", "content": q}])
        fixed.append({"prompt": q, "opener": op})
    res["fixed"] = fixed
    return res


def markdown(results, n_held):
    out = ["| model | decoding | held-out ppl | complete words | grammatical start | mentions key | distinct | median ms / opener |",
           "|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        for mode, row in r["rows"].items():
            out.append(f"| {name} | {mode} | {r['ppl']:.2f} | {row['complete']:.1%} | {row['grammatical']:.1%} | "
                       f"{row['key']:.1%} (of {row['key_n']}) | {row['distinct']:.1%} | {row['ms']:.1f} |")
    return "\n".join(out)


def per_intent(result):
    rows = result["rows"]["greedy"]["openers"]
    by = {}
    for o in rows:
        d = by.setdefault(o["intent"], [0, 0, 0, 0, 0])
        d[0] += 1
        d[1] += o["complete"]
        d[2] += o["grammatical"]
        if o["key"] is not None:
            d[3] += 1
            d[4] += o["key"]
    out = ["| intent | prompts | complete words | grammatical start | mentions key |", "|---|---|---|---|---|"]
    for k, d in sorted(by.items(), key=lambda kv: -kv[1][0]):
        out.append(f"| {k} | {d[0]} | {d[1] / d[0]:.0%} | {d[2] / d[0]:.0%} | " + (f"{d[4] / d[3]:.0%}" if d[3] else "n/a") + " |")
    return "\n".join(out)


def by_split(result):
    out = ["| held out by | prompts | complete words | grammatical start | mentions key | distinct |", "|---|---|---|---|---|---|"]
    rows = result["rows"]["greedy"]["openers"]
    for hb in sorted({o["heldout_by"] for o in rows}):
        sel = [o for o in rows if o["heldout_by"] == hb]
        ks = [o["key"] for o in sel if o["key"] is not None]
        out.append(f"| {hb} | {len(sel)} | {sum(o['complete'] for o in sel) / len(sel):.0%} | "
                   f"{sum(o['grammatical'] for o in sel) / len(sel):.0%} | " + (f"{sum(ks) / len(ks):.0%}" if ks else "n/a")
                   + f" | {len({o['opener'] for o in sel}) / len(sel):.0%} |")
    return "\n".join(out)


def examples(result, k=16):
    rows = result["rows"]["greedy"]["openers"]
    sampled = {o["id"]: o for o in result["rows"]["T=0.5, top-p 0.9"]["openers"]}
    seen, ex = set(), []
    for o in rows:
        if o["intent"] in seen:
            continue
        seen.add(o["intent"])
        ex.append(o)
        if len(ex) >= k:
            break
    out = ["| held-out prompt | greedy opener | sampled opener (T=0.5, top-p 0.9) |", "|---|---|---|"]
    for f in result["fixed"]:
        out.append(f"| {f['prompt']} (fixed sanity prompt, not necessarily held out) | {f['opener']} | |")
    for o in ex:
        out.append(f"| {o['prompt'].replace('|', '/')} | {o['opener'].replace('|', '/')} | {sampled[o['id']]['opener'].replace('|', '/')} |")
    return "\n".join(out)


def measured_for(path, model_dir):
    """The text of a bench file written by eval/policies.sh, when it was measured with this model's model.onnx."""
    if not os.path.exists(path):
        return None
    import hashlib
    with open(os.path.join(model_dir, "model.onnx"), "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    text = open(path, encoding="utf-8").read()
    first, _, rest = text.partition("\n")
    return rest if first == f"<!-- model.onnx sha256 {sha} -->" else None


def judge_result(judged):
    """The result sentence of a judged file (its paragraph that starts with "Result", however the judge marked it)."""
    for paragraph in judged.split("\n\n"):
        text = paragraph.replace("\n", " ").strip()
        if text.lstrip("*").startswith("Result"):
            return re.sub(r"^\**Result\**[,:]?\**[,:]?\s*", "", text)
    return "(no result sentence in the judged file)"


def everyday_section(raw_path, model_dir):
    """The card's section on the hand-written everyday held-out set: eval/everyday.py's table of the model alone, and
    what eval/policies.sh measured through the sample's eval command when it measured this model."""
    def summary_of(text):
        # the summary: everything after the title and before the per-opener table (its header starts with "| id |")
        return text.split("\n| id |")[0].split("\n", 2)[2].strip()
    parts = []
    if raw_path and os.path.exists(raw_path):
        parts.append("The model alone (greedy, no guard; `eval/everyday.py --model model`):\n\n"
                     + summary_of(open(raw_path, encoding="utf-8").read()))
    policies = measured_for(os.path.join(HERE, "bench", "everyday-heldout-policies.md"), model_dir)
    parts.append("What a user hears with the default policies (grounding guard, speech confidence stop, each profile's "
                 "opener length, the embedded continuator): the sample's `eval` command on the same conversations on the "
                 "watch, phone and desktop profiles, graded by the same rubric (`eval/policies.sh`; every opener in "
                 "`bench/everyday-heldout-policies.md`):\n\n"
                 + (summary_of(policies) if policies else "not measured for this model yet: run `eval/policies.sh`."))
    judged = measured_for(os.path.join(HERE, "bench", "everyday-heldout-judged.md"), model_dir)
    if judged:
        parts.append("This model's openers, graded once by a language-model judge (`bench/everyday-heldout-judged.md`), "
                     + judge_result(judged))
    later = {"fresh": "`eval/everyday-fresh.jsonl`, 110 conversations written after this model was trained: the "
                      "grounding guard's subject, feeling and safety word lists were widened after its first judged "
                      "run",
             "blind": "`eval/everyday-blind.jsonl`, 110 conversations written by someone who had seen no opener of "
                      "the model: the corpus was not shaped on it, only the guard's safety lists after its first "
                      "judged run (68.3 % then), so it says best what a new request gets"}
    for name, what in later.items():
        measured = measured_for(os.path.join(HERE, "bench", f"everyday-{name}-policies.md"), model_dir)
        if measured:
            parts.append(f"The same on a later set ({what}; `bench/everyday-{name}-policies.md`):\n\n"
                         + summary_of(measured))
        judged = measured_for(os.path.join(HERE, "bench", f"everyday-{name}-judged.md"), model_dir)
        if judged:
            parts.append(f"Graded once by a language-model judge (`bench/everyday-{name}-judged.md`), "
                         + judge_result(judged))
    default_set = measured_for(os.path.join(HERE, "bench", "eval-default-set.md"), model_dir)
    parts.append("The sample's `eval` command on its own default prompt set (48 conversations, 12 categories; "
                 "`bench/eval-default-set.md`):\n\n"
                 + (default_set.split("\n", 2)[2].strip() if default_set else "not measured for this model yet: run `eval/policies.sh`."))
    return ("\n## Everyday requests (hand-written, held out)\n\n"
            "110 conversations written by hand as people talk to a watch or phone (`eval/everyday-heldout.jsonl`, 10 per "
            "category; none of their user turns is in the corpus: `tests/test_everyday.py`), graded 0/1/2 without a "
            "judge model by the rubric in `eval/everyday.py` (0: wrong, off-topic, an ungrounded number or name, a "
            "made-up word or a repeat; 1: a generic frame that commits to nothing; 2: grounded in the request).\n\n"
            + "\n\n".join(parts) + "\n")


def write_card(path, results, stats, corpus_stats, model_dir, table, intents_table, ex_table, everyday=""):
    sizes = {f: os.path.getsize(os.path.join(model_dir, f)) for f in sorted(os.listdir(model_dir))
             if f.endswith((".onnx", ".json", ".jinja"))}
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    a = stats.get("args", {})
    fp = results.get("model.onnx") or next(iter(results.values()))
    minutes = stats.get("train_seconds", 0) / 60
    hist = [h for h in stats.get("history", []) if "heldout_loss" in h]
    curve = ", ".join(f"{h['step']}: {h['heldout_loss']:.3f}" for h in hist)
    try:
        import sys
        sys.path.insert(0, os.path.join(HERE, "corpus"))
        import tables
        n_countries = len(tables.COUNTRIES)
    except Exception:
        n_countries = "about 120"
    size_lines = "\n".join(f"| `{f}` | {s / 1e6:.2f} MB |" if s > 1e5 else f"| `{f}` | {s / 1e3:.1f} kB |" for f, s in sizes.items())
    early = ""
    if stats.get("stopped_early"):
        early = (f" Planned {stats.get('planned_steps')} steps; `--max-minutes` stopped it at step {stats.get('steps')} "
                 f"because the shared machine ran slower than planned (the learning rate had nearly finished its decay).")
    text = f"""# quarkus-handoff demo opener model

A tiny decoder language model trained from scratch by this project to write the **first few words** of
an assistant's reply on the device, in milliseconds, before a cloud model continues the sentence
(see the paper notes: *Micro Language Models Enable Instant Responses*). It is a demo: it knows the
kinds of requests a watch, glasses or phone assistant gets and writes grounded openers such as
"Sure, I'll set a timer for ten minutes" or "The capital of Peru is Lima". It is not a general
chat model; everything after the opener is the cloud model's job.

Packaged as classpath resources under `handoff/demo-model/` by the `quarkus-handoff-demo-model` jar.
Retrain from scratch with one command: `samples/micro-model/retrain.sh`.

## Files

| file | size |
|---|---|
{size_lines}

`model.onnx` is fp32 and `model.int8.onnx` its dynamic int8 quantization (MatMul and Gather weights);
both use the `decoder-with-past-v1` layout of `export.py` (input_ids, attention_mask, position_ids,
past_key_values.N.key/value -> logits, present.N.key/value) with its default fused graph (ONNX Runtime's
GroupQueryAttention, RotaryEmbedding, SkipSimplifiedLayerNormalization). The tokenizer is a byte-level BPE
(`tokenizer.json`, vocab {cfg['vocab_size']}; `<|endoftext|>`=0, `<|im_start|>`=1, `<|im_end|>`=2);
the prompt format is ChatML (`chat_template` in `tokenizer_config.json`; a system turn
"You are a helpful assistant." is added when the conversation has none); generation ends at
`<|im_end|>` (id 2).

## Architecture

`LlamaForCausalLM`: {cfg['num_hidden_layers']} layers, hidden {cfg['hidden_size']}, {cfg['num_attention_heads']} attention heads /
{cfg['num_key_value_heads']} KV heads (GQA, head_dim {cfg.get('head_dim')}), SwiGLU MLP {cfg['intermediate_size']}, RMSNorm (eps {cfg['rms_norm_eps']}),
RoPE theta {cfg.get('rope_theta', 1e6):.0e}, no biases, tied input/output embeddings, {cfg['max_position_embeddings']} positions.
**{stats.get('parameters', 0):,} parameters.**

## Data

A synthetic corpus generated by `corpus/build_corpus.py` (seed {corpus_stats.get('seed')}): {corpus_stats.get('train')} training and
{corpus_stats.get('heldout')} held-out conversations (mostly single-turn; short follow-ups after an earlier exchange are their own intent), about
{stats.get('train_tokens', 0) / 1e6:.2f}M tokens, of which {stats.get('train_label_tokens', 0) / 1e6:.2f}M are assistant tokens (the only ones with a loss).
Intents: timers, alarms, reminders and messages (half of the contacts are made-up names, so the model
learns to copy the name and time the user gave rather than pick one it knows), calls, weather (the reply's first
sentence says what it will check and never states conditions: the device has no weather data), navigation, music
(songs, artists, genres, playlists, albums, moods, playback controls), fitness, health, home devices (switching,
dimming, light color, the thermostat up or down, schedules, checks), unit conversions and arithmetic (the reply restates the question as a frame,
"Let me work out 17 times 23 for you", and never states a result: a micro-model cannot compute and an opener
must not invent a number), how-to requests (the reply frames the steps), calendar, translation of common
phrases, capitals/currencies/languages of {n_countries} countries, authors, painters,
chemical elements and other fixed facts from hand-written tables, {corpus_stats.get('wordnet_definitions')} word definitions from
WordNet 3.0 glosses (Debian `wordnet-base`), small talk, greetings and feelings, short follow-ups in
two-turn conversations ("make it 15", "and Germany?", "what about tomorrow?"), and refusals of unsafe requests
(with a supportive reply for self-harm). User turns vary in phrasing, entities, numbers as digits or words,
casing, punctuation, filler prefixes and typos, and about half of them are reworded the way people wrap a request
(`paraphrase` in the builder: other verbs for the same action, "can you", "do you know", a passing mood such as
"ugh, I'm so tired," or ", I hate it", a polite tail), so the model keys on the request rather than on a template's
first words. Replies are full sentences of 5-40 words. No user turn of the hand-written everyday set
(`eval/everyday-heldout.jsonl`) is in the corpus: the builder drops any conversation that would contain one. The
templates were widened after the everyday set's judged run showed which kinds of requests the model missed (the
kinds, not the prompts: the set's prompts stay out by construction), and no listed task or request that one of the
set's turns contains word for word ("make meth", "boil an egg") is trained on. How-to tasks, unsafe requests and
self-harm questions are also made from patterns and their fillings (309, about 330 and 74), definition replies mostly
name the word in a lead-in ("Here's what frugal means: ..."), and weather replies say what they check, never the
conditions (the earlier assistant turn of a weather follow-up still states them, and the model learned "Right now it
looks clear skies" from it: next to fix).
The held-out split is by template and by entity: a held-out conversation uses a user phrasing
template or an entity (country, duration, contact, word...) that never occurs in training. Refusals are never held
out: every listed unsafe action, in every phrasing template, is in training, so the shipped model refuses each of
them (the everyday set measures refusals of unseen requests).

## Training

Tokenizer and model trained from scratch by `train.py`: AdamW (betas 0.9/0.95, weight decay 0.1),
peak learning rate {a.get('lr')}, {a.get('warmup')} warm-up steps then cosine decay to {a.get('min_lr_frac')} x peak, about {a.get('batch_tokens')} padded
tokens per batch, {stats.get('steps')} steps (~{stats.get('epochs')} epochs), gradient clipping 1.0, seed {a.get('seed')}, loss on
assistant tokens only. **Training time: {minutes:.0f} minutes on {stats.get('threads')} CPU threads** of this
project's 2-core development machine (shared with other builds, run under `nice`; about 0.45 s per step
when the machine is otherwise idle, over 1.2 s while other builds ran).{early}
Held-out loss by step: {curve}.

## Evaluation

Held-out perplexity (assistant tokens, {corpus_stats.get('heldout')} conversations, fp32 ONNX): **{fp['ppl']:.2f}**.
Opener check on {fp['rows']['greedy']['n']} held-out prompts (`evaluate.py`; up to {MAX_WORDS} words, committed only at
word boundaries, at most {MAX_NEW_TOKENS} new tokens, KV cache, onnxruntime on 1 CPU thread):

{table}

*complete words*: the opener stopped at a word boundary and every word is a real word;
*grammatical start*: capitalized, begins with a usual reply opening word, no repeated bigram;
*mentions key*: contains the prompt's entity or intent word (for the prompts that have one);
*distinct*: unique openers per prompt. The held-out facts (e.g. a capital of a held-out country)
were never seen in training, so an opener can start right ("The capital of X is") and then guess wrong:
that is what the cloud continuation's recovery is for.

Greedy fp32, by the reason a prompt is held out (*template*: a user phrasing never seen in training;
*entity*: a known phrasing with an unseen country, duration, contact, word...), then by intent:

{intents_table}

{everyday}
## Example openers (held-out prompts)

{ex_table}

## Limits

- A demo of the technique, trained on a few MB of templated synthetic text: it only knows the
  request types above, in English, and the facts in the project's tables; for anything else it
  still writes a fluent but generic or wrong opener.
- Facts, numbers and names after the first few words are unreliable (weather, step counts and times
  are invented placeholders in the training replies; arithmetic and conversion results are left out; the device or the
  cloud model must supply real values). Never use its text past the opener as an answer.
- Definitions come from WordNet 3.0 (2006), some dated (e.g. "nine planets").
- Single conversation style (ChatML, short turns, 256 positions); multi-turn data covers one earlier exchange.
- Unseen phrasings (the *template* row) mostly still get the right intent, but not always: an
  unfamiliar wording can get the opener of another intent, including a helpful-sounding opener for
  an unsafe request phrased in a way it never saw (see the examples). Refusals cover only a small
  list of unsafe request types; it is not a safety filter, and a planner or the cloud model must
  handle safety. Unseen entities (the *entity* row) keep the right frame ("The capital of X is")
  but the fact that follows is a guess.
- Unseen dictionary words mostly get fluent nonsense: definitions are memorized, not understood.
"""
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description="Evaluate the exported demo opener model.")
    ap.add_argument("--model", default=os.path.join(HERE, "model"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "work", "corpus"))
    ap.add_argument("--limit", type=int, default=400, help="held-out prompts for the opener check")
    ap.add_argument("--ppl-limit", type=int, default=0, help="held-out conversations for perplexity (0 = all)")
    ap.add_argument("--json", default=os.path.join(HERE, "work", "eval.json"))
    ap.add_argument("--card", default=None, help="write the model card here")
    ap.add_argument("--train-stats", default=os.path.join(HERE, "work", "checkpoint", "train_stats.json"))
    ap.add_argument("--everyday", default=os.path.join(HERE, "work", "everyday.md"),
                    help="eval/everyday.py --out of this model, for the card")
    a = ap.parse_args()

    def log(*x):
        print(*x, flush=True)

    read = lambda p: [json.loads(l) for l in open(p, encoding="utf-8") if l.strip()]
    train = read(os.path.join(a.corpus, "train.jsonl"))
    held = read(os.path.join(a.corpus, "heldout.jsonl"))
    lex, starts = build_lexicon(train)
    prompts = pick_prompts(held, a.limit)
    ppl_set = held[: a.ppl_limit] if a.ppl_limit else held
    results = {}
    for name in ("model.onnx", "model.int8.onnx"):
        if not os.path.exists(os.path.join(a.model, name)):
            continue
        log(f"{name}:")
        results[name] = evaluate_model(Model(a.model, name), ppl_set, prompts, lex, starts, log)
    table = markdown(results, len(held))
    first = next(iter(results.values()))
    it = by_split(first) + "\n\n" + per_intent(first)
    ex = examples(first)
    print()
    print(table)
    print()
    print(it)
    print()
    print(ex)
    if a.json:
        os.makedirs(os.path.dirname(a.json), exist_ok=True)
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    if a.card:
        stats = json.load(open(a.train_stats)) if os.path.exists(a.train_stats) else {}
        cs_path = os.path.join(a.corpus, "stats.json")
        cs = json.load(open(cs_path)) if os.path.exists(cs_path) else {}
        write_card(a.card, results, stats, cs, a.model, table, it, ex, everyday_section(a.everyday, a.model))
        log(f"wrote {a.card}")


if __name__ == "__main__":
    main()
