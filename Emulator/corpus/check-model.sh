#!/usr/bin/env bash
# check-model.sh - prove that `pam train` regenerates the committed label model byte for byte.
#
#   Emulator/corpus/check-model.sh [CORPUS]
#
#   CORPUS  the corpus folder make-corpus.sh builds; default ${XDG_CACHE_HOME:-~/.cache}/pam/corpus
#
# Trains on CORPUS with Fixtures/corpus/labels.json into a temporary file and compares it with
# Sources/PAMLocal/Labeling/LabelModel+Trained.swift. Exit 0 when identical; 1 with a diff when not.
# Uses the debug build of pam (built if needed). Run from the repository root.
set -euo pipefail
CORPUS=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/pam/corpus}
[[ -d $CORPUS ]] || { echo "no corpus at $CORPUS: run Emulator/corpus/make-corpus.sh first" >&2; exit 2; }
swift build --product pam >/dev/null 2>&1 || swift build --product pam
PAM=$(swift build --show-bin-path)/pam
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$PAM" train --corpus "$CORPUS" --truth Fixtures/corpus/labels.json --out "$OUT/LabelModel+Trained.swift"
if cmp -s "$OUT/LabelModel+Trained.swift" Sources/PAMLocal/Labeling/LabelModel+Trained.swift; then
  echo "LabelModel+Trained.swift is what pam train writes: identical"
else
  diff "$OUT/LabelModel+Trained.swift" Sources/PAMLocal/Labeling/LabelModel+Trained.swift | head -40
  echo "LabelModel+Trained.swift differs from what pam train writes" >&2
  exit 1
fi
