#!/usr/bin/env bash
# Profiles TipBot.Server under the load harness: runs `load` with the given arguments, and once the
# server is warm attaches dotnet-counters (runtime, thread pool, GC, ASP.NET Core, EF Core) and
# dotnet-trace (thread-time sampling, ~100 Hz stacks of every thread), then prints the top methods. Needs the NuGet tools:
#   dotnet tool install -g dotnet-counters; dotnet tool install -g dotnet-trace
#
#   tests/TipBot.Benchmarks/scripts/profile-load.sh OUT_DIR load --residents 64 --seconds 40 [--redis ... --postgres ...]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OUT_DIR load [load options]" >&2; exit 2; }
out="$1"; shift
mkdir -p "$out"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
export PATH="$PATH:$HOME/.dotnet/tools"
warm="${PROFILE_AFTER_SECONDS:-8}"
length="${PROFILE_SECONDS:-15}"

dotnet "$root/tests/TipBot.Benchmarks/bin/Release/net10.0/TipBot.Benchmarks.dll" "$@" --out "$out/load.json" >"$out/load.txt" 2>&1 &
harness=$!
pid=""
for _ in $(seq 1 600); do
  pid=$(sed -n 's/^server pid \([0-9]*\) ready.*/\1/p' "$out/load.txt" | head -n 1)
  [ -n "$pid" ] && break
  kill -0 "$harness" 2>/dev/null || break
  sleep 0.2
done
[ -n "$pid" ] || { echo "the server did not start; see $out/load.txt" >&2; wait "$harness" || true; exit 1; }
sleep "$warm"
dotnet-counters collect -p "$pid" --format csv -o "$out/counters.csv" --duration "00:00:$(printf %02d "$length")" \
  --counters System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft.AspNetCore.Server.Kestrel,System.Net.Http,Microsoft.EntityFrameworkCore >"$out/counters.log" 2>&1 &
counters=$!
dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time --duration "00:00:$(printf %02d "$length")" -o "$out/cpu.nettrace" >"$out/trace.log" 2>&1 || true
wait "$counters" || true
wait "$harness" || true
dotnet-trace report "$out/cpu.nettrace" topN -n 40 >"$out/top-exclusive.txt" 2>&1 || true
dotnet-trace report "$out/cpu.nettrace" topN -n 60 --inclusive >"$out/top-inclusive.txt" 2>&1 || true
echo "profile in $out: load.txt, counters.csv, cpu.nettrace, top-exclusive.txt, top-inclusive.txt"
