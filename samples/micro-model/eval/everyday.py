#!/usr/bin/env python3
"""Scores the demo opener model on hand-written everyday requests it never saw in training, per category.

    python eval/everyday.py [--model model] [--baseline DIR] [--prompts eval/everyday-heldout.jsonl]
                            [--onnx model.onnx] [--out FILE.md] [--json FILE] [--verbose]

The prompts (everyday-heldout.jsonl, or the later sets everyday-fresh.jsonl and everyday-blind.jsonl, one conversation a line: {"id", "category", "messages", "good", "bad"?,
"allow"?}) are written by hand, not generated: phrasings as people say them to a watch or phone assistant,
none of whose user turns occurs in the training corpus (tests/test_everyday.py checks that against
corpus/build_corpus.py's output). For each conversation the model's opener is decoded as evaluate.py does:
the chat template of tokenizer_config.json (ChatML, with the default system turn), greedy, up to 8 words
committed at word boundaries, ending at <|im_end|>, at most 24 new tokens.

Rubric (no judge model: every grade follows from the opener, the conversation and the item's patterns):

  0 (wrong)    - the opener is empty, or
               - it matches one of the item's `bad` patterns (e.g. refusal words for a harmless how-to,
                 "here's how" for an unsafe request), or
               - it states a number or a name the conversation does not contain ("ungrounded"): a token with
                 digits whose values the conversation lacks, a number word ("ten", "twenty-five"; not "one")
                 whose value it lacks ("ten" is grounded by "10" and the other way round), a capitalized word
                 that does not start a sentence (not "I", "I'm", "I'll", "I've", "I'd", "OK", "AM"/"PM"), or a
                 capitalized word anywhere that is not in the word list; words of the item's `allow` list (right
                 facts the conversation does not spell, e.g. "Berlin" after "and Germany?") are never ungrounded,
                 or
               - it has a made-up word: a lower-case word (each part of a hyphenated one) that is neither in the
                 plain English word list (SCOWL size 35, the device-service eval's
                 src/main/resources/eval/plain-english-words.txt, with contractions and possessives) nor in the
                 conversation nor a number word, or letters glued to digits other than a number with a unit
                 ("5km", "6:30pm", "10th"), or
               - it says a word twice in a row ("the the"; "that that" and "had had" are English);
  2 (right)    - otherwise, when it matches ANY of the item's `good` patterns (case-insensitive regular
                 expressions: the request's subject, the user's names and times, a restated arithmetic question,
                 a refusal...);
  1 (generic)  - otherwise, when it starts with a generic frame (Sure, Okay, OK, Of course, Here's, Here is,
                 Let me, Got it, Good question, Alright, Absolutely, Certainly) and commits to nothing the user did
                 not bring up: each of its other words of 4+ letters is in the conversation or is a frame word
                 (FRAME_WORDS: "help", "check", "that", "with"...). "Sure, let me help with that" is 1; "Okay,
                 turning on the bathroom lights" for a clogged sink is 0;
  0            - anything else (an opener about something other than the request).

Prints per category: n, mean grade, % graded >= 1, % graded 2, % ungrounded, % made-up, % repeats; with
--baseline both models side by side as "baseline -> model (delta)", per category and overall.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MICRO_MODEL = os.path.dirname(HERE)
sys.path.insert(0, MICRO_MODEL)

DEFAULT_MODEL = os.path.join(MICRO_MODEL, "model")
DEFAULT_PROMPTS = os.path.join(HERE, "everyday-heldout.jsonl")
# a second hand-written set, written after the demo model was trained, never used to shape its corpus: what the
# model does on requests nobody tuned anything for
FRESH_PROMPTS = os.path.join(HERE, "everyday-fresh.jsonl")
# a third, written without seeing any opener of the model: the grounding guard's word lists were shaped on the two
# others' openers, never on this one's
BLIND_PROMPTS = os.path.join(HERE, "everyday-blind.jsonl")
WORD_LIST = os.path.join(MICRO_MODEL, "..", "device-service", "src", "main", "resources", "eval",
                         "plain-english-words.txt")

# the same word classes as the device-service eval (OpenerChecks, runtime EnglishWords), so both count alike
LEGITIMATE_DOUBLES = {"that", "had"}
FIRST_PERSON = {"i", "i'm", "i'll", "i've", "i'd"}
CAPITALIZED_NON_NAMES = {"ok", "okay"}
CLOCK_MARKS = {"am", "pm", "a.m", "p.m"}
IRREGULAR_NEGATIONS = {"can't", "won't", "shan't", "ain't"}
CARDINALS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
CARDINALS.update({w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)})
GENERIC_FRAME = re.compile(r"^\W*(?:sure|okay|ok|of course|here's|here is|let me|got it|good question|alright|"
                           r"absolutely|certainly)\b", re.IGNORECASE)
# words of 4+ letters a frame that commits to nothing is made of; any other such word must come from the conversation
FRAME_WORDS = set("""sure okay here here's let's course good great question alright absolutely certainly that that's
this these those with help happy glad right away just moment check look know what what's your you're you'll i'll i've
i'd about there there's will would could should have been from into give well sounds thing things some them then than
when where which while more also they their it's can't quick answer done doing idea need want like love please thanks
thank""".split())
DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
NUMBER_WITH_UNIT = re.compile(r"\d[\d,.:]*(?:st|nd|rd|th|s|am|pm|k|m|km|kg|g|lb|lbs|mph|mm|cm|ml|h|min|mins|x)?",
                              re.IGNORECASE)
STAT_COLUMNS = (("mean", "mean grade"), ("ok", "% >= 1"), ("right", "% = 2"), ("ungrounded", "% ungrounded"),
                ("made_up", "% made-up"), ("repeats", "% repeats"))


class PlainEnglish:
    """The plain English word list, and the contractions and possessives of its words."""

    def __init__(self, path=WORD_LIST):
        if not os.path.exists(path):
            raise SystemExit(f"everyday.py: the word list {path} is missing (it ships with samples/device-service)")
        with open(path, encoding="utf-8") as f:
            self.words = {w.strip() for w in f if w.strip() and not w.startswith("#")}

    def __contains__(self, word):
        lower = word.lower().replace("\u2019", "'")
        if lower in self.words or lower in IRREGULAR_NEGATIONS:
            return True
        stem = re.sub(r"(n't|'s|'re|'ve|'ll|'d|'m|s')$", "", lower)
        return stem != lower and stem != "" and (stem in self.words or stem == "i")


def core(word):
    """A word without surrounding punctuation, with a straight apostrophe."""
    return re.sub(r"^[\W_]+|[\W_]+$", "", word.strip().replace("\u2019", "'"))


def digit_values(text):
    return {str(float(m.group().replace(",", ""))).removesuffix(".0") for m in DIGITS.finditer(text)}


def spelled_value(lower):
    """The value of a number word or compound ("ten", "twenty-three"), None for "one" (mostly a pronoun)."""
    if lower == "one":
        return None
    parts = [CARDINALS[p] for p in lower.split("-") if p in CARDINALS]
    return str(sum(parts)) if parts else None


class Grounding:
    """The words and numbers a conversation contains."""

    def __init__(self, conversation, allow=()):
        self.words, self.numbers = set(), set()
        for token in conversation.split() + list(allow):
            lower = core(token).lower()
            self.words.update({lower, lower.removesuffix("'s")})
            self.numbers |= digit_values(lower)
            for part in re.split(r"[-/]", lower):
                self.words.add(part)
                if part in CARDINALS:
                    self.numbers.add(str(CARDINALS[part]))

    def ungrounded(self, word, previous, plain):
        c = core(word)
        lower = c.lower()
        if not c or lower in self.words or lower.removesuffix("'s") in self.words:
            return False
        if any(ch.isdigit() for ch in c):
            return not digit_values(c) <= self.numbers
        value = spelled_value(lower)
        if value is not None:
            return value not in self.numbers
        if not c[0].isupper():
            return False
        sentence_start = previous is None or re.search(r"[.!?:]$", previous) is not None or word[0] in "\"\u201c("
        in_sentence_name = not sentence_start and lower not in FIRST_PERSON | CAPITALIZED_NON_NAMES | CLOCK_MARKS
        return in_sentence_name or c not in plain


def ungrounded_words(opener, conversation, plain, allow=()):
    known = Grounding(conversation, allow)
    words = opener.split()
    return [w for i, w in enumerate(words) if known.ungrounded(w, words[i - 1] if i else None, plain)]


def made_up_words(opener, conversation, plain):
    known = Grounding(conversation)
    bad = []
    for w in opener.split():
        c = core(w)
        if not any(ch.isalpha() for ch in c) or c[0].isupper():
            continue  # numbers are for ungrounded_words, capitalized words may be names: it judges them too
        if any(ch.isdigit() for ch in c):
            made_up = NUMBER_WITH_UNIT.fullmatch(c) is None
        else:
            made_up = any(p and p not in plain and p not in known.words and p.removesuffix("'s") not in known.words
                          and p not in CARDINALS for p in re.split(r"[-/]", c.lower()))
        if made_up:
            bad.append(w)
    return bad


def repeated_words(opener):
    ws = [core(w).lower() for w in opener.split()]
    return [b for a, b in zip(ws, ws[1:]) if a and a == b and a not in LEGITIMATE_DOUBLES]


def foreign_words(opener, conversation):
    """The words of 4+ letters of OPENER that are neither frame words nor in the conversation (case aside)."""
    known = Grounding(conversation)
    return [w for w in opener.split() if len(core(w)) >= 4 and core(w).lower() not in FRAME_WORDS
            and core(w).lower() not in known.words and core(w).lower().removesuffix("'s") not in known.words]


def conversation_text(item):
    return "\n".join(m["content"] for m in item["messages"])


def grade(opener, item, plain):
    """The rubric of the module docstring: {"grade": 0|1|2, "why": reason, and the words each check found}."""
    text = conversation_text(item)
    found = {"bad": [p for p in item.get("bad", []) if re.search(p, opener, re.IGNORECASE)],
             "ungrounded": ungrounded_words(opener, text, plain, item.get("allow", [])),
             "made_up": made_up_words(opener, text, plain),
             "repeats": repeated_words(opener)}
    if not opener.strip():
        g, why = 0, "empty"
    elif any(found.values()):
        g, why = 0, ", ".join(k for k, v in found.items() if v)
    elif any(re.search(p, opener, re.IGNORECASE) for p in item["good"]):
        g, why = 2, "good"
    elif GENERIC_FRAME.search(opener) and not foreign_words(opener, text):
        g, why = 1, "generic"
    else:
        g, why = 0, "off"
    return {"grade": g, "why": why, **found}


def read_items(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_model(model_dir, onnx_name, items, plain, log):
    from evaluate import Model  # the decoding evaluate.py uses (KV cache, word boundaries, <|im_end|>)
    if not os.path.exists(os.path.join(model_dir, onnx_name)):
        raise SystemExit(f"everyday.py: no {onnx_name} in {model_dir}")
    model = Model(model_dir, onnx_name)
    results = []
    for item in items:
        opener, stop, _, _ = model.opener(item["messages"])
        r = {"id": item["id"], "category": item["category"], "prompt": item["messages"][-1]["content"],
             "opener": opener, "stop": stop, **grade(opener, item, plain)}
        results.append(r)
        log(f"{r['id']:<22} {r['grade']}  {r['opener']!r}  [{r['why']}]")
    return results


def eval_command_prompts(items):
    """The items as the device service's `eval` command reads them (JSON Lines of category and messages), in the same
    order, so that its results.csv `line` column is the item's position."""
    return "".join(json.dumps({"category": i["category"], "messages": i["messages"]}, ensure_ascii=False) + "\n"
                   for i in items)


