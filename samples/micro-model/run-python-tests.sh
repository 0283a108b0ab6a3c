#!/usr/bin/env bash
# Tests of the Python model tooling (tests/): export.py against transformers, and the committed test models,
# reference outputs and tokenizer fixtures against a fresh regeneration. Runs in a venv with the pinned
# packages of requirements-test.txt from the machine's package index, created if missing and reused after.
#
# Usage: samples/micro-model/run-python-tests.sh [pytest arguments]
# Environment: MICRO_MODEL_TEST_VENV (default samples/micro-model/.venv-test), PYTHON (default python3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$(realpath -m "${MICRO_MODEL_TEST_VENV:-$here/.venv-test}")"
cd "$here"

start=$SECONDS
# (re)create the venv when it is missing or broken (an interrupted creation leaves it without pip)
if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    "${PYTHON:-python3}" -m venv --clear "$venv"
fi
# pip finds the machine's package index through its configuration, which often lives in the account's home
# (~/.config/pip/pip.conf): a run with another HOME (an empty one, as CI's) keeps using it
account_home="$(getent passwd "$(id -u)" | cut -d: -f6 || true)"
if [[ -z "${PIP_CONFIG_FILE:-}" && ! -f "$HOME/.config/pip/pip.conf" && ! -f "$HOME/.pip/pip.conf"
      && -n "$account_home" && "$account_home" != "$HOME" && -f "$account_home/.config/pip/pip.conf" ]]; then
    export PIP_CONFIG_FILE="$account_home/.config/pip/pip.conf"
    echo "python tooling: HOME has no pip configuration; using $PIP_CONFIG_FILE"
fi
# installs only what differs from the pins: about 2 s when the venv is up to date
if ! "$venv/bin/python" -m pip install --retries 0 --quiet -r requirements-test.txt; then
    echo "python tooling: cannot install requirements-test.txt: point pip at a package index that has these pins" \
        "(pip config set global.index-url URL, or PIP_INDEX_URL / PIP_CONFIG_FILE)" >&2
    exit 1
fi
echo "python tooling: venv $venv ready in $((SECONDS - start)) s"

# everything the tests read is local: never ask the Hugging Face Hub
export HF_HUB_OFFLINE=1
status=0
"$venv/bin/python" -m pytest -p no:cacheprovider tests "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "python tooling: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
