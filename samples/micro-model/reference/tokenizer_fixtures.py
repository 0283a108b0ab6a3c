#!/usr/bin/env python3
"""Builds the reference fixtures of the pure-Java tokenizer and chat-template renderer.

Run with the sample's venv (tokenizers 0.23, transformers 5.x; no network needed):

    samples/micro-model/.venv/bin/python samples/micro-model/reference/tokenizer_fixtures.py [--out DIR]

It trains small byte-level BPE tokenizers with the Hugging Face ``tokenizers`` library on a built-in
multilingual text (deterministic: same input, same output), and writes, for each of them, into
``runtime/src/test/resources/tokenizer/<name>/`` (or ``DIR/<name>/``):

* ``tokenizer.json`` and ``tokenizer_config.json`` (and ``chat_template.jinja`` for one of them);
* ``cases.json``: a varied corpus with the reference ids (``add_special_tokens=False``), the decoded
  text with and without special tokens, whether decode(encode(x)) == x, and the prompts rendered by
  ``transformers`` ``apply_chat_template`` from the directory's own chat template, with their ids.

It also writes ``runtime/src/test/resources/tokenizer/chat_cases.json`` (or ``DIR/chat_cases.json``):
several chat templates (ChatML variants with and without a default system message, Llama-3) rendered
by ``transformers`` for single-turn, multi-turn, with/without system, history and assistant-prefix
(prefill) cases.

The tokenizers:

1. ``gpt2-bytelevel``: GPT-2 style ``ByteLevel(use_regex=true)`` pre-tokenizer, no normalizer,
   merges written in the legacy ``"a b"`` string form (like GPT-2's own file).
2. ``qwen2-split``: Qwen2 style ``Sequence[Split(Regex, Isolated), ByteLevel(use_regex=false)]`` with an
   NFC normalizer, merges in the ``["a", "b"]`` array form, a normalized non-special added token.
3. ``llama3-split``: Llama-3 style (``\\p{N}{1,3}``), ``ignore_merges=true`` with a whole-word vocab entry
   no merge reaches, Llama-3 special tokens and added tokens using ``single_word``/``lstrip``/``rstrip``;
   its chat template is a Llama-3 one in ``chat_template.jinja``.
4. ``bytelevel-prefix``: ``ByteLevel(add_prefix_space=true)`` with a ``Sequence[NFKC]`` normalizer.

All have the special tokens ``<|endoftext|>`` = 0, ``<|im_start|>`` = 1, ``<|im_end|>`` = 2.
"""

import argparse
import json
import os
import random
import shutil
import sys

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import AutoTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "runtime", "src", "test", "resources", "tokenizer")

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")

TRAINING_TEXT = """
The quick brown fox jumps over the lazy dog. It's a classic sentence; we've all seen it, haven't we?
On-device models write the first words of a reply, and a cloud model continues where they stopped.
Small language models can run on a phone, a laptop or a Raspberry Pi with ONNX Runtime.
In 2024, more than 1,000 teams shipped 12.5% faster replies; latency dropped from 850 ms to 120 ms.
def tokenize(text: str) -> list[int]:
    return [vocab[t] for t in text.split()]  # naive, but it's only an example!
{"role": "user", "content": "Hello, world!"} <tag attr="value">content</tag> x += 1; y = x * 2
Le renard brun et rapide saute par-dessus le chien paresseux. C'est l'été, la crème brûlée est prête.
Der schnelle braune Fuchs springt über den faulen Hund. Größe, Straße, Übermäßig, schön.
El rápido zorro marrón salta sobre el perro perezoso. ¿Dónde está la estación? ¡Mañana!
Быстрая коричневая лиса прыгает через ленивую собаку. Привет, мир! Как дела?
Η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο.
敏捷的棕色狐狸跳过了懒狗。你好，世界！今天天气很好，我们去公园散步吧。模型生成了第一句话。
素早い茶色の狐がのろまな犬を飛び越えた。こんにちは、世界！東京は大きな都市です。
빠른 갈색 여우가 게으른 개를 뛰어넘었다. 안녕하세요, 세계!
الثعلب البني السريع يقفز فوق الكلب الكسول. مرحبا بالعالم!
तेज़ भूरी लोमड़ी आलसी कुत्ते के ऊपर कूदती है। नमस्ते दुनिया!
Emoji time 😀😃😄 👍🏽 ❤️ 🎉 🚀 👨‍👩‍👧‍👦 🏳️‍🌈 — and symbols: © ® ™ € £ ¥ § ¶ • … ≈ ≠ ≤ ≥ ∞ √ π.
Whitespace    runs,	tabs	and
newlines

matter for byte-level BPE. Quarkus applications start fast and use little memory.
I'm sure they'll say we'd done it. You're right: they've gone, she's here, it'll rain.
"""


