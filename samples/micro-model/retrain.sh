#!/usr/bin/env bash
# Retrains the demo opener model from scratch, in one command:
#   samples/micro-model/retrain.sh
# venv (if missing) -> corpus -> tokenizer + model training -> ONNX export (fp32 + int8, verified)
# -> evaluation -> model/ (model.onnx, model.int8.onnx, config.json, tokenizer.json,
#    tokenizer_config.json, MODEL_CARD.md).
# About 30 minutes on 2 idle CPU cores (23 minutes of training measured, 29 while a build ran; over an hour when other builds share them). Scratch files in work/ (git-ignored).
#
# Environment knobs: STEPS (3000), THREADS (2), SEED (1234), TARGET_MB (12), PYTHON (python3.11 or python3),
# NICE (10: training runs under nice so other builds keep their CPU), EVAL_LIMIT (400 held-out prompts).
set -euo pipefail
cd "$(dirname "$0")"

STEPS=${STEPS:-3000}
THREADS=${THREADS:-2}
SEED=${SEED:-1234}
TARGET_MB=${TARGET_MB:-12}
NICE=${NICE:-10}
EVAL_LIMIT=${EVAL_LIMIT:-400}
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
PY=.venv/bin/python

if [ ! -x "$PY" ]; then
    echo "== creating .venv with $PYTHON"
    "$PYTHON" -m venv .venv
    .venv/bin/pip install --retries 0 -r requirements.txt
fi

# WordNet glosses give the definition conversations; without them the corpus builder falls back to a
# small built-in list (the model then knows far fewer definitions).
if [ ! -f "${WORDNET_DIR:-/usr/share/wordnet}/data.noun" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "== installing WordNet data (Debian package wordnet-base)"
        (apt-get update -q && apt-get install -y -q wordnet-base) >/dev/null 2>&1 \
            || echo "   could not install wordnet-base: continuing with the built-in definitions"
    else
        echo "== WordNet data not found (apt-get install wordnet-base, or set WORDNET_DIR): using built-in definitions"
    fi
fi

mkdir -p work
echo "== building the corpus (seed $SEED)"
"$PY" corpus/build_corpus.py --out work/corpus --seed "$SEED" --target-mb "$TARGET_MB"

echo "== training ($STEPS steps, $THREADS threads, log in work/train.log)"
rm -rf work/checkpoint
nice -n "$NICE" "$PY" train.py --corpus work/corpus --out work/checkpoint --seed "$SEED" \
    --steps "$STEPS" --threads "$THREADS" 2>&1 | tee work/train.log

echo "== exporting to ONNX (fp32 + int8, verified against PyTorch)"
rm -rf work/export
# every position's logits: evaluate.py's held-out perplexity scores every token of a conversation in one run
"$PY" export.py --checkpoint work/checkpoint --out work/export --int8 --logits all

echo "== installing into model/"
mkdir -p model
rm -f model/*.onnx model/*.json model/*.jinja
for f in model.onnx model.int8.onnx config.json tokenizer.json tokenizer_config.json; do
    cp "work/export/$f" "model/$f"
done

echo "== scoring the hand-written everyday held-out set (eval/everyday.py)"
"$PY" eval/everyday.py --model model --out work/everyday.md

echo "== evaluating and writing model/MODEL_CARD.md"
"$PY" evaluate.py --model model --corpus work/corpus --limit "$EVAL_LIMIT" \
    --train-stats work/checkpoint/train_stats.json --json work/eval.json --card model/MODEL_CARD.md
ls -l model
echo "== next: eval/policies.sh measures the model with the default policies through the sample's eval command"
