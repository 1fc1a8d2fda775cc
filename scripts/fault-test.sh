#!/usr/bin/env bash
# The fault-injection suite of issue 8 on demand (docs/reliability.md). Runs tests/TipBot.FaultTests
# with TIPBOT_FAULTS=long: TipBot.Server as child processes on its own Redis, PostgreSQL and Telegram
# double, 360 residents, 24 SIGKILLs, Redis/PostgreSQL restarts, Telegram 429/500/hangs, two nodes.
# `scripts/fault-test.sh --short` runs the short version (about two minutes) — the one that
# `scripts/test.sh` (and so CI) runs after the rest of the suite.
# Installs redis-server and PostgreSQL from Debian packages if missing, like scripts/test.sh.
# The report, the event log and every server process's output are kept in $TIPBOT_FAULTS_OUT
# (default /tmp/tipbot-faults-results/<time>-<profile>); `tail -f` its events.log to watch.
# TIPBOT_FAULTS_SEED=N repeats a run's random choices; TIPBOT_SERVER_DLL=path tests another build.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=long
if [ "${1:-}" = "--short" ]; then profile=short; shift; fi

need_install=()
command -v redis-server >/dev/null 2>&1 || need_install+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_install+=(postgresql)
if [ ${#need_install[@]} -gt 0 ]; then
  echo "Installing ${need_install[*]} from Debian packages..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

out=${TIPBOT_FAULTS_OUT:-/tmp/tipbot-faults-results/$(date -u +%Y%m%d-%H%M%S)-$profile}
mkdir -p "$out"
echo "Fault run '$profile': report and logs in $out (tail -f $out/events.log to watch)"

set +e
TIPBOT_FAULTS=$profile TIPBOT_FAULTS_OUT=$out \
  dotnet test tests/TipBot.FaultTests/TipBot.FaultTests.csproj -c Release --logger "console;verbosity=minimal" "$@" >"$out/dotnet-test.log" 2>&1
status=$?
set -e

if [ -f "$out/report.md" ]; then
  sed -n '1,/^## Timeline/p' "$out/report.md" | sed '$d'
else
  tail -n 60 "$out/dotnet-test.log"
fi
grep -E '^(Passed|Failed)!' "$out/dotnet-test.log" || true
if [ "$status" -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
echo "Report and logs: $out"
exit "$status"