def training_lines():
    lines = [line for line in TRAINING_TEXT.split("\n") if line.strip()]
    return lines * 8


CORPUS = [
    "",
    "a",
    "Hello world",
    "Hello, world! How's it going?",
    "I'm sure they'll say we've done it, didn't we? You'd know.",
    "IT'S SHOUTING: DON'T, WON'T, I'M, WE'LL, THEY'RE, YOU'VE, HE'D",
    "'s 't 're 've 'm 'll 'd 'S 'T 'Re 'VE",
    "the long s: 'ſ and kelvin 'K",
    "Numbers: 1, 12, 123, 1234, 12345, 123456789, 3.14159, -42, 1e10, 0x1F, 2024-05-01",
    "price: $19.99 (≈ €18,50) or £15 — 100% sure",
    "Café crème brûlée à la française — naïve façade, coöperate",
    "decomposed: cafe\u0301 vs composed: caf\u00e9",
    "Ünïcödé Straße Größe Œuvre Ångström",
    "日本語のテキストです。東京は大きい。",
    "中文测试：你好，世界！模型生成了第一句话。",
    "한국어 텍스트, 안녕하세요",
    "Привет, мир! Как дела?",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    "emoji: 😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️ 🇫🇷",
    "😀😀😀",
    "👨‍💻 codes; 🧑🏾‍🚀 flies",
    "   leading spaces",
    "trailing spaces   ",
    "  both  ",
    "multiple    internal     spaces",
    "tabs\tand\ttabs\t\t",
    "line1\nline2\n\nline4\r\nline5\rline6",
    "\n\n\n",
    " ",
    "\t",
    "  \n  ",
    "mixed \t \n whitespace \u00a0 nbsp \u3000 ideographic \u2003 em",
    "a   \n  b",
    "<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n",
    "text<|endoftext|>more text",
    "<|im_end|><|im_end|>",
    " <|im_start|> spaced ",
    "partial <|im_start token and <|im_end",
    "<|endoftext|>",
    "code: def f(x):\n    return x**2  # square\n",
    "if (a && b || !c) { return a->b; } // done",
    "URL https://example.com/path?q=1&r=2#frag",
    "email me@example.org, cc: you@example.com",
    "zero\u200bwidth\u200cnon\u200djoiner",
    "supplementary: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 𠀀𠀁",
    "Combining: a\u0300\u0301\u0302 o\u0308",
    "!!!???...,,,;;;---___",
    "__init__ snake_case CamelCase kebab-case",
    "fullwidth ＡＢＣ１２３ ligature ﬁ ﬂ ² ½",
    "Arabic digits ٠١٢٣ and Devanagari १२३",
    "replacement \ufffd and controls \u0001\u007f\u0085",
    "x" * 300,
    "ab" * 150,
    " " * 50 + "x",
    "\n" * 20 + "end",
    "Quarkus rocks",
    "MyQuarkus app, Quarkus_x, (Quarkus), Quarkus!",
    "a -> b ->   c",
    "x   <mask> y <mask>",
    "foo [END]   bar",
    " zyxwv and zyxwvut",
    "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
    "The quick brown fox jumps over the lazy dog. It's a classic sentence; we've all seen it, haven't we?",
    ("On-device models write the first words of a reply, and a cloud model continues where they stopped. "
     "Small language models can run on a phone, a laptop or a Raspberry Pi with ONNX Runtime. "
     "In 2024, more than 1,000 teams shipped 12.5% faster replies; latency dropped from 850 ms to 120 ms. "
     "Le renard brun et rapide saute par-dessus le chien paresseux. C'est l'été, la crème brûlée est prête. "
     "Der schnelle braune Fuchs springt über den faulen Hund. 敏捷的棕色狐狸跳过了懒狗。你好，世界！ "
     "素早い茶色の狐がのろまな犬を飛び越えた。 Быстрая коричневая лиса прыгает через ленивую собаку. "
     "Emoji time 😀😃😄 👍🏽 ❤️ 🎉 🚀 — symbols: © ® ™ € £ ¥ § ¶ • … ≈ ≠ ≤ ≥ ∞ √ π.\n\n"
     "I'm sure they'll say we'd done it. You're right: they've gone, she's here, it'll rain.\t"
     "def tokenize(text: str) -> list[int]:\n    return [vocab[t] for t in text.split()]  # naive!\n"),
]

