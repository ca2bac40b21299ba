#!/usr/bin/env bash
# Run the Python anchor harness and the crate's criterion benches in one go, on the same data.
#   scripts/bench_side_by_side.sh [ANCHORS_DIR] [--only w1,w2] [-- criterion filter]
# ANCHORS_DIR defaults to $CRM_ANCHORS or the anchors folder beside the repository's parent.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
anchors="${1:-${CRM_ANCHORS:-$repo/../shared/anchors}}"
shift || true
only=()
if [[ "${1:-}" == "--only" ]]; then only=(--only "$2"); shift 2; fi
[[ "${1:-}" == "--" ]] && shift
out="$repo/target/anchors"
mkdir -p "$out/data"
echo "== anchors ($anchors)"
bash "$anchors/run.sh" "${only[@]}" --dump-data "$out/data" --json "$out/anchors.json" | tee "$out/anchors.txt"
echo "== criterion"
cd "$repo"
CRM_ANCHOR_DATA="$out/data" cargo bench --bench '*' -- "$@" | tee "$out/criterion.txt"
