"""The peers of the opener benchmark: what a Java user would pick instead of the extension's opener.

bench_opener.py measures, on the same checkpoint, prompt and thread counts as the Java opener:

- llama.cpp through java-llama.cpp (``de.kherud:llama``), on GGUF files written here from the transformers checkpoint
  with the ``gguf`` package: F32, and Q8_0 (llama.cpp's 8-bit blocks of 32; norms stay F32), the Q/K projections
  permuted for GGML's rotary layout as llama.cpp's convert_hf_to_gguf.py does for Llama (:func:`permute_qk`);
- Jlama (``com.github.tjake:jlama-core``), on the checkpoint's safetensors with the exported config.json (which has
  rope_theta at the top level, where Jlama reads it) and tokenizer.json (:func:`jlama_tokenizer`), F32, and Q4
  weights with I8 activations: Jlama's quantized mode (it has no kernel for 8-bit weights; an I8 working type on
  F32 weights stays F32).

Both run in the Java program of ``peers/`` (PeerOpener), built with Maven and a JDK 21+ (Jlama needs the incubator
vector module). The pure helpers (:func:`permute_qk`, :func:`jlama_tokenizer`, :func:`piece_ids`) are tested in tests/test_bench_helpers.py;
nothing else here is needed by the tests.
"""
from __future__ import annotations

import glob
import json
import os
import subprocess

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PEERS_DIR = os.path.join(HERE, "peers")
PEERS_MAIN = "io.quarkiverse.handoff.peers.PeerOpener"
JDK_CANDIDATES = ("/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/temurin-21-jdk-amd64",
                  "/usr/lib/jvm/java-25-openjdk-amd64", "/usr/lib/jvm/java-21-openjdk-amd64")
GGUF_TYPES = ("F32", "Q8_0")


def permute_qk(weights: np.ndarray, n_head: int, n_head_kv: int | None = None) -> np.ndarray:
    """Rows of a Q or K projection ([heads * head_dim, hidden]) reordered for GGML's rotary embedding.

    transformers' Llama rotates the two halves of each head (rotate_half: dims i and i + head_dim/2 form a pair);
    GGML's (mode 0) rotates adjacent dims (2i, 2i+1). Within each head, the rows are interleaved so that GGML's pairs
    are transformers' pairs: the same as convert_hf_to_gguf.py's LlamaModel.permute (K passes the KV head count).
    """
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return (weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
            .swapaxes(1, 2)
            .reshape(weights.shape))


def piece_ids(pieces: list[str], piece_to_id: dict[str, int]) -> list[int]:
    """Token ids of decoded token texts (llama.cpp streams text, not ids); -1 for a text that is no single token."""
    return [piece_to_id.get(p, -1) for p in pieces]


def piece_table(tokenizer) -> dict[str, int]:
    """Each token's decoded text -> its id, for the tokens whose text is unique and valid UTF-8."""
    table: dict[str, int] = {}
    seen: set[str] = set()
    for i in range(len(tokenizer)):
        text = tokenizer.decode([i], skip_special_tokens=False)
        if "\ufffd" in text:
            continue  # part of a multi-byte character: not comparable as text
        if text in seen:
            table.pop(text, None)
        else:
            table[text] = i
            seen.add(text)
    return table


# ---------------------------------------------------------------------------------------------------------------
# model files


def _tokenizer_vocab(model_dir: str, vocab_size: int):
    """tokens (HF byte-level strings by id), token types (gguf.TokenType) and merges of tokenizer.json."""
    import gguf
    with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
        tok = json.load(f)
    tokens = [None] * vocab_size
    types = [gguf.TokenType.NORMAL] * vocab_size
    for text, i in tok["model"]["vocab"].items():
        tokens[i] = text
    for added in tok.get("added_tokens", []):
        tokens[added["id"]] = added["content"]
        types[added["id"]] = gguf.TokenType.CONTROL if added.get("special") else gguf.TokenType.USER_DEFINED
    missing = [i for i, t in enumerate(tokens) if t is None]
    if missing:
        raise SystemExit(f"bench_peers.py: error: tokenizer.json has no token for ids {missing[:5]}...")
    merges = [m if isinstance(m, str) else " ".join(m) for m in tok["model"]["merges"]]
    return tokens, types, merges