RANDOM_POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    " ",
    "  \t\n\r",
    ".,;:!?'\"()[]{}<>-_+=*/\\|@#$%^&~`",
    "éèêëàâäôöûüçñßøåæœÉÀÇ",
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年",
    "あいうえおかきくけこアイウエオ",
    "абвгдежзийклмнопрстуфхцчшщъыьэюя",
    "😀😃😄😁🚀🎉👍❤🏽\u200d\ufe0f",
    "\u0301\u0308\u00a0\u3000\u2028\u200b",
]


def random_cases(seed, count):
    rnd = random.Random(seed)
    cases = []
    for _ in range(count):
        n = rnd.randint(1, 40)
        chars = []
        for _ in range(n):
            r = rnd.random()
            if r < 0.03:
                chars.append(rnd.choice(SPECIALS))
            elif r < 0.05:
                chars.append(rnd.choice(["'s", "'ll", "'T", " Quarkus ", "->", "<mask>", "[END]"]))
            else:
                pool = rnd.choice(RANDOM_POOLS)
                chars.append(rnd.choice(pool))
        cases.append("".join(chars))
    return cases


def trainer(vocab_size):
    return trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )


def build_gpt2():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(training_lines(), trainer(1000))
    data = json.loads(tok.to_str())
    # GPT-2's own file keeps the merges as "a b" strings: write that legacy form.
    merges = data["model"]["merges"]
    if merges and isinstance(merges[0], list):
        data["model"]["merges"] = [a + " " + b for a, b in merges]
    legacy = Tokenizer.from_str(json.dumps(data, ensure_ascii=False))
    probe = "Hello, world! It's 2024 😀 日本"
    assert legacy.encode(probe, add_special_tokens=False).ids == tok.encode(probe, add_special_tokens=False).ids
    return legacy, data


def build_qwen2():
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False, trim_offsets=False),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(training_lines(), trainer(1500))
    # A normalized, non-special added token: "café" also matches the decomposed "cafe\u0301" after NFC.
    tok.add_tokens([AddedToken("café", normalized=True, special=False)])
    data = json.loads(tok.to_str())
    assert isinstance(data["model"]["merges"][0], list), "expected the array form of merges"
    return tok, data


