#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs Redis, PostgreSQL and Chromium from Debian packages if
# they are missing, starts throwaway servers on free loopback ports in a temp folder, runs
# `dotnet test` against them, then the fault-injection suite's short run (it starts servers of its
# own), and stops everything whatever happens. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

need_install=()
command -v redis-server >/dev/null 2>&1 || need_install+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_install+=(postgresql)
# The console's browser tests drive Debian's headless Chromium through its chromedriver.
[ -x /usr/bin/chromium ] || need_install+=(chromium)
[ -x /usr/bin/chromedriver ] || need_install+=(chromium-driver)
if [ ${#need_install[@]} -gt 0 ]; then
  echo "Installing ${need_install[*]} from Debian packages..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || shuf -i 20000-60000 -n 1; }

work=$(mktemp -d /tmp/tipbot-test.XXXXXX)
chmod 755 "$work"
redis_port=$(free_port)
pg_port=$(free_port)
pg_bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  set +e
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null
  [ -d "$work/pg" ] && as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Redis as production wants it for Hangfire: no eviction, append-only.
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --daemonize yes --pidfile "$work/redis.pid" \
  --appendonly yes --maxmemory-policy noeviction --save "" --logfile "$work/redis.log"

mkdir -p "$work/pg" "$work/pgsock"
[ "$(id -u)" -eq 0 ] && chown postgres "$work/pg" "$work/pgsock"
as_postgres "$pg_bin/initdb" -D "$work/pg" -U tipbot --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
  -o "-p $pg_port -h 127.0.0.1 -k $work/pgsock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null

for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.2; done

export TIPBOT_TEST_REDIS="127.0.0.1:$redis_port"
export TIPBOT_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=tipbot;Database=postgres"
export TIPBOT_TEST_REDIS_PORT="$redis_port"

set +e
dotnet test TipBot.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
# The fault-injection suite's short run (docs/reliability.md): real server processes SIGKILLed,
# Redis and PostgreSQL restarted, Telegram failing — on servers of its own, after the rest so it
# has the machine to itself. Skipped when arguments (a filter) select some tests.
if [ $# -eq 0 ]; then
  # A failing run prints its report and keeps its logs in /tmp/tipbot-faults-failed-<time>.
  TIPBOT_FAULTS=short dotnet test tests/TipBot.FaultTests/TipBot.FaultTests.csproj -c Release --logger "console;verbosity=normal" 2>&1 | tee -a "$work/test.log"
  fault_status=${PIPESTATUS[0]}
  [ "$fault_status" -ne 0 ] && status=$fault_status
fi
set -e

# dotnet test closes each project with "Total tests: n" then "Passed: n", "Failed: n", "Skipped: n" lines.
awk -v status="$status" '
  /^Total tests: [0-9]+/ { counting = 1; next }
  counting && /^ +Passed: +[0-9]+ *$/  { p += $2; next }
  counting && /^ +Failed: +[0-9]+ *$/  { f += $2; next }
  counting && /^ +Skipped: +[0-9]+ *$/ { s += $2; next }
  { counting = 0 }
  END {
    # A build error or a crashed test host fails the run even where every test that ran passed.
    if (status != 0 && f == 0) f = 1
    line = (p + 0) " passed, " (f + 0) " failed"; if (s > 0) line = line ", " s " skipped"; print line
  }' "$work/test.log"
exit "$status"
