#!/usr/bin/env bash
# What a user hears from the demo model with the default policies (grounding guard, speech confidence stop, each
# profile's opener length): runs the device service's `eval` command, with the embedded continuator, on
#   - the hand-written sets (eval/everyday-heldout.jsonl, and the later everyday-fresh.jsonl and everyday-blind.jsonl)
#     on the watch, phone and desktop profiles, graded by eval/everyday.py's rubric
#     -> bench/everyday-{heldout,fresh,blind}-policies.md
#   - the sample's own default prompt set -> bench/eval-default-set.md (the command's table)
# Both files name the sha256 of the model.onnx they were measured with; evaluate.py puts them in the model card only
# when that is the card's model. Run after retrain.sh, then rewrite the card (the command is printed at the end).
#   samples/micro-model/eval/policies.sh [path/to/quarkus-run.jar]
# (default: samples/device-service/target/quarkus-app/quarkus-run.jar; build it with
#  ./mvnw -B install -DskipTests -DskipITs -pl bom,extension,policies,samples/micro-model,runtime,deployment,samples/device-service)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$(realpath "${1:-../device-service/target/quarkus-app/quarkus-run.jar}")
PY=.venv/bin/python
[ -f "$JAR" ] || { echo "no $JAR: build the sample first (see the header of $0)" >&2; exit 2; }
MODEL_SHA=$(sha256sum model/model.onnx | cut -c1-64)
WORK=work/policies
rm -rf "$WORK" && mkdir -p "$WORK"

for SET in heldout fresh blind; do
  "$PY" eval/everyday.py --prompts "eval/everyday-$SET.jsonl" --write-eval-prompts "$WORK/$SET.jsonl"
  (cd "$WORK" && java -jar "$JAR" eval "$SET.jsonl" --profiles watch,phone,desktop --out "$SET" > "$SET.txt" 2> "$SET.log")
  "$PY" eval/everyday.py --prompts "eval/everyday-$SET.jsonl" --eval-results "$WORK/$SET/results.csv" \
    --out "$WORK/$SET.md" > /dev/null
  { echo "<!-- model.onnx sha256 $MODEL_SHA -->"; cat "$WORK/$SET.md"; } > "bench/everyday-$SET-policies.md"
done

(cd "$WORK" && java -jar "$JAR" eval --out default > default.txt 2> default.log)
{ echo "<!-- model.onnx sha256 $MODEL_SHA -->"
  echo "# The eval command on the sample's default prompt set"
  echo
  echo "\`java -jar quarkus-run.jar eval\` (48 conversations in 12 categories, the default profile, the embedded continuator):"
  echo
  echo '```'
  cat "$WORK/default.txt"
  echo '```'; } > bench/eval-default-set.md
echo "wrote bench/everyday-{heldout,fresh,blind}-policies.md and bench/eval-default-set.md; rewrite the card with:"
echo "  $PY evaluate.py --model model --corpus work/corpus --card model/MODEL_CARD.md"