def build_llama3():
    tok = Tokenizer(models.BPE(ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False, trim_offsets=False),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(training_lines(), trainer(800))
    data = json.loads(tok.to_str())
    # A whole word that is in the vocab but that no merge reaches: only ignore_merges finds it.
    vocab = data["model"]["vocab"]
    vocab["Ġzyxwv"] = max(vocab.values()) + 1
    data["model"]["ignore_merges"] = True
    tok = Tokenizer.from_str(json.dumps(data, ensure_ascii=False))
    tok.add_special_tokens([
        AddedToken("<|begin_of_text|>", special=True, normalized=False),
        AddedToken("<|start_header_id|>", special=True, normalized=False),
        AddedToken("<|end_header_id|>", special=True, normalized=False),
        AddedToken("<|eot_id|>", special=True, normalized=False),
        AddedToken("<mask>", lstrip=True, special=True, normalized=False),
        AddedToken("[END]", lstrip=True, rstrip=True, special=True, normalized=False),
    ])
    tok.add_tokens([
        AddedToken("Quarkus", single_word=True, special=False, normalized=True),
        AddedToken("->", rstrip=True, special=False, normalized=False),
    ])
    data = json.loads(tok.to_str())
    ids = tok.encode(" zyxwv", add_special_tokens=False).ids
    assert len(ids) == 1, ids
    return tok, data


def build_prefix(gpt2_data):
    data = json.loads(json.dumps(gpt2_data))
    data["normalizer"] = {"type": "Sequence", "normalizers": [{"type": "NFKC"}]}
    data["pre_tokenizer"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    tok = Tokenizer.from_str(json.dumps(data, ensure_ascii=False))
    return tok, json.loads(tok.to_str())


# ---- chat templates -------------------------------------------------------------------------------

CHATML_PLAIN = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content']"
                " + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
                "{% endif %}")

QWEN2 = ("{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
         "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
         "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
         "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")

QWEN25 = """{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
    {%- else %}
        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "tool" %}
        {{- '<|im_start|>user\\n<tool_response>\\n' + message.content + '\\n</tool_response><|im_end|>\\n' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""

MINIMIND = ("{% if messages[0]['role'] == 'system' %}{% set system_message = messages[0]['content'] %}"
            "{{ '<|im_start|>system\\n' + system_message + '<|im_end|>\\n' }}{% else %}"
            "{{ '<|im_start|>system\\n你是 MiniMind，是一个有用的人工智能助手。<|im_end|>\\n' }}{% endif %}"
            "{% for message in messages %}{% set content = message['content'] %}{% if message['role'] == 'user' %}"
            "{{ '<|im_start|>user\\n' + content + '<|im_end|>\\n<|im_start|>assistant\\n' }}"
            "{% elif message['role'] == 'assistant' %}{{ content + '<|im_end|>' + '\\n' }}{% endif %}{% endfor %}")

ESCAPED = ("{%- if messages[0]['role'] != 'system' %}"
           "{{- \"<|im_start|>system\\nYou're \\\"Handoff\\\", a concise assistant.\\tBe brief.<|im_end|>\\n\" }}"
           "{%- endif %}{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\\n' + message['content']"
           " + '<|im_end|>\\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}"
           "{%- endif %}")

LLAMA3 = ("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>'"
          " + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}"
          "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
          "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}")

TEMPLATES = {
    "chatml-plain": (CHATML_PLAIN, "chatml", None),
    "qwen2": (QWEN2, "chatml", "You are a helpful assistant."),
    "qwen2.5": (QWEN25, "chatml", "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."),
    "minimind": (MINIMIND, "chatml", "你是 MiniMind，是一个有用的人工智能助手。"),
    "escaped-default-system": (ESCAPED, "chatml", "You're \"Handoff\", a concise assistant.\tBe brief."),
    "llama3": (LLAMA3, "llama3", None),
}

CONVERSATIONS = {
    "single-turn": [{"role": "user", "content": "Hello!"}],
    "with-system": [{"role": "system", "content": "You are terse."},
                    {"role": "user", "content": "What is Quarkus?"}],
    "multi-turn": [{"role": "user", "content": "Hi, who are you?"},
                   {"role": "assistant", "content": "I am a small model."},
                   {"role": "user", "content": "Can you count to 3?"}],
    "multi-turn-system": [{"role": "system", "content": "Answer in French."},
                          {"role": "user", "content": "Bonjour !"},
                          {"role": "assistant", "content": "Bonjour, comment puis-je vous aider ?"},
                          {"role": "user", "content": "Quelle heure est-il ?"}],
    "unicode-content": [{"role": "user", "content": "Line 1\nLine 2 — café 日本 😀 <|endoftext|> tag"}],
    "empty-system": [{"role": "system", "content": ""}, {"role": "user", "content": "hi"}],
}

HISTORY = {  # rendered without a generation prompt
    "history-ends-with-assistant": [{"role": "user", "content": "Ping"},
                                    {"role": "assistant", "content": "Pong"}],
}

PREFILLS = {  # the last assistant message is continued (continue_final_message=True)
    "prefill": ([{"role": "user", "content": "Name a colour."}], "Sure, the colour is"),
    "prefill-system": ([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}], "It is"),
    "prefill-trailing-space": ([{"role": "user", "content": "Say hi."}], "Hi "),
}


def render(hf, template, messages, **kwargs):
    return hf.apply_chat_template(messages, chat_template=template, tokenize=False, **kwargs)


def chat_cases(hf):
    out = []
    for name, (template, family, default_system) in TEMPLATES.items():
        cases = []
        for cname, messages in CONVERSATIONS.items():
            cases.append({"name": cname, "messages": messages, "add_generation_prompt": True,
                          "expected": render(hf, template, messages, add_generation_prompt=True)})
        for cname, messages in HISTORY.items():
            cases.append({"name": cname, "messages": messages, "add_generation_prompt": False,
                          "expected": render(hf, template, messages, add_generation_prompt=False)})
        for cname, (messages, prefix) in PREFILLS.items():
            if family == "llama3" and prefix != prefix.strip():
                continue  # the Llama-3 template trims message contents; a prefill is kept verbatim
            full = messages + [{"role": "assistant", "content": prefix}]
            cases.append({"name": cname, "messages": messages, "assistant_prefix": prefix,
                          "expected": render(hf, template, full, continue_final_message=True)})
        out.append({"name": name, "template": template, "family": family, "default_system": default_system,
                    "bos_token": hf.bos_token, "cases": cases})
    return out


# ---- writing --------------------------------------------------------------------------------------

def write_json(path, obj, indent=None):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def write_listing(path, obj):
    """Writes a JSON object whose list values hold one element per line (compact, and diff-friendly)."""
    parts = []
    for key, value in obj.items():
        if isinstance(value, list):
            items = ",\n  ".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f" {json.dumps(key)}: [\n  {items}\n ]")
        else:
            parts.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("{\n" + ",\n".join(parts) + "\n}\n")


def write_tokenizer(out, name, tok, data, config, seed, jinja=None):
    directory = os.path.join(out, name)
    if os.path.isdir(directory):
        shutil.rmtree(directory)
    os.makedirs(directory)
    write_json(os.path.join(directory, "tokenizer.json"), data, indent=1)
    write_json(os.path.join(directory, "tokenizer_config.json"), config, indent=2)
    if jinja is not None:
        with open(os.path.join(directory, "chat_template.jinja"), "w", encoding="utf-8", newline="\n") as f:
            f.write(jinja)
    # Reload from disk: the reference is what a reader of these files gets.
    tok = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    cases = []
    for text in CORPUS + random_cases(seed, 60):
        ids = tok.encode(text, add_special_tokens=False).ids
        decoded = tok.decode(ids, skip_special_tokens=False)
        cases.append({
            "text": text,
            "ids": ids,
            "decoded": decoded,
            "decoded_skip_special": tok.decode(ids, skip_special_tokens=True),
            "round_trip": decoded == text,
        })
    hf = AutoTokenizer.from_pretrained(directory)
    chats = []
    for cname, messages in CONVERSATIONS.items():
        prompt = hf.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        chats.append({"name": cname, "messages": messages, "expected": prompt,
                      "ids": tok.encode(prompt, add_special_tokens=False).ids})
    specials = {t["content"]: t["id"] for t in data["added_tokens"] if t["special"]}
    write_listing(os.path.join(directory, "cases.json"), {
        "tokenizer": name,
        "vocab_size": tok.get_vocab_size(with_added_tokens=True),
        "special_tokens": specials,
        "cases": cases,
        "chats": chats,
    })
    return hf


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write the tokenizer and chat-template fixtures of the Java tests.")
    ap.add_argument("--out", default=DEFAULT_OUT, help="fixture directory (default: the Java tests' resources)")
    out = ap.parse_args(argv).out
    os.makedirs(out, exist_ok=True)
    base = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 2048, "clean_up_tokenization_spaces": False,
            "bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>", "unk_token": None}

    gpt2, gpt2_data = build_gpt2()
    write_tokenizer(out, "gpt2-bytelevel", gpt2, gpt2_data, dict(base, chat_template=CHATML_PLAIN), seed=101)

    qwen2, qwen2_data = build_qwen2()
    write_tokenizer(out, "qwen2-split", qwen2, qwen2_data, dict(base, chat_template=QWEN2), seed=202)

    llama3, llama3_data = build_llama3()
    llama_config = dict(base, bos_token="<|begin_of_text|>", eos_token="<|eot_id|>")
    hf_llama = write_tokenizer(out, "llama3-split", llama3, llama3_data, llama_config, seed=303, jinja=LLAMA3)
    assert hf_llama.chat_template == LLAMA3, "chat_template.jinja was not picked up by transformers"

    prefix, prefix_data = build_prefix(gpt2_data)
    write_tokenizer(out, "bytelevel-prefix", prefix, prefix_data, dict(base, chat_template=MINIMIND), seed=404)

    write_json(os.path.join(out, "chat_cases.json"), {"templates": chat_cases(hf_llama)}, indent=1)

    total = 0
    for root, _, files in os.walk(out):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    print(f"wrote fixtures to {out} ({total / 1024:.0f} KiB)")
    if total > 2 * 1024 * 1024:
        sys.exit("fixtures exceed 2 MB")


if __name__ == "__main__":
    main()
