#!/usr/bin/env bash
# TipBot beside the peers of ../shared/bench-peers (grammY, Bot Framework), in one run: same load
# driver, same fake Telegram Bot API, same Redis (the harness starts it on 127.0.0.1:6390), and a
# PostgreSQL started here (with-stores.sh). TipBot is driven with a script of its real dialog
# (tipbot-real.json) and compared with the scripted peers per step. Its flood control stays on, with a
# limit the driver's users (one chat each, many tips a minute) cannot reach.
#
#   tests/TipBot.Benchmarks/scripts/run-peers-side-by-side.sh [WORK_DIR]
#   LEVELS="16 64" DURATION=20 WARMUP=60 PEERS="..." SERVER_DLL=/tmp/tipbot-server/TipBot.Server.dll  (optional)
#
# Copies the read-only harness into WORK_DIR (default /tmp/bench-peers), where it installs its npm
# packages and writes results/run-<stamp>.md. Everything listens on 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
peers_dir="${1:-/tmp/bench-peers}"
shared="${BENCH_PEERS:-$root/../shared/bench-peers}"
[ -d "$peers_dir" ] || { cp -r "$shared" "$peers_dir"; chmod -R u+w "$peers_dir"; }
cp "$here/tipbot-real.json" "$peers_dir/scripts/tipbot-real.json"

server="${SERVER_DLL:-}"
if [ -z "$server" ]; then
  dotnet publish "$root/src/TipBot.Server" -c Release -o "$peers_dir/tipbot-server" --nologo -v q
  server="$peers_dir/tipbot-server/TipBot.Server.dll"
fi
server_dir="$(cd "$(dirname "$server")" && pwd)"

# The sample units, one Telegram officer per ward or commune and the city's duty desk (as the load harness does).
python3 - "$root/src/TipBot.Server/SampleDirectory/units.csv" "$peers_dir/tipbot-officers.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
with open(sys.argv[2], 'w', encoding='utf-8', newline='') as out:
    w = csv.writer(out, lineterminator='\n')
    w.writerow(['id', 'full_name', 'unit_code', 'role', 'channel', 'chat_id', 'phone'])
    i = 0
    for code, name, kind, *_ in rows[1:]:
        if kind == 'province':
            w.writerow([f'desk-{code}', f'Trực ban {name}', code, 'duty_desk', 'telegram', '9099999999', ''])
        else:
            w.writerow([f'o-{code}', f'Cán bộ {name}', code, 'officer', 'telegram', str(9100000000 + i), '']); i += 1
PY

export peers_dir server server_dir root
"$here/with-stores.sh" bash -c '
  set -euo pipefail
  (cd "$server_dir" && ConnectionStrings__Database="$BENCH_POSTGRES" dotnet "$server" import-directory \
      --units "$root/src/TipBot.Server/SampleDirectory/units.csv" --officers "$peers_dir/tipbot-officers.csv")
  cd "$peers_dir"
  export PEERS="${PEERS:-nullbot@scripts/nullbot-4step.json grammy-session@scripts/grammy-4step.json grammy-session botbuilder-redis external}"
  export LEVELS="${LEVELS:-16 64}" DURATION="${DURATION:-20}"
  # Every peer warms up this long at 16 users before it is measured: TipBot'"'"'s JIT needs about a
  # minute on two busy cores (docs/benchmarks.md, fifth session); node'"'"'s is done in seconds.
  export WARMUP="${WARMUP:-60}"
  export EXTERNAL_NAME=tipbot EXTERNAL_URL=http://127.0.0.1:5080/webhooks/telegram EXTERNAL_SECRET=S
  export EXTERNAL_HEALTH=http://127.0.0.1:5080/health/ready EXTERNAL_SCRIPT=scripts/tipbot-real.json
  export EXTERNAL_DRIVER_ARGS="${EXTERNAL_DRIVER_ARGS:---step-timeout-ms 5000}"
  export EXTERNAL_CMD="env MALLOC_ARENA_MAX=2 ASPNETCORE_ENVIRONMENT=Production '"'"'ConnectionStrings__Database=$BENCH_POSTGRES'"'"' \
ConnectionStrings__Redis=127.0.0.1:${REDIS_PORT:-6390} Telegram__BotToken=123456:BENCH-TOKEN Telegram__WebhookSecret=S \
Telegram__ApiBaseUrl=http://127.0.0.1:${FAKE_PORT:-8081} Directory__SeedSample=false Conversations__MessagesPerMinute=1000000 \
dotnet $server --urls http://127.0.0.1:5080 --contentRoot $server_dir"
  ./run-peers.sh
'
