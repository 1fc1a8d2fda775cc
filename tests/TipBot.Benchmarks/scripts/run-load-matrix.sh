#!/usr/bin/env bash
# The load figures of docs/benchmarks.md in one go: the embedded default and Redis + PostgreSQL, at
# 16 and 64 residents, and issue 5's 50 tips/s for 60 s. Publishes the server once into a private
# folder (so concurrent builds of src/ cannot change it mid-run), starts Redis and PostgreSQL with
# with-stores.sh, writes one JSON per run and the console output to OUT (default /tmp/tipbot-load-results).
#
#   tests/TipBot.Benchmarks/scripts/run-load-matrix.sh [OUT]
#   SECONDS_PER_RUN=30 RATE_SECONDS=60 RESIDENTS="16 64" tests/TipBot.Benchmarks/scripts/run-load-matrix.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
out="${1:-/tmp/tipbot-load-results}"
seconds="${SECONDS_PER_RUN:-30}"
rate_seconds="${RATE_SECONDS:-60}"
residents="${RESIDENTS:-16 64}"
server="${SERVER_DLL:-}"
mkdir -p "$out"
cd "$root"
if [ -z "$server" ]; then
  dotnet publish src/TipBot.Server -c Release -o "$out/server" --nologo -v q
  server="$out/server/TipBot.Server.dll"
fi
dotnet build tests/TipBot.Benchmarks -c Release --nologo -v q
bench="dotnet tests/TipBot.Benchmarks/bin/Release/net10.0/TipBot.Benchmarks.dll"
export bench server out seconds rate_seconds residents

for n in $residents; do
  $bench load --residents "$n" --seconds "$seconds" --server "$server" --label "embedded-u$n" --out "$out/embedded-u$n.json" | tee "$out/embedded-u$n.txt" || true
done
"$root/tests/TipBot.Benchmarks/scripts/with-stores.sh" bash -c '
  for n in $residents; do
    $bench load --residents "$n" --seconds "$seconds" --server "$server" --redis "$BENCH_REDIS" --postgres "$BENCH_POSTGRES" \
      --label "redis-pg-u$n" --out "$out/redis-pg-u$n.json" | tee "$out/redis-pg-u$n.txt" || true
  done
  $bench load --rate 50 --seconds "$rate_seconds" --server "$server" --redis "$BENCH_REDIS" --postgres "$BENCH_POSTGRES" --hold 0 \
    --label "redis-pg-rate50" --out "$out/redis-pg-rate50.json" | tee "$out/redis-pg-rate50.txt" || true
'
$bench load --rate 50 --seconds "$rate_seconds" --server "$server" --label "embedded-rate50" --out "$out/embedded-rate50.json" | tee "$out/embedded-rate50.txt" || true
echo "results in $out"
