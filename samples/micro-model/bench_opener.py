#!/usr/bin/env python3
"""Opener latency benchmark: the Java opener (ONNX Runtime, KV cache) against PyTorch references, against its peers
(llama.cpp, Jlama), against the same loop in Python ONNX Runtime, and against the machine's ceilings.

Usage (from the repository root or anywhere; about 3 minutes on 2 cores, 1 with --quick; a first run also builds
the model and the peers' program and files, about 2 minutes more):

    samples/micro-model/.venv/bin/python samples/micro-model/bench_opener.py [--repeat 5] [--threads 1,2]
        [--words 8] [--tokens 12] [--max-tokens 48] [--prompt-tokens 40] [--jar PATH] [--out PATH]
        [--rebuild-model] [--quick] [--no-peers]

The venv needs requirements-bench.txt (requirements.txt plus the gguf package); the peers need a JDK 21+
(PEERS_JAVA_HOME, or /usr/lib/jvm/temurin-25-jdk-amd64 and the like) and Maven Central for their first build.
In one run on this machine it:

1. builds, or reuses from ``work/bench-cache/``, the Swen-28M-shaped random-weight model of
   ``make_bench_model.py`` (fp32 + int8 ONNX with export.py's defaults ``--logits last --graph fused``, the fp32
   export with ``--logits all`` as ``model.all-logits.onnx`` and with ``--graph plain`` as ``model.plain.onnx``,
   and the transformers checkpoint for PyTorch), and for the
   peers (bench_peers.py) GGUF F32 and Q8_0 files of the checkpoint, a Jlama directory and Jlama's Q4 model;
2. makes a single-turn conversation whose ChatML prompt is exactly ``--prompt-tokens`` tokens;
3. measures the machine's ceilings at each thread count (bench_roofline.py): a 1024^3 fp32 MatMul through ONNX
   Runtime (GFLOP/s) and a 256 MiB memory copy (GB/s);
4. times, with greedy decoding everywhere (like is compared with like), at 1 thread and at all
   cores, Java with each way of spinning its threads (each path is judged at its fastest setting), one warm-up then
   ``--repeat`` runs of each path, and takes medians:
   (a) the Java path: ``java -jar samples/device-service/target/quarkus-app/quarkus-run.jar opener
       --greedy --repeat N --json``, fp32 ``model.onnx`` and int8 ``model.int8.onnx`` (the jar is built
       with Maven if missing), and (a') the fp32 ``model.all-logits.onnx`` the same way, right after (a) fp32
       at each setting, whose prefill also projects every prompt position onto the vocabulary, and (a'') the fp32
       ``model.plain.onnx`` (standard ONNX operators instead of ONNX Runtime's fused attention, rotary embedding
       and RMSNorm);
   (b) the paper's demo style: PyTorch transformers, NO KV cache, the whole sequence recomputed at
       every step (the demo samples at temperature 0.5 / top-p 0.9; greedy here);
   (c) PyTorch transformers with its KV cache;
   (d) the Java opener's loop in Python ONNX Runtime on the same files with the same session options, right after
       (a) at each setting: the Java/Python ratio shows what the JVM and JNI add;
   the peers, at each thread count: llama.cpp through java-llama.cpp 4.1.0 (GGUF F32 and Q8_0) and Jlama 0.8.4
   (F32, and Q4 weights with I8 activations), run by the Java program in ``peers/`` (built with Maven);
5. prints a markdown report and writes it to ``bench/opener-benchmark.md``: every path's first token, first word,
   ``--words``-word opener and ``--tokens`` tokens with ratios to (b); ours against the best peer for each figure
   (fp32 against F32, int8 against Q8_0 and Jlama's Q4/I8); the roofline (achieved GFLOP/s of the prefill, from
   the FLOPs of the prompt's forward pass after the template's cached head, and GB/s of a decoding step, the
   weights it reads over its time, as % of the ceilings; the formula is in the report); Java against Python ONNX
   Runtime setting by setting; the goals of the issues; (a) fp32 against (a') and (a'') at each setting;
   the checks; and the machine (CPU model, cores, load, Java, torch).

Every path starts its clock before the chat template is rendered and tokenized (the peers and (d) render it by
string concatenation), and the opener ends when its ``--words``-th word is complete (whitespace follows it, as the
Java opener never cuts a word), at end of sequence, or after ``--max-tokens`` tokens; the paths other than the Java
opener decode on to ``--tokens`` tokens if the opener is shorter. The greedy ids of every fp32 path are checked to
be the same (llama.cpp's as the text of each token, which is all java-llama.cpp streams), and the peers' prompt ids
against transformers'.

--quick: 3 repeats, all cores only, Java and (d) with the default spinning and "always" only, no (a') or (a'').
--no-peers: without llama.cpp and Jlama (no JDK 21+, or no gguf package).
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

import bench_peers
import bench_roofline

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CACHE = os.path.join(HERE, "work", "bench-cache")
MODEL_DIR = os.path.join(CACHE, "model")
CHECKPOINT_DIR = os.path.join(CACHE, "checkpoint")
ALL_LOGITS_FILE = "model.all-logits.onnx"  # the same weights exported with export.py --logits all
PLAIN_GRAPH_FILE = "model.plain.onnx"  # the same weights exported with export.py --graph plain
JAR = os.path.join(ROOT, "samples", "device-service", "target", "quarkus-app", "quarkus-run.jar")
OUT = os.path.join(HERE, "bench", "opener-benchmark.md")
DEMO = "(b) PyTorch, no KV cache (paper demo style), fp32"
JAVA_FP32 = "(a) Java, ONNX Runtime + KV cache, fp32"
JAVA_FP32_ALL_LOGITS = "(a') Java fp32, logits of every position (export.py --logits all)"
JAVA_FP32_PLAIN = "(a'') Java fp32, standard ONNX operators only (export.py --graph plain)"
# (a) fp32 against each variant of its export, at each setting: (variant, what (a) has, what the variant has)
VARIANTS = ((JAVA_FP32_ALL_LOGITS, "the last position's logits", "every position's"),
            (JAVA_FP32_PLAIN, "ONNX Runtime's fused operators", "standard ONNX operators"))
JAVA_INT8 = "(a) Java, ONNX Runtime + KV cache, int8"
CACHED = "(c) PyTorch + KV cache, fp32"
PY_FP32 = "(d) Python ONNX Runtime, the same file and loop, fp32"
PY_INT8 = "(d) Python ONNX Runtime, the same file and loop, int8"
# (table name, PeerOpener engine, model (bench_peers.ensure_peer_models key), --quant, compared with our ...)
PEERS = (
    ("llama.cpp (java-llama.cpp 4.1.0), GGUF F32", "llama", "gguf-F32", "F32", "fp32"),
    ("llama.cpp (java-llama.cpp 4.1.0), GGUF Q8_0", "llama", "gguf-Q8_0", "Q8_0", "int8"),
    ("Jlama 0.8.4, F32", "jlama", "jlama", "F32", "fp32"),
    ("Jlama 0.8.4, Q4 weights + I8 activations", "jlama", "jlama-q4", "Q4", "int8"),
)
PEER_NAMES = [p[0] for p in PEERS]
PEER_PRECISION = {p[0]: p[4] for p in PEERS}
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
    needed = [os.path.join(MODEL_DIR, f) for f in ("model.onnx", "model.int8.onnx", ALL_LOGITS_FILE,
                                                   PLAIN_GRAPH_FILE, "config.json", "tokenizer.json")]
    needed.append(os.path.join(CHECKPOINT_DIR, "config.json"))
    if not rebuild and all(os.path.isfile(p) for p in needed):
        log(f"model: reusing {MODEL_DIR}")
        return
    log("model: building the Swen-28M-shaped model with make_bench_model.py (fp32 + int8)...")
    t0 = time.time()
    subprocess.run([sys.executable, os.path.join(HERE, "make_bench_model.py"), "--out", MODEL_DIR, "--int8",
                    "--keep-checkpoint", CHECKPOINT_DIR, "--all-logits-file", ALL_LOGITS_FILE,
                    "--plain-graph-file", PLAIN_GRAPH_FILE], check=True,
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
        # the opener stops at its last word: no 12-token figure when that comes first
        "tokens_at": out["token_ms"][args.tokens - 1] if len(out["token_ms"]) >= args.tokens else None,
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
    first_token = first_word = opener = tokens_at = None
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
            now = (time.perf_counter() - start) * 1000
            if len(generated) == args.tokens:
                tokens_at = now
            words = complete_words(tokenizer.decode(generated, skip_special_tokens=False))
            if words >= 1 and first_word is None:
                first_word = now
            if words >= args.words and opener is None:
                opener = now
            if words >= args.words and len(generated) >= args.tokens:
                break
            step_input = torch.tensor([[token]], dtype=torch.long)
            input_ids = torch.cat([input_ids, step_input], dim=1)
    if opener is None:  # end of sequence or --max-tokens first
        opener = (time.perf_counter() - start) * 1000
    return {"first_token": first_token, "first_word": first_word, "opener": opener, "tokens_at": tokens_at,
            "tokens": generated}


def medians(runs: list[dict]) -> dict:
    med = {k: statistics.median([r[k] for r in runs if r[k] is not None] or [float("nan")])
           for k in ("first_token", "first_word", "opener", "tokens_at")}
    med["tokens"] = runs[0]["tokens"]
    return med


def torch_path(model, tokenizer, user: str, args, kv_cache: bool) -> dict:
    torch_opener(model, tokenizer, user, args, kv_cache)  # warm-up
    return medians([torch_opener(model, tokenizer, user, args, kv_cache) for _ in range(args.repeat)])


def python_ort_path(model_file: str, tokenizer, template: tuple[str, str], user: str, args, threads: int,
                    spin: str) -> dict:
    """(d): the Java opener's loop in Python ONNX Runtime, same file, same session options."""
    opener = bench_roofline.PythonOrtOpener(os.path.join(MODEL_DIR, model_file), tokenizer, *template, threads,
                                            spin, STOP_IDS)

    def one():
        return opener.open(user, args.words, args.tokens, args.max_tokens, complete_words)

    one()  # warm-up
    return medians([one() for _ in range(args.repeat)])