def write_gguf(checkpoint_dir: str, model_dir: str, out: str, kind: str) -> None:
    """A llama.cpp GGUF of the transformers checkpoint: F32, or Q8_0 for every matrix (1-D norms stay F32)."""
    try:
        import gguf
    except ImportError:
        raise SystemExit("bench_opener.py: error: the llama.cpp peer needs the gguf package: "
                         "pip install --retries 0 -r samples/micro-model/requirements-bench.txt (or run --no-peers)")
    from safetensors.numpy import load_file

    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    with open(os.path.join(model_dir, "tokenizer_config.json"), encoding="utf-8") as f:
        tok_cfg = json.load(f)
    weights = {}
    for path in sorted(glob.glob(os.path.join(checkpoint_dir, "*.safetensors"))):
        weights.update(load_file(path))
    if "lm_head.weight" in weights and not cfg.get("tie_word_embeddings"):
        raise SystemExit("bench_peers.py: error: an untied lm_head is not written (the bench model ties it)")
    n_head, n_kv, layers = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["num_hidden_layers"]
    qtype = {"F32": gguf.GGMLQuantizationType.F32, "Q8_0": gguf.GGMLQuantizationType.Q8_0}[kind]

    w = gguf.GGUFWriter(out, "llama")
    w.add_name("bench model")
    w.add_context_length(cfg["max_position_embeddings"])
    w.add_embedding_length(cfg["hidden_size"])
    w.add_block_count(layers)
    w.add_feed_forward_length(cfg["intermediate_size"])
    w.add_rope_dimension_count(cfg["head_dim"])
    w.add_head_count(n_head)
    w.add_head_count_kv(n_kv)
    w.add_layer_norm_rms_eps(cfg["rms_norm_eps"])
    w.add_rope_freq_base(cfg["rope_theta"])
    w.add_file_type(gguf.LlamaFileType.ALL_F32 if kind == "F32" else gguf.LlamaFileType.MOSTLY_Q8_0)
    tokens, types, merges = _tokenizer_vocab(model_dir, cfg["vocab_size"])
    w.add_tokenizer_model("gpt2")  # byte-level BPE
    w.add_tokenizer_pre("gpt-2")  # the GPT-2 split regex, which the ByteLevel pre-tokenizer applies
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    if cfg.get("bos_token_id") is not None:
        w.add_bos_token_id(cfg["bos_token_id"])
    w.add_eos_token_id(cfg["eos_token_id"] if isinstance(cfg["eos_token_id"], int) else cfg["eos_token_id"][0])
    if cfg.get("pad_token_id") is not None:
        w.add_pad_token_id(cfg["pad_token_id"])
    w.add_add_bos_token(False)  # the chat template writes every token itself
    w.add_add_eos_token(False)
    if tok_cfg.get("chat_template"):
        w.add_chat_template(tok_cfg["chat_template"])

    def add(name: str, data: np.ndarray) -> None:
        data = np.ascontiguousarray(data, dtype=np.float32)
        if data.ndim == 1 or qtype == gguf.GGMLQuantizationType.F32:
            w.add_tensor(name, data)
        else:
            w.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)

    add("token_embd.weight", weights["model.embed_tokens.weight"])  # also the output head (tied)
    for i in range(layers):
        p = f"model.layers.{i}."
        add(f"blk.{i}.attn_norm.weight", weights[p + "input_layernorm.weight"])
        add(f"blk.{i}.attn_q.weight", permute_qk(weights[p + "self_attn.q_proj.weight"], n_head, n_head))
        add(f"blk.{i}.attn_k.weight", permute_qk(weights[p + "self_attn.k_proj.weight"], n_head, n_kv))
        add(f"blk.{i}.attn_v.weight", weights[p + "self_attn.v_proj.weight"])
        add(f"blk.{i}.attn_output.weight", weights[p + "self_attn.o_proj.weight"])
        add(f"blk.{i}.ffn_norm.weight", weights[p + "post_attention_layernorm.weight"])
        add(f"blk.{i}.ffn_gate.weight", weights[p + "mlp.gate_proj.weight"])
        add(f"blk.{i}.ffn_up.weight", weights[p + "mlp.up_proj.weight"])
        add(f"blk.{i}.ffn_down.weight", weights[p + "mlp.down_proj.weight"])
    add("output_norm.weight", weights["model.norm.weight"])
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


# HF tokenizers' ByteLevel(use_regex=True) split, which Qwen2's tokenizer.json spells out as Split + ByteLevel
GPT2_SPLIT = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"


def jlama_tokenizer(tok: dict) -> dict:
    """tokenizer.json with a bare ByteLevel pre-tokenizer rewritten as the equivalent Sequence of the GPT-2 Split and
    a ByteLevel without regex: Jlama 0.8.4 maps bytes to byte-level characters only for a ByteLevel inside a
    Sequence (as Qwen2's tokenizer.json has it), and would otherwise tokenize spaces and newlines wrongly."""
    pre = tok.get("pre_tokenizer") or {}
    if pre.get("type") != "ByteLevel":
        return tok
    out = dict(tok)
    out["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": GPT2_SPLIT}, "behavior": "Isolated", "invert": False},
        {**pre, "use_regex": False}]}
    return out