def grade_eval_results(csv_path, items, plain, log):
    """Grades the openers of a run of the `eval` command on eval_command_prompts(items): what a user hears with the
    default policies (grounding guard, confidence stop, the profile's opener length), not the raw model."""
    import csv
    results = []
    with open(csv_path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            item = items[int(row["line"]) - 1]
            if row["failure"]:
                raise SystemExit(f"everyday.py: {csv_path}: line {row['line']} failed: {row['failure']}")
            opener = row["opener"].strip()
            r = {"id": item["id"], "category": item["category"], "profile": row["profile"],
                 "prompt": item["messages"][-1]["content"], "opener": opener, "stop": row["opener_stop"],
                 **grade(opener, item, plain)}
            results.append(r)
            log(f"{r['id']:<22} {r['profile']:<8} {r['grade']}  {r['opener']!r}  [{r['why']}]")
    return results


def summarize(results):
    """Per category (in order of first appearance), "overall" and, for eval command results, overall per device
    profile: n and the STAT_COLUMNS figures."""
    groups = {}
    for r in results:
        groups.setdefault(r["category"], []).append(r)
    groups["overall"] = results
    for r in results:
        if "profile" in r:
            groups.setdefault(f"overall, {r['profile']}", []).append(r)
    pct = lambda rs, f: 100.0 * sum(1 for r in rs if f(r)) / len(rs)
    return {cat: {"n": len(rs), "mean": sum(r["grade"] for r in rs) / len(rs),
                  "ok": pct(rs, lambda r: r["grade"] >= 1), "right": pct(rs, lambda r: r["grade"] == 2),
                  "ungrounded": pct(rs, lambda r: r["ungrounded"]), "made_up": pct(rs, lambda r: r["made_up"]),
                  "repeats": pct(rs, lambda r: r["repeats"])}
            for cat, rs in groups.items()}


def fmt(key, v):
    return f"{v:.2f}" if key == "mean" else f"{v:.0f}%"


def table(summary, baseline=None):
    head = "| category | n | " + " | ".join(h for _, h in STAT_COLUMNS) + " |"
    lines = [head, "|---|---|" + "---|" * len(STAT_COLUMNS)]
    for cat, s in summary.items():
        cells = []
        for key, _ in STAT_COLUMNS:
            if baseline is None:
                cells.append(fmt(key, s[key]))
            else:
                b = baseline[cat][key]
                delta = f"{s[key] - b:+.2f}" if key == "mean" else f"{s[key] - b:+.0f}"
                cells.append(f"{fmt(key, b)} -> {fmt(key, s[key])} ({delta})")
        name = f"**{cat}**" if cat == "overall" else cat
        lines.append(f"| {name} | {s['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def openers_table(results, baseline=None):
    cols = "| id | prompt | " + ("baseline opener | grade | " if baseline else "") + "opener | grade |"
    lines = [cols, "|---|---|" + ("---|---|" if baseline else "") + "---|---|"]
    base = {r["id"]: r for r in baseline or []}
    esc = lambda s: s.replace("|", "/").replace("\n", " ")
    for r in results:
        b = base.get(r["id"])
        mid = f"{esc(b['opener'])} | {b['grade']} | " if b else ""
        who = f"{r['id']} ({r['profile']})" if "profile" in r else r["id"]
        lines.append(f"| {who} | {esc(r['prompt'])} | {mid}{esc(r['opener'])} | {r['grade']} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description="Per-category score of the demo opener model on hand-written "
                                             "held-out everyday requests (rubric in the module docstring).")
    ap.add_argument("--model", default=DEFAULT_MODEL, help="model directory (model.onnx, tokenizer files)")
    ap.add_argument("--baseline", help="a second model directory, shown side by side with deltas")
    ap.add_argument("--prompts", default=DEFAULT_PROMPTS)
    ap.add_argument("--onnx", default="model.onnx", help="which ONNX file of the model directories")
    ap.add_argument("--out", help="write the tables and every opener to this markdown file")
    ap.add_argument("--json", help="write every opener, its grade and the summaries to this file")
    ap.add_argument("--verbose", action="store_true", help="print every opener with its grade")
    ap.add_argument("--write-eval-prompts", metavar="FILE",
                    help="write the prompts for the device service's eval command to FILE and stop")
    ap.add_argument("--eval-results", metavar="CSV",
                    help="grade the openers of the eval command's results.csv (run on --write-eval-prompts' file) "
                         "instead of decoding the model")
    a = ap.parse_args()

    def log(line):
        if a.verbose:
            print(line, flush=True)

    items = read_items(a.prompts)
    if a.write_eval_prompts:
        with open(a.write_eval_prompts, "w", encoding="utf-8") as f:
            f.write(eval_command_prompts(items))
        return
    plain = PlainEnglish()
    if a.eval_results:
        results = grade_eval_results(a.eval_results, items, plain, log)
        name = os.path.basename(a.prompts)
        text = (f"{len(items)} held-out conversations of `eval/{name}` through the eval command (default policies), "
                f"{len(results)} openers\n\n" + table(summarize(results)))
        print(text)
        if a.out:
            kind = {"everyday-fresh.jsonl": "fresh", "everyday-blind.jsonl": "blind"}.get(name, "held-out")
            with open(a.out, "w", encoding="utf-8") as f:
                f.write(f"# Everyday {kind} openers with the default policies\n\n{text}\n\n{openers_table(results)}\n")
        return
    base_results = None
    if a.baseline:
        log(f"baseline {a.baseline}:")
        base_results = run_model(a.baseline, a.onnx, items, plain, log)
    log(f"model {a.model}:")
    results = run_model(a.model, a.onnx, items, plain, log)
    summary = summarize(results)
    base_summary = summarize(base_results) if base_results else None
    title = (f"baseline `{a.baseline}` -> model `{a.model}` (delta)" if a.baseline else f"model `{a.model}`")
    text = f"{len(items)} held-out conversations, {a.onnx}, greedy openers of up to 8 words; {title}\n\n" \
           + table(summary, base_summary)
    print(text)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(f"# Everyday held-out openers\n\n{text}\n\n{openers_table(results, base_results)}\n")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"model": a.model, "baseline": a.baseline, "summary": summary, "baseline_summary": base_summary,
                       "results": results, "baseline_results": base_results}, f, indent=1)


if __name__ == "__main__":
    main()