def peer_path(command: list[str], engine: str, model: str, quant: str, template: tuple[str, str], user: str, args,
              threads: int) -> dict:
    out = bench_peers.run_peer(command, engine, model, quant, template[0], user, template[1], threads, args)
    return {"first_token": out["first_token_ms"], "first_word": out["first_word_ms"], "opener": out["opener_ms"],
            "tokens_at": out["tokens_ms"], "tokens": out["ids"], "pieces": out["pieces"],
            "prompt_ids": out["prompt_ids"], "runs_agree": out["runs_agree"], "load_ms": out["load_ms"]}


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


def template_parts(tokenizer) -> tuple[str, str]:
    """The rendered chat template around a single user message: what the peers and (d) concatenate."""
    mark = "\u2400USER\u2400"
    text = tokenizer.apply_chat_template([{"role": "user", "content": mark}], add_generation_prompt=True,
                                         tokenize=False)
    prefix, suffix = text.split(mark)
    return prefix, suffix


def fmt(ms) -> str:
    return "-" if ms is None or ms != ms else f"{ms:.1f}"


def ratio(a, b) -> str:
    if a is None or b is None or a != a or b != b or b == 0:
        return "-"
    return f"{a / b:.3f}x"


def table(rows: list[tuple[str, dict]], reference: dict, args) -> list[str]:
    lines = [
        f"| path | threads | load | first token | first word | {args.words}-word opener | {args.tokens} tokens | tokens "
        f"| first token vs (b) | opener vs (b) | {args.tokens} tokens vs (b) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['threads']} | {r['load']:.1f} | {fmt(r['first_token'])} | {fmt(r['first_word'])} | "
                     f"{fmt(r['opener'])} | {fmt(r['tokens_at'])} | {len(r['tokens'])} | "
                     f"{ratio(r['first_token'], reference['first_token'])} | "
                     f"{ratio(r['opener'], reference['opener'])} | {ratio(r['tokens_at'], reference['tokens_at'])} |")
    return lines


