#!/usr/bin/env python3
"""Opener latency benchmark: the Java opener (ONNX Runtime, KV cache) against PyTorch references.

Usage (from the repository root or anywhere; about 3-6 minutes on 2 cores):

    samples/micro-model/.venv/bin/python samples/micro-model/bench_opener.py [--repeat 5] [--threads 1,2]
        [--words 8] [--max-tokens 48] [--prompt-tokens 30] [--jar PATH] [--out PATH] [--rebuild-model]

In one run on this machine it:

1. builds, or reuses from ``work/bench-cache/``, the Swen-28M-shaped random-weight model of
   ``make_bench_model.py`` (fp32 + int8 ONNX with export.py's default ``--logits last``, the fp32 export
   with ``--logits all`` as ``model.all-logits.onnx``, and the transformers checkpoint for PyTorch);
2. makes a single-turn conversation whose ChatML prompt is exactly ``--prompt-tokens`` tokens;
3. times, with greedy decoding everywhere (like is compared with like), at 1 thread and at all
   cores, Java with each way of spinning its threads (each path is judged at its fastest setting), one warm-up then
   ``--repeat`` runs of each path, and takes medians:
   (a) the Java path: ``java -jar samples/device-service/target/quarkus-app/quarkus-run.jar opener
       --greedy --repeat N --json``, fp32 ``model.onnx`` and int8 ``model.int8.onnx`` (the jar is built
       with Maven if missing), and (a') the fp32 ``model.all-logits.onnx`` the same way, right after (a) fp32
       at each setting, whose prefill also projects every prompt position onto the vocabulary;
   (b) the paper's demo style: PyTorch transformers, NO KV cache, the whole sequence recomputed at
       every step (the demo samples at temperature 0.5 / top-p 0.9; greedy here);
   (c) PyTorch transformers with its KV cache;
4. prints a markdown table (first token, first word, 8-word opener; ratios to (b)), the first token of (a) fp32
   against (a') at each setting, and writes it to ``bench/opener-benchmark.md`` with the machine (CPU model, cores,
   load, Java, torch).

Every path starts its clock before the chat template is rendered and tokenized, and the opener
ends when its ``--words``-th word is complete (whitespace follows it, as the Java opener never cuts
a word), at end of sequence, or after ``--max-tokens`` tokens. The greedy ids of every fp32 path are
checked to be the same.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CACHE = os.path.join(HERE, "work", "bench-cache")
MODEL_DIR = os.path.join(CACHE, "model")
CHECKPOINT_DIR = os.path.join(CACHE, "checkpoint")
ALL_LOGITS_FILE = "model.all-logits.onnx"  # the same weights exported with export.py --logits all
JAR = os.path.join(ROOT, "samples", "device-service", "target", "quarkus-app", "quarkus-run.jar")
OUT = os.path.join(HERE, "bench", "opener-benchmark.md")
DEMO = "(b) PyTorch, no KV cache (paper demo style), fp32"
JAVA_FP32 = "(a) Java, ONNX Runtime + KV cache, fp32"
JAVA_FP32_ALL_LOGITS = "(a') Java fp32, logits of every position (export.py --logits all)"
DEFAULT_SPIN = "within-step"  # quarkus.handoff.opener.thread-spinning's default
STOP_IDS = (0, 2)  # <|endoftext|>, <|im_end|>: what the Java opener stops on for this tokenizer
# natural questions tried first (the bench tokenizer is trained on technical text: short questions make 30 tokens);
# then a question cut and padded to the length
QUESTIONS = ("How are you today?", "Tell me a joke.", "What is a comet?", "What is the time?", "What is a rainbow?",
             "Why is the sky blue?", "What is the capital of France?", "Can you tell me how a rainbow forms?")
BASE_QUESTION = "Can you explain how a rainbow forms after the rain and why the colors always appear in the same order"
FILLER = ("please", "briefly", "simply", "today", "again", "exactly", "really", "now")

# java.lang.Character.isWhitespace: ASCII whitespace, the separators FS GS RS US, and Unicode space / line /
# paragraph separators except the non-breaking ones
_JAVA_WS_EXTRA = set(" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")
_NON_BREAKING = set("\u00a0\u2007\u202f")


def is_space(c: str) -> bool:
    if c in _JAVA_WS_EXTRA:
        return True
    return unicodedata.category(c) in ("Zs", "Zl", "Zp") and c not in _NON_BREAKING


def complete_words(text: str) -> int:
    """Words followed by whitespace, as the Java WordAssembler counts them."""
    count = 0
    in_word = False
    for c in text:
        if is_space(c):
            if in_word:
                count += 1
            in_word = False
        else:
            in_word = True
    return count


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# setup


def ensure_model(rebuild: bool) -> None:
    needed = [os.path.join(MODEL_DIR, f) for f in ("model.onnx", "model.int8.onnx", ALL_LOGITS_FILE, "config.json",
                                                   "tokenizer.json")]
    needed.append(os.path.join(CHECKPOINT_DIR, "config.json"))
    if not rebuild and all(os.path.isfile(p) for p in needed):
        log(f"model: reusing {MODEL_DIR}")
        return
    log("model: building the Swen-28M-shaped model with make_bench_model.py (fp32 + int8)...")
    t0 = time.time()
    subprocess.run([sys.executable, os.path.join(HERE, "make_bench_model.py"), "--out", MODEL_DIR, "--int8",
                    "--keep-checkpoint", CHECKPOINT_DIR, "--all-logits-file", ALL_LOGITS_FILE], check=True,
                   stdout=sys.stderr)
    log(f"model: built in {time.time() - t0:.0f} s")


def ensure_jar(jar: str) -> None:
    if os.path.isfile(jar):
        return
    if jar != JAR:
        sys.exit(f"bench_opener.py: error: no jar at {jar}")
    log("jar: building the device service with Maven...")
    subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "install", "-DskipTests", "-pl",
                    "extension,policies,runtime,deployment,samples/micro-model,samples/device-service"],
                   cwd=ROOT, check=True, stdout=sys.stderr)


def make_prompt(tokenizer, target: int) -> tuple[str, list[int]]:
    """A user message whose rendered ChatML prompt is exactly `target` tokens."""
    for text in QUESTIONS:
        ids = render(tokenizer, text)
        if len(ids) == target:
            return text, ids
    words = BASE_QUESTION.split()
    for cut in range(len(words), 0, -1):
        for extra in range(len(FILLER) + 1):
            text = " ".join(words[:cut] + list(FILLER[:extra])) + "?"
            ids = render(tokenizer, text)
            if len(ids) == target:
                return text, ids
    sys.exit(f"bench_opener.py: error: cannot make a prompt of exactly {target} tokens")


def render(tokenizer, user: str) -> list[int]:
    text = tokenizer.apply_chat_template([{"role": "user", "content": user}], add_generation_prompt=True,
                                         tokenize=False)
    return tokenizer(text, add_special_tokens=False)["input_ids"]


# ---------------------------------------------------------------------------------------------------------------
# measurements


def java_run(jar: str, model_file: str, prompt: str, args, threads: int, spin: str) -> dict:
    cmd = ["java", "-jar", jar, "opener", "--model", MODEL_DIR, "--model-file", model_file, "--prompt", prompt,
           "--greedy", "--words", str(args.words), "--max-tokens", str(args.max_tokens), "--repeat",
           str(args.repeat), "--threads", str(threads), "--spin", spin, "--json"]
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench_opener.py: error: the Java opener failed ({proc.returncode}): {proc.stderr.strip()}")
    out = json.loads(proc.stdout)
    return {
        "first_token": out["first_token_ms"],
        "first_word": out["first_word_ms"],
        "opener": out["done_ms"],
        "tokens": out["tokens"],
        "words": len(out["words"]),
        "prompt_tokens": out["prompt_tokens"],
        "process_s": time.time() - t0,
        "text": out["text"],
    }


def torch_opener(model, tokenizer, user: str, args, kv_cache: bool) -> dict:
    """One greedy opener with timings (ms since start), the demo way (no cache) or with the KV cache."""
    import torch

    start = time.perf_counter()
    first_token = first_word = None
    ids = render(tokenizer, user)
    generated: list[int] = []
    with torch.inference_mode():
        input_ids = torch.tensor([ids], dtype=torch.long)
        past = None
        step_input = input_ids
        for _ in range(args.max_tokens):
            if kv_cache:
                out = model(input_ids=step_input, past_key_values=past, use_cache=True)
                past = out.past_key_values
            else:
                out = model(input_ids=input_ids, use_cache=False)
            token = int(torch.argmax(out.logits[0, -1]))
            if first_token is None:
                first_token = (time.perf_counter() - start) * 1000
            if token in STOP_IDS:
                break
            generated.append(token)
            words = complete_words(tokenizer.decode(generated, skip_special_tokens=False))
            if words >= 1 and first_word is None:
                first_word = (time.perf_counter() - start) * 1000
            if words >= args.words:
                break
            step_input = torch.tensor([[token]], dtype=torch.long)
            input_ids = torch.cat([input_ids, step_input], dim=1)
    done = (time.perf_counter() - start) * 1000
    return {"first_token": first_token, "first_word": first_word, "opener": done, "tokens": generated}


def torch_path(model, tokenizer, user: str, args, kv_cache: bool) -> dict:
    torch_opener(model, tokenizer, user, args, kv_cache)  # warm-up
    runs = [torch_opener(model, tokenizer, user, args, kv_cache) for _ in range(args.repeat)]
    med = {k: statistics.median([r[k] for r in runs if r[k] is not None] or [float("nan")])
           for k in ("first_token", "first_word", "opener")}
    med["tokens"] = runs[0]["tokens"]
    med["words"] = complete_words(tokenizer.decode(runs[0]["tokens"], skip_special_tokens=False))
    return med


# ---------------------------------------------------------------------------------------------------------------
# report


def machine(threads: list[int]) -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    import onnxruntime
    import torch
    import transformers
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "java": java[0] if java else "unknown",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "onnxruntime_python": onnxruntime.__version__,
        "onnxruntime_java": (re.search(r"<onnxruntime.version>([^<]+)<", open(os.path.join(ROOT, "pom.xml"),
                                                                        encoding="utf-8").read()) or [None, "?"])[1],
        "threads": ", ".join(map(str, threads)),
        "os": platform.platform(),
    }


def fmt(ms) -> str:
    return "-" if ms is None or ms != ms else f"{ms:.1f}"


def ratio(a, b) -> str:
    if a is None or b is None or a != a or b != b or b == 0:
        return "-"
    return f"{a / b:.3f}x"


def table(rows: list[tuple[str, dict]], reference: dict, words: int) -> list[str]:
    lines = [
        f"| path | threads | load | first token | first word | {words}-word opener | tokens | first token vs (b) "
        "| opener vs (b) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['threads']} | {r['load']:.1f} | {fmt(r['first_token'])} | {fmt(r['first_word'])} | "
                     f"{fmt(r['opener'])} | {len(r['tokens'])} | {ratio(r['first_token'], reference['first_token'])} | "
                     f"{ratio(r['opener'], reference['opener'])} |")
    return lines


def report(best: list[tuple[str, dict]], every: list[tuple[str, dict]], reference: dict, info: dict, prompt: str,
           prompt_ids: list[int], args, checks: list[str], goals: list[str], layouts: list[str]) -> str:
    lines = [
        "# Opener benchmark",
        "",
        f"Generated by `samples/micro-model/bench_opener.py` on {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}"
        f" (greedy, {args.repeat} runs after one warm-up, medians; times in ms from the start of the request,"
        " chat template and tokenization included).",
        "",
        "Model: the Swen-28M-shaped random-weight model of `make_bench_model.py` (8 layers, hidden 512, 8/2 heads,"
        " SwiGLU 1408, vocab 12,288, 28,844,544 parameters; fp32 ONNX 115 MB, int8 ONNX 29 MB), exported with"
        " export.py's default `--logits last`; (a') is the same fp32 model exported with `--logits all`.",
        f"Prompt: {len(prompt_ids)} tokens (ChatML, default system line), user message \"{prompt}\".",
        f"Opener: {args.words} complete words, at most {args.max_tokens} tokens.",
        "",
        "Each path at its fastest setting (ratios against (b) at its fastest); load = the 1-minute load average when"
        " the path started (2 cores: above ~1, other work competes for them):",
        "",
    ]
    lines += table(best, reference, args.words)
    lines += ["", "Goals (the issue \"The on-device opener\"):", ""]
    lines += [f"- {g}" for g in goals]
    lines += ["", "Every path at every thread count measured:", ""]
    lines += table(every, reference, args.words)
    lines += ["", "Logits layout, Java fp32 (a) against (a') (the medians above, each (a') run right after (a) at the"
              " same setting; on a busy machine one setting can still be off by more than the difference): the first"
              " token is the prefill of the prompt after the chat template's head (cached at load), where (a') also"
              " projects every position but the last onto the vocabulary:", ""]
    lines += [f"- {line}" for line in layouts]
    lines += ["", "Checks:", ""]
    lines += [f"- {c}" for c in checks]
    lines += [
        "",
        "Machine:",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores (load average at the start: {info['load']}; the machine is"
        " shared, other work may run at the same time, which hurts multi-threaded runs most)",
        f"- threads: {info['threads']} (ONNX Runtime intra-op threads in Java, `torch.set_num_threads` in Python);"
        " Java's spinning (`opener --spin`, i.e. `quarkus.handoff.opener.thread-spinning`): \"within-step\" (the"
        " default) spins between the operations of one decoding step and stops when the step returns, \"always\""
        " also spins between steps (ONNX Runtime's own default), \"off\" never spins; with one thread it makes no"
        " difference",
        f"- Java: {info['java']}; ONNX Runtime (Java) {info['onnxruntime_java']}",
        f"- Python: torch {info['torch']}, transformers {info['transformers']}, onnxruntime {info['onnxruntime_python']}",
        f"- OS: {info['os']}",
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the Java opener against PyTorch references.")
    ap.add_argument("--repeat", type=int, default=5, help="measured runs per path after one warm-up")
    ap.add_argument("--threads", default=f"1,{os.cpu_count() or 1}",
                    help="comma-separated thread counts to measure every path at (default: 1 and all cores)")
    ap.add_argument("--words", type=int, default=8)
    ap.add_argument("--max-tokens", type=int, default=48)
    ap.add_argument("--prompt-tokens", type=int, default=30)
    ap.add_argument("--jar", default=JAR)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--rebuild-model", action="store_true")
    args = ap.parse_args(argv)

    t_start = time.time()
    threads = sorted({int(t) for t in args.threads.split(",")})
    info = machine(threads)  # load average before the benchmark's own work
    ensure_model(args.rebuild_model)
    ensure_jar(args.jar)

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(MODEL_DIR)
    prompt, prompt_ids = make_prompt(tokenizer, args.prompt_tokens)
    log(f"prompt: {len(prompt_ids)} tokens: {prompt!r}")

    # Java: 1 thread, and with more threads each way of spinning (--spin); within-step is the default
    java_settings = [(1, DEFAULT_SPIN)] + [(t, spin) for t in threads if t > 1
                                           for spin in (DEFAULT_SPIN, "off", "always")]
    paths = {
        JAVA_FP32: (java_settings, lambda t, spin: java_run(args.jar, "model.onnx", prompt, args, t, spin)),
        JAVA_FP32_ALL_LOGITS: (java_settings, lambda t, spin: java_run(
            args.jar, ALL_LOGITS_FILE, prompt, args, t, spin)),
        "(a) Java, ONNX Runtime + KV cache, int8": (java_settings, lambda t, spin: java_run(
            args.jar, "model.int8.onnx", prompt, args, t, spin)),
    }
    model = AutoModelForCausalLM.from_pretrained(CHECKPOINT_DIR, dtype=torch.float32).eval()

    def torch_at(threads, kv_cache):
        torch.set_num_threads(threads)
        return torch_path(model, tokenizer, prompt, args, kv_cache=kv_cache)

    torch_settings = [(t, None) for t in threads]
    paths[DEMO] = (torch_settings, lambda t, _: torch_at(t, False))
    paths["(c) PyTorch + KV cache, fp32"] = (torch_settings, lambda t, _: torch_at(t, True))

    # (a') right after (a) fp32 at the same setting, so that both logits layouts meet the same load
    runs = []
    for name, (settings, _) in paths.items():
        if name != JAVA_FP32_ALL_LOGITS:
            for t, spin in settings:
                runs.append((name, t, spin))
                if name == JAVA_FP32:
                    runs.append((JAVA_FP32_ALL_LOGITS, t, spin))
    every, best = [], {}
    for name, t, spin in runs:
        log(f"{name}, {t} thread(s){', spin ' + spin if spin and t > 1 else ''}...")
        load = os.getloadavg()[0]
        r = paths[name][1](t, spin)
        r["load"] = load
        r["threads"] = f"{t}{', spin ' + spin if spin and t > 1 else ''}"
        r["default"] = spin == DEFAULT_SPIN and t == threads[-1]
        every.append((name, r))
        if name not in best or r["opener"] < best[name]["opener"]:
            best[name] = r
    every.sort(key=lambda row: list(paths).index(row[0]))  # the table lists the paths in order
    demo = best[DEMO]
    java_fp32 = best[JAVA_FP32]
    java_fp32_all_logits = best[JAVA_FP32_ALL_LOGITS]
    java_int8 = best["(a) Java, ONNX Runtime + KV cache, int8"]
    cached = best["(c) PyTorch + KV cache, fp32"]
    checks = [
        f"Java prompt tokens: {java_fp32['prompt_tokens']} (Python: {len(prompt_ids)})",
        "greedy ids, Java fp32 = PyTorch (b): " + str(java_fp32["tokens"] == demo["tokens"]),
        "greedy ids, Java fp32 = PyTorch (c): " + str(java_fp32["tokens"] == cached["tokens"]),
        "greedy ids, Java fp32 = Java fp32 with every position's logits (a'): "
        + str(java_fp32["tokens"] == java_fp32_all_logits["tokens"]),
        "greedy ids, Java int8 = fp32 on the first "
        + str(next((i for i, (a, b) in enumerate(zip(java_int8["tokens"], java_fp32["tokens"])) if a != b),
                   min(len(java_int8["tokens"]), len(java_fp32["tokens"]))))
        + " tokens (dynamic int8 quantization of a random model changes the argmax; its opener has its own length)",
        f"Java fp32 opener text: {json.dumps(java_fp32['text'], ensure_ascii=True)}",
    ]

    def goal(name, value, reference, limit):
        if value is None or reference is None:
            return f"{name}: not measured"
        r = value / reference
        return f"{name}: {r:.3f}x (goal <= {limit}x) {'MET' if r <= limit else 'MISSED'}"

    goals = [
        goal("first token, Java fp32 vs (b)", java_fp32["first_token"], demo["first_token"], 0.5),
        goal("first token, Java int8 vs (b)", java_int8["first_token"], demo["first_token"], 0.5),
        goal(f"{args.words}-word opener, Java fp32 vs (b)", java_fp32["opener"], demo["opener"], 0.25),
        goal(f"{args.words}-word opener, Java int8 vs (b)", java_int8["opener"], demo["opener"], 0.15),
    ]
    # the same with the extension's defaults: one thread per core, spinning within a step only
    for name, limit in (("fp32", 0.25), ("int8", 0.15)):
        r = next(r for n, r in every if n.endswith(name) and n.startswith("(a)") and r["default"])
        goals.append(f"with the default settings, Java {name} at {r['threads']}: "
                     f"first token {r['first_token'] / demo['first_token']:.3f}x, {args.words}-word opener "
                     f"{r['opener'] / demo['opener']:.3f}x ({'both goals MET' if r['first_token'] <= 0.5 * demo['first_token'] and r['opener'] <= limit * demo['opener'] else 'not both met'})")
    # the same weights, the same setting: only the logits layout differs
    layouts = []
    for setting in (r["threads"] for n, r in every if n == JAVA_FP32):
        last = next(r for n, r in every if n == JAVA_FP32 and r["threads"] == setting)
        all_logits = next(r for n, r in every if n == JAVA_FP32_ALL_LOGITS and r["threads"] == setting)
        layouts.append(f"threads {setting}: first token {fmt(last['first_token'])} ms with the last position's "
                       f"logits, {fmt(all_logits['first_token'])} ms with every position's: "
                       f"{ratio(last['first_token'], all_logits['first_token'])}")
    text = report(list(best.items()), every, demo, info, prompt, prompt_ids, args, checks, goals, layouts)
    text += f"Benchmark wall time: {time.time() - t_start:.0f} s.\n"
    print(text)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
