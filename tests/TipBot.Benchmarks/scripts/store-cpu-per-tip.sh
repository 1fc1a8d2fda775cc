#!/bin/sh
# CPU that PostgreSQL and Redis spend per tip: runs one `load` (16 residents, 40 s) against the stores
# of with-stores.sh and adds up their processes' CPU (PostgreSQL's backends come and go: the
# postmaster's reaped-children counters keep theirs). Appends the figures to the load's output.
#
#   tests/TipBot.Benchmarks/scripts/with-stores.sh tests/TipBot.Benchmarks/scripts/store-cpu-per-tip.sh SERVER_DLL OUT_FILE
set -eu
[ $# -eq 2 ] || { echo "usage: $0 SERVER_DLL OUT_FILE (inside with-stores.sh)" >&2; exit 2; }
root="$(cd "$(dirname "$0")/../../.." && pwd)"
port=$(echo "$BENCH_POSTGRES" | sed 's/.*Port=\([0-9]*\).*/\1/')
postmaster=$(pgrep -f "postgres.*-p $port" | head -n 1)
dotnet "$root/tests/TipBot.Benchmarks/bin/Release/net10.0/TipBot.Benchmarks.dll" load --residents 16 --seconds 40 --warmup 5 \
  --server "$1" --redis "$BENCH_REDIS" --postgres "$BENCH_POSTGRES" > "$2" 2>&1
hz=$(getconf CLK_TCK)
pg=$(awk -v hz="$hz" '{print ($14+$15+$16+$17)/hz}' "/proc/$postmaster/stat")
for child in $(pgrep -P "$postmaster"); do pg=$(awk -v hz="$hz" -v acc="$pg" '{print acc+($14+$15)/hz}' "/proc/$child/stat"); done
redis=$(awk -v hz="$hz" '{print ($14+$15)/hz}' "/proc/$BENCH_REDIS_PID/stat")
tips=$(grep -E "^\| alerts: tips" "$2" | awk -F'|' '{print $3}' | awk -F/ '{print $1+0}')
awk -v pg="$pg" -v redis="$redis" -v tips="$tips" 'BEGIN { printf "store CPU over the whole run: PostgreSQL %.2f s, Redis %.2f s, %d tips: %.2f / %.2f ms per tip\n", pg, redis, tips, 1000*pg/tips, 1000*redis/tips }' >> "$2"
tail -n 1 "$2"
