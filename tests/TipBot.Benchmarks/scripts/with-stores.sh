#!/usr/bin/env bash
# Runs a command with a throwaway Redis and PostgreSQL on free loopback ports (as scripts/test.sh
# starts them), and stops both whatever happens. The command sees BENCH_REDIS (host:port) and
# BENCH_POSTGRES (an admin connection string; the load harness creates its own database in it).
#
#   tests/TipBot.Benchmarks/scripts/with-stores.sh sh -c 'dotnet tests/TipBot.Benchmarks/bin/Release/net10.0/TipBot.Benchmarks.dll \
#       load --residents 64 --redis "$BENCH_REDIS" --postgres "$BENCH_POSTGRES"'
#
# Redis as production wants it for Hangfire (append-only, no eviction); PostgreSQL with the test
# suite's settings (fsync=off, synchronous_commit=off: throwaway data, see docs/benchmarks.md).
# BENCH_PG_OPTIONS adds server options, e.g. "-c shared_preload_libraries=pg_stat_statements" to
# count the statements a run sends (docs/benchmarks.md, sixth session).
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install -y redis-server)" >&2; exit 2; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "PostgreSQL not found (apt-get install -y postgresql)" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
work=$(mktemp -d /tmp/tipbot-bench-stores.XXXXXX)
chmod 755 "$work"
redis_port=$(free_port)
pg_port=$(free_port)
pg_bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  set +e
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null
  [ -d "$work/pg" ] && as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --daemonize yes --pidfile "$work/redis.pid" \
  --appendonly yes --maxmemory-policy noeviction --save "" --logfile "$work/redis.log"

mkdir -p "$work/pg" "$work/pgsock"
[ "$(id -u)" -eq 0 ] && chown postgres "$work/pg" "$work/pgsock"
as_postgres "$pg_bin/initdb" -D "$work/pg" -U tipbot --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
  -o "-p $pg_port -h 127.0.0.1 -k $work/pgsock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${BENCH_PG_OPTIONS:-}" start >/dev/null
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.2; done

export BENCH_REDIS="127.0.0.1:$redis_port"
export BENCH_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=tipbot;Database=postgres"
export BENCH_REDIS_PID; BENCH_REDIS_PID=$(cat "$work/redis.pid")
echo "Redis $BENCH_REDIS (pid $BENCH_REDIS_PID), PostgreSQL 127.0.0.1:$pg_port" >&2
"$@"
