#!/bin/sh
# Broadcast runs on Redis + PostgreSQL: twice without a kill, twice with SIGKILL at 50 %.
out=/work/wt-broadcast/tests/TipBot.Benchmarks/results/2026-11-26/session3/batch2
B="dotnet /tmp/bcast-bench2/TipBot.Benchmarks.dll"
for run in 1 2; do
  $B load --broadcast --subscribers 20000 --rate 1000 --subscribe-concurrency 96 --label "redis-pg-$run" --out $out/redis-pg-$run.json \
    --server /tmp/bcast-server2/TipBot.Server.dll --redis "$BENCH_REDIS" --postgres "$BENCH_POSTGRES" > $out/redis-pg-$run.txt 2>&1
  $B load --broadcast --subscribers 20000 --rate 1000 --subscribe-concurrency 96 --kill-at 0.5 --label "redis-pg-kill-$run" --out $out/redis-pg-kill-$run.json \
    --server /tmp/bcast-server2/TipBot.Server.dll --redis "$BENCH_REDIS" --postgres "$BENCH_POSTGRES" > $out/redis-pg-kill-$run.txt 2>&1
done
# Embedded default (SQLite, in-process store, Hangfire.InMemory): once without and once with the kill.
$B load --broadcast --subscribers 20000 --rate 1000 --subscribe-concurrency 96 --label "embedded" --out $out/embedded.json \
  --server /tmp/bcast-server2/TipBot.Server.dll > $out/embedded.txt 2>&1
$B load --broadcast --subscribers 20000 --rate 1000 --subscribe-concurrency 96 --kill-at 0.5 --label "embedded-kill" --out $out/embedded-kill.json \
  --server /tmp/bcast-server2/TipBot.Server.dll > $out/embedded-kill.txt 2>&1
