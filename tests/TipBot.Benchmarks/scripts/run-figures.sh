#!/bin/bash
# Every figure of docs/benchmarks.md "Third session, final runs", one after another (≈ 14 min on 2
# cores): the peers side by side, 50 tips/s on both store modes, 64 residents closed loop, the
# 20,000-subscriber broadcast (twice, twice with a SIGKILL at 50 %, once embedded) and the console
# pages. Publish the server first:
#   dotnet publish src/TipBot.Server -c Release -o /tmp/tipbot-server
#   SERVER_DLL=/tmp/tipbot-server/TipBot.Server.dll OUT=results-dir tests/TipBot.Benchmarks/scripts/run-figures.sh
set -u
cd "$(dirname "$0")/../../.."
OUT=${OUT:-tests/TipBot.Benchmarks/results/figures-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p $OUT
B="dotnet tests/TipBot.Benchmarks/bin/Release/net10.0/TipBot.Benchmarks.dll"
S=${SERVER_DLL:-/tmp/tipbot-server/TipBot.Server.dll}
W=tests/TipBot.Benchmarks/scripts/with-stores.sh
log() { echo "$(date -u +%H:%M:%S) $*" | tee -a $OUT/timeline.txt; }
log "start; load $(cut -d' ' -f1-3 /proc/loadavg)"
# 1. Peers side by side (grammY scripted + TipBot), 16 and 64 residents
LEVELS="16 64" DURATION=20 PEERS="grammy-session@scripts/grammy-4step.json external" SERVER_DLL=$S tests/TipBot.Benchmarks/scripts/run-peers-side-by-side.sh /tmp/bench-peers > $OUT/peers.txt 2>&1
log "peers done"
# 2. 50 tips/s, Redis + PostgreSQL, and embedded
$W sh -c "$B load --rate 50 --seconds 60 --hold 0 --server $S --redis \$BENCH_REDIS --postgres \"\$BENCH_POSTGRES\" --out $OUT/rate50-redis-pg.json" > $OUT/rate50-redis-pg.txt 2>&1
log "rate50 redis-pg done"
$B load --rate 50 --seconds 60 --hold 0 --server $S --out $OUT/rate50-embedded.json > $OUT/rate50-embedded.txt 2>&1
log "rate50 embedded done"
# 3. Closed loop, 64 residents, Redis + PostgreSQL (memory, CPU per tip)
$W sh -c "$B load --residents 64 --seconds 30 --server $S --redis \$BENCH_REDIS --postgres \"\$BENCH_POSTGRES\" --out $OUT/u64-redis-pg.json" > $OUT/u64-redis-pg.txt 2>&1
log "u64 done"
# 4. Broadcast 20,000 at 1,000/s: twice without, twice with a kill, once embedded
for run in 1 2; do
  $W sh -c "$B load --broadcast --subscribers 20000 --rate 1000 --server $S --redis \$BENCH_REDIS --postgres \"\$BENCH_POSTGRES\" --out $OUT/broadcast-redis-pg-$run.json" > $OUT/broadcast-redis-pg-$run.txt 2>&1
  log "broadcast $run done"
  $W sh -c "$B load --broadcast --subscribers 20000 --rate 1000 --kill-at 0.5 --server $S --redis \$BENCH_REDIS --postgres \"\$BENCH_POSTGRES\" --out $OUT/broadcast-redis-pg-kill-$run.json" > $OUT/broadcast-redis-pg-kill-$run.txt 2>&1
  log "broadcast kill $run done"
done
$B load --broadcast --subscribers 20000 --rate 1000 --server $S --out $OUT/broadcast-embedded.json > $OUT/broadcast-embedded.txt 2>&1
log "broadcast embedded done"
# 5. Console pages, 100,000 tips
$W tests/TipBot.Benchmarks/scripts/console-pages.sh $S > $OUT/console-pages.txt 2>&1
log "console pages done; load $(cut -d' ' -f1-3 /proc/loadavg)"