def jlama_dir(checkpoint_dir: str, model_dir: str, out: str) -> None:
    """A directory Jlama loads: links to the checkpoint's safetensors, the exported config.json (rope_theta at the
    top level, where Jlama reads it) and tokenizer_config.json, tokenizer.json in the form Jlama reads, a README.md."""
    os.makedirs(out, exist_ok=True)
    links = {os.path.basename(p): p for p in glob.glob(os.path.join(checkpoint_dir, "*.safetensors"))}
    links.update({name: os.path.join(model_dir, name) for name in ("config.json", "tokenizer_config.json")})
    for name, target in links.items():
        link = os.path.join(out, name)
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.abspath(target), link)
    with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
        tok = json.load(f)
    target = os.path.join(out, "tokenizer.json")
    if os.path.lexists(target):
        os.remove(target)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(jlama_tokenizer(tok), f, ensure_ascii=False)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:  # Jlama's quantizer copies it
        f.write("The opener benchmark's model for Jlama, made by samples/micro-model/bench_peers.py.\n")


def ensure_peer_models(cache: str, checkpoint_dir: str, model_dir: str, log) -> dict[str, str]:
    """The GGUF files and the Jlama directory in CACHE (made once, reused after), by peer model name."""
    paths = {f"gguf-{k}": os.path.join(cache, f"model.{k.lower()}.gguf") for k in GGUF_TYPES}
    for kind in GGUF_TYPES:
        path = paths[f"gguf-{kind}"]
        if not os.path.isfile(path) or os.path.getmtime(path) < os.path.getmtime(os.path.join(model_dir,
                                                                                              "config.json")):
            log(f"peers: writing {path} ({kind})...")
            write_gguf(checkpoint_dir, model_dir, path + ".tmp", kind)
            os.replace(path + ".tmp", path)
    paths["jlama"] = os.path.join(cache, "jlama")
    jlama_dir(checkpoint_dir, model_dir, paths["jlama"])
    return paths


# ---------------------------------------------------------------------------------------------------------------
# the Java runner


def find_jdk() -> str:
    """JAVA_HOME of a JDK 21+ (Jlama's requirement): PEERS_JAVA_HOME, or a known location."""
    candidates = [os.environ.get("PEERS_JAVA_HOME")] + list(JDK_CANDIDATES)
    for home in candidates:
        if home and os.path.isfile(os.path.join(home, "bin", "java")):
            out = subprocess.run([os.path.join(home, "bin", "java"), "-version"], capture_output=True, text=True)
            first = (out.stderr.splitlines() or [""])[0]
            version = first.split('"')[1] if '"' in first else "0"
            if int(version.split(".")[0]) >= 21:
                return home
    raise SystemExit("bench_opener.py: error: the peers need a JDK 21 or newer (Jlama); none found at "
                     + ", ".join(JDK_CANDIDATES) + ": set PEERS_JAVA_HOME, or run with --no-peers")


def ensure_runner(jdk: str, log) -> list[str]:
    """Builds peers/ with Maven when its classes are missing; returns the java command line that runs it."""
    classes = os.path.join(PEERS_DIR, "target", "classes")
    lib = os.path.join(PEERS_DIR, "target", "lib")
    source = os.path.join(PEERS_DIR, "src", "main", "java", "io", "quarkiverse", "handoff", "peers",
                          "PeerOpener.java")
    built = os.path.join(classes, "io", "quarkiverse", "handoff", "peers", "PeerOpener.class")
    if not os.path.isfile(built) or os.path.getmtime(built) < os.path.getmtime(source) or not os.path.isdir(lib):
        log("peers: building samples/micro-model/peers with Maven...")
        subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "-f", os.path.join(PEERS_DIR, "pom.xml"), "package"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "JAVA_HOME": jdk})
    return [os.path.join(jdk, "bin", "java"), "--add-modules", "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED", "-cp", classes + os.pathsep + os.path.join(lib, "*"), PEERS_MAIN]


def ensure_jlama_q4(command: list[str], jlama: str, out: str, log) -> str:
    """Jlama's Q4 model of the JLAMA directory, written once with Jlama's own quantizer into OUT."""
    if not os.path.isfile(os.path.join(out, "model.safetensors")):
        log(f"peers: quantizing the Jlama model to Q4 into {out}...")
        if os.path.isdir(out):
            for name in os.listdir(out):  # the quantizer refuses to overwrite
                os.remove(os.path.join(out, name))
        subprocess.run(command[:-1] + ["-Dorg.slf4j.simpleLogger.defaultLogLevel=off", command[-1], "jlama-quantize",
                                       "--model", jlama, "--out", out], check=True, capture_output=True)
    return out


def run_peer(command: list[str], engine: str, model: str, quant: str, prefix: str, user: str, suffix: str,
             threads: int, args) -> dict:
    cmd = command + [engine, "--model", model, "--quant", quant, "--prefix", prefix, "--user", user,
                     "--suffix", suffix, "--warm-user", "a", "--threads", str(threads), "--words", str(args.words),
                     "--tokens", str(args.tokens), "--max-tokens", str(args.max_tokens), "--repeat", str(args.repeat)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"bench_opener.py: error: the {engine} peer failed ({proc.returncode}): "
                         f"{proc.stderr.strip()[-2000:]}")
    return json.loads(lines[-1])