def goal(name, value, reference, limit):
    if value is None or reference is None or value != value or reference != reference:
        return f"{name}: not measured"
    r = value / reference
    return f"{name}: {r:.3f}x (goal <= {limit}x) {'MET' if r <= limit else 'MISSED'}"


def leading_agreement(a: list, b: list) -> int:
    """How many positions from the start two sequences agree on."""
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the Java opener against PyTorch references, its peers "
                                             "(llama.cpp, Jlama) and the machine's ceilings.")
    ap.add_argument("--repeat", type=int, default=None, help="measured runs per path after one warm-up (default 5, "
                                                             "3 with --quick)")
    ap.add_argument("--threads", default=None,
                    help="comma-separated thread counts to measure every path at (default: 1 and all cores; "
                         "all cores with --quick)")
    ap.add_argument("--words", type=int, default=8)
    ap.add_argument("--tokens", type=int, default=12, help="the token count timed beside the opener (default 12)")
    ap.add_argument("--max-tokens", type=int, default=48)
    ap.add_argument("--prompt-tokens", type=int, default=40)
    ap.add_argument("--jar", default=JAR)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--rebuild-model", action="store_true")
    ap.add_argument("--quick", action="store_true",
                    help="a shorter run: 3 repeats, all cores only, Java and (d) with the default spinning and "
                         "'always' only, no (a')")
    ap.add_argument("--no-peers", action="store_true", help="skip llama.cpp and Jlama (they need a JDK 21+)")
    args = ap.parse_args(argv)
    args.repeat = args.repeat or (3 if args.quick else 5)
    if args.threads is None:
        args.threads = str(os.cpu_count() or 1) if args.quick else f"1,{os.cpu_count() or 1}"

    t_start = time.time()
    threads = sorted({int(t) for t in args.threads.split(",")})
    info = machine(threads)  # load average before the benchmark's own work
    ensure_model(args.rebuild_model)
    ensure_jar(args.jar)

    import onnx
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(MODEL_DIR)
    prompt, prompt_ids = make_prompt(tokenizer, args.prompt_tokens)
    template = template_parts(tokenizer)
    head = bench_roofline.head_tokens(render(tokenizer, "a"), render(tokenizer, "Z 9"))
    log(f"prompt: {len(prompt_ids)} tokens ({head} of them the template's head): {prompt!r}")
    with open(os.path.join(MODEL_DIR, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)

    peer_command = peer_models = None
    if not args.no_peers:
        jdk = bench_peers.find_jdk()
        info["peers_java"] = subprocess.run([os.path.join(jdk, "bin", "java"), "-version"], capture_output=True,
                                            text=True).stderr.splitlines()[0]
        peer_command = bench_peers.ensure_runner(jdk, log)
        peer_models = bench_peers.ensure_peer_models(CACHE, CHECKPOINT_DIR, MODEL_DIR, log)
        peer_models["jlama-q4"] = bench_peers.ensure_jlama_q4(peer_command, peer_models["jlama"],
                                                              os.path.join(CACHE, "jlama-q4"), log)

    # the machine's ceilings, at each thread count
    ceilings = {}
    for t in threads:
        log(f"roofline: sgemm and memory copy at {t} thread(s)...")
        ceilings[t] = {"load": os.getloadavg()[0], "sgemm": bench_roofline.sgemm_ceiling(t),
                       "matmuls": bench_roofline.model_matmul_ceiling(cfg, len(prompt_ids) - head, t),
                       "copy": bench_roofline.copy_bandwidth(t)}

    # Java and (d): 1 thread, and with more threads each way of spinning (--spin); within-step is the default
    spins = (DEFAULT_SPIN, "always") if args.quick else (DEFAULT_SPIN, "off", "always")
    java_settings = [(t, DEFAULT_SPIN) for t in threads if t == 1] + [(t, spin) for t in threads if t > 1
                                                                      for spin in spins]
    paths = {
        JAVA_FP32: (java_settings, lambda t, spin: java_run(args.jar, "model.onnx", prompt, args, t, spin)),
        JAVA_FP32_ALL_LOGITS: (java_settings, lambda t, spin: java_run(
            args.jar, ALL_LOGITS_FILE, prompt, args, t, spin)),
        JAVA_FP32_PLAIN: (java_settings, lambda t, spin: java_run(args.jar, PLAIN_GRAPH_FILE, prompt, args, t, spin)),
        PY_FP32: (java_settings, lambda t, spin: python_ort_path("model.onnx", tokenizer, template, prompt, args, t,
                                                                 spin)),
        JAVA_INT8: (java_settings, lambda t, spin: java_run(args.jar, "model.int8.onnx", prompt, args, t, spin)),
        PY_INT8: (java_settings, lambda t, spin: python_ort_path("model.int8.onnx", tokenizer, template, prompt,
                                                                 args, t, spin)),
    }
    model = AutoModelForCausalLM.from_pretrained(CHECKPOINT_DIR, dtype=torch.float32).eval()

    def torch_at(threads, kv_cache):
        torch.set_num_threads(threads)
        return torch_path(model, tokenizer, prompt, args, kv_cache=kv_cache)

    torch_settings = [(t, None) for t in threads]
    paths[DEMO] = (torch_settings, lambda t, _: torch_at(t, False))
    paths[CACHED] = (torch_settings, lambda t, _: torch_at(t, True))
    for name, engine, key, quant, _ in ([] if args.no_peers else PEERS):
        paths[name] = (torch_settings, lambda t, _, engine=engine, key=key, quant=quant: peer_path(
            peer_command, engine, peer_models[key], quant, template, prompt, args, t))

    # (a'), (a'') and (d) right after (a) at the same setting, so that they meet the same load
    after = {JAVA_FP32: [PY_FP32] if args.quick else [JAVA_FP32_ALL_LOGITS, JAVA_FP32_PLAIN, PY_FP32],
             JAVA_INT8: [PY_INT8]}
    runs = []
    for name, (settings, _) in paths.items():
        if name not in (JAVA_FP32_ALL_LOGITS, JAVA_FP32_PLAIN, PY_FP32, PY_INT8):
            for t, spin in settings:
                runs.append((name, t, spin))
                runs += [(other, t, spin) for other in after.get(name, [])]
    every, best = [], {}
    for name, t, spin in runs:
        log(f"{name}, {t} thread(s){', spin ' + spin if spin and t > 1 else ''}...")
        load = os.getloadavg()[0]
        r = paths[name][1](t, spin)
        r["load"] = load
        r["t"] = t
        r["spin"] = spin
        r["threads"] = f"{t}{', spin ' + spin if spin and t > 1 else ''}"
        r["default"] = spin == DEFAULT_SPIN and t == threads[-1]
        every.append((name, r))
        if name not in best or r["opener"] < best[name]["opener"]:
            best[name] = r
    every.sort(key=lambda row: list(paths).index(row[0]))  # the table lists the paths in order
    demo, cached = best[DEMO], best[CACHED]
    java_fp32, java_int8 = best[JAVA_FP32], best[JAVA_INT8]
    ours = [(n, r) for n, r in best.items() if n not in PEER_NAMES]
    peers = [(n, r) for n, r in best.items() if n in PEER_NAMES]

    checks = [
        f"Java prompt tokens: {java_fp32['prompt_tokens']} (Python: {len(prompt_ids)}); the template's head, "
        f"prefilled once at load by (a) and (d): {head} tokens",
        "prompt of the peers and (d) (the template's text around the message, concatenated) = the chat template's "
        "rendering: " + str(tokenizer(template[0] + prompt + template[1], add_special_tokens=False)["input_ids"]
                            == prompt_ids),
        "greedy ids, Java fp32 = PyTorch (b): " + str(java_fp32["tokens"] == demo["tokens"]),
        "greedy ids, Java fp32 = PyTorch (c): " + str(java_fp32["tokens"] == cached["tokens"]),
        "greedy ids, Java fp32 = Python ONNX Runtime (d) fp32: " + str(java_fp32["tokens"] == best[PY_FP32]["tokens"]),
        "greedy ids, Java int8 = Python ONNX Runtime (d) int8 on the first "
        + str(leading_agreement(java_int8["tokens"], best[PY_INT8]["tokens"])) + " tokens (ONNX Runtime "
        f"{info['onnxruntime_java']} in Java, {info['onnxruntime_python']} in Python: int8 kernels of two versions"
        " may round differently)",
        "greedy ids, Java int8 = fp32 on the first "
        + str(leading_agreement(java_int8["tokens"], java_fp32["tokens"]))
        + " tokens (dynamic int8 quantization of a random model changes the argmax; its opener has its own length)",
        f"Java fp32 opener text: {json.dumps(java_fp32['text'], ensure_ascii=True)}",
    ]
    for offset, (variant, _, _) in enumerate(v for v in VARIANTS if v[0] in best):
        checks.insert(4 + offset, f"greedy ids, Java fp32 = {variant}: "
                      + str(java_fp32["tokens"] == best[variant]["tokens"]))
    reference_pieces = [tokenizer.decode([i], skip_special_tokens=False) for i in demo["tokens"]]
    for name, r in peers:
        checks.append(f"{name}: prompt ids = transformers': {r['prompt_ids'] == prompt_ids}; the same tokens in "
                      f"every run: {r['runs_agree']}")
        if "F32" in name:
            if r["tokens"] and r["tokens"][0] >= 0:  # Jlama reports ids
                agree, what = leading_agreement(r["tokens"], demo["tokens"]), "ids"
            else:  # llama.cpp streams each token's text: compared with the text of PyTorch's token at each position
                agree, what = leading_agreement(r["pieces"], reference_pieces), "token texts"
            checks.append(f"greedy {what}, {name} = PyTorch (b) on the first {agree} of {len(demo['tokens'])} "
                          f"tokens ({'OK' if agree >= min(args.tokens, len(demo['tokens'])) else 'WRONG'}: the "
                          f"conversion is {'right' if agree >= min(args.tokens, len(demo['tokens'])) else 'broken'})")

    goals = [
        goal("first token, Java fp32 vs (b)", java_fp32["first_token"], demo["first_token"], 0.5),
        goal("first token, Java int8 vs (b)", java_int8["first_token"], demo["first_token"], 0.5),
        goal(f"{args.words}-word opener, Java fp32 vs (b)", java_fp32["opener"], demo["opener"], 0.25),
        goal(f"{args.words}-word opener, Java int8 vs (b)", java_int8["opener"], demo["opener"], 0.15),
    ]
    # the same with the extension's defaults: one thread per core, spinning within a step only
    for name, limit in (("fp32", 0.25), ("int8", 0.15)):
        r = next(r for n, r in every if n == (JAVA_FP32 if name == "fp32" else JAVA_INT8) and r["default"])
        goals.append(f"with the default settings, Java {name} at {r['threads']}: "
                     f"first token {r['first_token'] / demo['first_token']:.3f}x, {args.words}-word opener "
                     f"{r['opener'] / demo['opener']:.3f}x ({'both goals MET' if r['first_token'] <= 0.5 * demo['first_token'] and r['opener'] <= limit * demo['opener'] else 'not both met'})")

    # --- peers: ours against the best of them, per figure
    versus, peer_goals = [], []
    for precision, our_name in (("fp32", JAVA_FP32), ("int8", JAVA_INT8)):
        rivals = [(n, r) for n, r in peers if PEER_PRECISION[n] == precision]
        for figure, key, limit in (("first token", "first_token", 0.5), (f"{args.tokens} tokens", "tokens_at", 0.7),
                                   (f"{args.words}-word opener", "opener", None)):
            candidates = [(r[key], n) for n, r in rivals if r[key] is not None]
            if not candidates:
                continue
            top, top_name = min(candidates)
            mine = best[our_name][key]
            counts = (f" ({len(best[our_name]['tokens'])} tokens)", f", {len(best[top_name]['tokens'])} tokens") \
                if key == "opener" else ("", "")
            versus.append(f"| {precision} {figure} | {fmt(mine)}{counts[0]} | {fmt(top)} ({top_name}{counts[1]}) | "
                          f"{ratio(mine, top)} |")
            if limit:
                peer_goals.append(goal(f"{figure}, Java {precision} vs the best peer ({top_name})", mine, top, limit))

    # --- roofline
    roof = []
    new_tokens = len(prompt_ids) - head
    flops = bench_roofline.prefill_flops(cfg, new_tokens, head, 1)
    for name in (JAVA_FP32, PY_FP32):
        r = best[name]
        achieved = flops / (r["first_token"] / 1000) / 1e9
        ceiling = ceilings[r["t"]]["sgemm"]
        roof.append(f"prefill, {name} at {r['threads']}: {flops / 1e9:.3f} GFLOP in {fmt(r['first_token'])} ms (the "
                    f"first token, template and tokenization included) = {achieved:.1f} GFLOP/s, "
                    f"{100 * achieved / ceiling:.0f}% of the sgemm ceiling, "
                    f"{100 * achieved / ceilings[r['t']]['matmuls']:.0f}% of the model's matrix products alone at "
                    f"{r['t']} thread(s)")
    for name, file in ((JAVA_FP32, "model.onnx"), (JAVA_INT8, "model.int8.onnx"), (PY_FP32, "model.onnx"),
                       (PY_INT8, "model.int8.onnx")):
        r = best[name]
        weight_bytes = bench_roofline.decode_weight_bytes(onnx.load(os.path.join(MODEL_DIR, file)))
        if r["tokens_at"] is None:
            roof.append(f"decoding step, {name}: not measured (fewer than {args.tokens} tokens)")
            continue
        step = (r["tokens_at"] - r["first_token"]) / (args.tokens - 1)
        achieved = weight_bytes / (step / 1000) / 1e9
        roof.append(f"decoding step, {name} at {r['threads']}: {weight_bytes / 1e6:.1f} MB of weights in {step:.2f} ms "
                    f"(({args.tokens} tokens - first token) / {args.tokens - 1}) = {achieved:.1f} GB/s, "
                    f"{100 * achieved / ceilings[r['t']]['copy']:.0f}% of the memory-copy bandwidth at {r['t']} "
                    f"thread(s)")
    prefill_goal = flops / (java_fp32["first_token"] / 1000) / 1e9 / ceilings[java_fp32["t"]]["sgemm"]
    # what the kernel allows: the model's matrix products alone, against the same sgemm ceiling
    matmul_share = ceilings[java_fp32["t"]]["matmuls"] / ceilings[java_fp32["t"]]["sgemm"]

    # --- Java against Python ONNX Runtime on the same file, setting by setting
    jvp = []
    for java_name, py_name in ((JAVA_FP32, PY_FP32), (JAVA_INT8, PY_INT8)):
        for j in (r for n, r in every if n == java_name):
            p = next(r for n, r in every if n == py_name and r["threads"] == j["threads"])
            jvp.append(f"| {java_name.split(', ')[-1]} | {j['threads']} | {fmt(j['first_token'])} / "
                       f"{fmt(p['first_token'])} | {ratio(j['first_token'], p['first_token'])} | "
                       f"{fmt(j['tokens_at'])} / {fmt(p['tokens_at'])} | {ratio(j['tokens_at'], p['tokens_at'])} |")
    py_goals = [goal(f"{figure}, Java {precision} vs Python ONNX Runtime (d), each at its fastest setting",
                     best[j][key], best[p][key], 1.1)
                for precision, j, p in (("fp32", JAVA_FP32, PY_FP32), ("int8", JAVA_INT8, PY_INT8))
                for figure, key in (("first token", "first_token"), (f"{args.tokens} tokens", "tokens_at"))]

    goals18 = [
        goal("first token, Java fp32 vs (b)", java_fp32["first_token"], demo["first_token"], 0.45),
        goal("first token, Java int8 vs (b)", java_int8["first_token"], demo["first_token"], 0.35),
        goal(f"{args.tokens} tokens, Java fp32 vs (b)", java_fp32["tokens_at"], demo["tokens_at"], 0.2),
        goal(f"{args.tokens} tokens, Java int8 vs (b)", java_int8["tokens_at"], demo["tokens_at"], 0.12),
    ] + (peer_goals or ["against the best peer: not measured (--no-peers)"]) + [
        f"prefill, Java fp32: {100 * prefill_goal:.0f}% of the sgemm ceiling (goal >= 70%) "
        f"{'MET' if prefill_goal >= 0.7 else 'MISSED'} (the model's matrix products alone, with nothing else of the"
        f" prefill, reach {100 * matmul_share:.0f}% of it)",
    ] + py_goals

    # the same weights, the same setting: only the logits layout, or the graph's operators, differ
    layouts = []
    for variant, ours_has, variant_has in (v for v in VARIANTS if v[0] in best):
        for setting in (r["threads"] for n, r in every if n == JAVA_FP32):
            default = next(r for n, r in every if n == JAVA_FP32 and r["threads"] == setting)
            other = next(r for n, r in every if n == variant and r["threads"] == setting)
            layouts.append(f"{variant.split(' ')[0]} threads {setting}: first token {fmt(default['first_token'])} ms "
                           f"with {ours_has}, {fmt(other['first_token'])} ms with {variant_has} "
                           f"({ratio(default['first_token'], other['first_token'])}); {args.tokens} tokens "
                           f"{fmt(default['tokens_at'])} against {fmt(other['tokens_at'])} ms "
                           f"({ratio(default['tokens_at'], other['tokens_at'])})")

    text = report(args, info, cfg, prompt, prompt_ids, head, ours, peers, every, demo, goals, versus, ceilings, roof,
                  jvp, goals18, layouts, checks)
    text += f"Benchmark wall time: {time.time() - t_start:.0f} s.\n"
    print(text)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    log(f"wrote {args.out}")
    return 0


def report(args, info, cfg, prompt, prompt_ids, head, ours, peers, every, demo, goals, versus, ceilings, roof, jvp,
           goals18, layouts, checks) -> str:
    n = args.tokens
    lines = [
        "# Opener benchmark",
        "",
        f"Generated by `samples/micro-model/bench_opener.py{' --quick' if args.quick else ''}` on "
        f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} (greedy, {args.repeat} runs after one warm-up, "
        "medians; times in ms from the start of the request, chat template and tokenization included).",
        "",
        "Model: the Swen-28M-shaped random-weight model of `make_bench_model.py` (8 layers, hidden 512, 8/2 heads,"
        " SwiGLU 1408, vocab 12,288, 28,844,544 parameters; fp32 ONNX 115 MB, int8 ONNX 29 MB), exported with"
        " export.py's defaults `--logits last --graph fused`; (a') is the same fp32 model exported with `--logits all`,"
        " (a'') with `--graph plain`.",
        f"Prompt: {len(prompt_ids)} tokens (ChatML, default system line), user message \"{prompt}\"; its first {head}"
        " tokens are the template's head, which (a) and (d) prefill once at load and llama.cpp's prompt cache also"
        " holds (see Peers); Jlama and the PyTorch paths prefill the whole prompt.",
        f"Opener: {args.words} complete words, at most {args.max_tokens} tokens; \"{n} tokens\": when the {n}th token"
        f" was generated (\"-\" when the opener ended before it).",
        "",
        "## Our opener and the paper's demo",
        "",
        "Each path at its fastest setting (ratios against (b) at its fastest); load = the 1-minute load average when"
        " the path started (2 cores: above ~1, other work competes for them):",
        "",
    ]
    lines += table(ours, demo, args)
    lines += ["", "Goals (the issue \"The on-device opener\"):", ""]
    lines += [f"- {g}" for g in goals]
    if peers:
        lines += [
            "", "## Peers: what a Java user would pick instead", "",
            "The same checkpoint, prompt, thread counts and clock (from before the chat template, rendered by string"
            " concatenation, to the token), run by `samples/micro-model/peers` (PeerOpener) on a JDK 21+, each at"
            " its fastest setting:",
            "",
            "- llama.cpp through java-llama.cpp (`de.kherud:llama` 4.1.0: its server loop, streamed token by token),"
            " on GGUF files written by `bench_peers.py` with the `gguf` package (Q/K rows permuted for GGML's rotary"
            " layout as convert_hf_to_gguf.py does): F32 and Q8_0 (8-bit blocks of 32, the closest to our int8)."
            " Its prompt cache is on (its default), and before every measured run it answers a one-token request for"
            " another message, as a service does between conversations: like ours, it then prefills only the"
            " message's own tokens;",
            "- Jlama (`com.github.tjake:jlama-core` 0.8.4, `--add-modules jdk.incubator.vector`): F32, and Q4"
            " weights (Jlama's own quantizer) with I8 activations, its only quantized mode (it has no kernel for"
            " 8-bit weights; an I8 working type on F32 weights stays F32). It has no prompt cache: it prefills the"
            " whole prompt. Its `generate` loop is written out with its public methods so that it stops at the"
            " opener's end and reports ids.",
            "",
            f"| peer | threads | load | first token | first word | {args.words}-word opener | {n} tokens | tokens "
            "| model load |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, r in peers:
            lines.append(f"| {name} | {r['threads']} | {r['load']:.1f} | {fmt(r['first_token'])} | "
                         f"{fmt(r['first_word'])} | {fmt(r['opener'])} | {fmt(r['tokens_at'])} | {len(r['tokens'])} "
                         f"| {r['load_ms']:.0f} |")
        lines += ["", "Ours (the Java opener, each at its fastest setting) against the best peer for each figure (int8:"
                  f" llama.cpp Q8_0 and Jlama Q4/I8). {n} tokens is the like-for-like figure: quantized models of"
                  " random weights write different tokens, so their openers can differ in length:", "",
                  "| figure | ours | best peer | ours / best peer |", "| --- | ---: | ---: | ---: |"]
        lines += versus
    lines += [
        "", "## Roofline", "",
        "Ceilings of this machine, measured in this run: sgemm = a 1024 x 1024 x 1024 fp32 MatMul through ONNX Runtime"
        " (Python) at the thread count, best of 10; the model's matrix products = the decoder layers' Q, K, V, O,"
        f" gate, up and down MatMuls alone (random weights of the model's shapes and size, {len(prompt_ids) - head}"
        " rows: the prompt after the cached head) through ONNX Runtime, best of 10, i.e. what its MatMul kernel"
        " reaches on this prefill's shapes with weights that do not stay in the caches; memory copy = 256 MiB copied"
        " by numpy split over the threads, bytes read + written, best of 5:",
        "",
        "| threads | load | sgemm GFLOP/s | the model's matrix products GFLOP/s | memory copy GB/s |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [f"| {t} | {c['load']:.1f} | {c['sgemm']:.1f} | {c['matmuls']:.1f} | {c['copy']:.1f} |"
              for t, c in ceilings.items()]
    lines += [
        "",
        f"Prefill FLOPs = 2 x new tokens x matrix parameters (per layer Q, K, V, O, gate, up, down: "
        f"{bench_roofline.matrix_params(cfg):,}"
        " in all) + attention (layers x heads x 4 x head_dim per query-key pair, causal, over the cached head too)"
        " + 2 x hidden x vocab for the one row of logits (`--logits last`); a decoding step reads every weight"
        " that feeds a matrix product once (from the ONNX file; the embedding row, norms and the KV cache, under"
        " 1%, are left out):",
        "",
    ]
    lines += [f"- {line}" for line in roof]
    lines += [
        "", "## Java against Python ONNX Runtime", "",
        "(d) runs the Java opener's loop in Python with ONNX Runtime from the venv: the same ONNX file, the same"
        " session options (threads, spinning, graph optimizations, arena), the template's head prefilled once at"
        " load, one token per step with the KV cache, tokenization by the `tokenizers` library; what the ratio adds"
        " above 1 is the JVM, JNI and the Java side's own work (tokenizer, sampling, words):",
        "",
        f"| model | threads | first token, Java / Python | ratio | {n} tokens, Java / Python | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += jvp
    lines += ["", "## Goals of issue #18", ""]
    lines += [f"- {g}" for g in goals18]
    lines += ["", "## Every path at every setting", ""]
    lines += table([(nm, r) for nm, r in every if nm not in PEER_NAMES], demo, args)
    if layouts:
        lines += ["", "Export options, Java fp32 (a) against (a') and (a'') (the medians above, each run right after"
                  " (a) at the same setting; on a busy machine one setting can still be off by more than the"
                  " difference): the first token is the prefill of the prompt after the chat template's head (cached"
                  " at load), where (a') also projects every position but the last onto the vocabulary; (a'') runs"
                  " attention, rotary embedding and RMSNorm as standard ONNX operators (ONNX Runtime fuses only the"
                  " RMSNorm of those at load) instead of GroupQueryAttention, RotaryEmbedding and"
                  " SkipSimplifiedLayerNormalization:", ""]
        lines += [f"- {line}" for line in layouts]
    if peers:
        lines += ["", "Peers at every thread count:", "",
                  f"| peer | threads | load | first token | first word | {args.words}-word opener | {n} tokens |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        lines += [f"| {nm} | {r['threads']} | {r['load']:.1f} | {fmt(r['first_token'])} | {fmt(r['first_word'])} | "
                  f"{fmt(r['opener'])} | {fmt(r['tokens_at'])} |" for nm, r in every if nm in PEER_NAMES]
    lines += ["", "## Checks", ""]
    lines += [f"- {c}" for c in checks]
    lines += [
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores (load average at the start: {info['load']}; the machine is"
        " shared, other work may run at the same time, which hurts multi-threaded runs most: compare the ratios"
        " within one run)",
        f"- threads: {info['threads']} (ONNX Runtime intra-op threads in Java and (d), `torch.set_num_threads` in"
        " PyTorch, llama.cpp's threads and batch threads, Jlama's thread count); Java's spinning (`opener --spin`,"
        " i.e. `quarkus.handoff.opener.thread-spinning`, and the same session entries in (d)): \"within-step\" (the"
        " default) spins between the operations of one decoding step and stops when the step returns, \"always\""
        " also spins between steps (ONNX Runtime's own default), \"off\" never spins; with one thread it makes no"
        " difference",
        f"- Java: {info['java']}; ONNX Runtime (Java) {info['onnxruntime_java']}"
        + (f"; peers: {info['peers_java']}" if "peers_java" in info else ""),
        f"- Python: torch {info['torch']}, transformers {info['transformers']}, onnxruntime {info['onnxruntime_python']}",
        f"- OS: {info['os']}",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
