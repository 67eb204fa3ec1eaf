#!/usr/bin/env bash
# Time from `uv run backsoon` in a fresh clone to the first page served,
# with a cold uv cache (empty UV_CACHE_DIR) and then a warm one.
#   bash bench/cold_start.sh
set -euo pipefail
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
export UV_PYTHON_DOWNLOADS=never
run() {
  local label=$1 cache=$2 work port start pid
  work=$(mktemp -d)
  git clone -q "$repo" "$work/app"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  start=$(date +%s.%N)
  (cd "$work/app" && UV_CACHE_DIR=$cache BACKSOON_DATA_DIR="$work/data" exec uv run --quiet backsoon --port "$port") >"$work/log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
    sleep 0.2
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  done
  printf '%-28s %6.1f s to the first page\n' "$label" "$(echo "$(date +%s.%N) - $start" | bc)"
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$work"
}
cold=$(mktemp -d)
run "cold uv cache (downloads)" "$cold"
run "warm uv cache" "$cold"
rm -rf "$cold"
