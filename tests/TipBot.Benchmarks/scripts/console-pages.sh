#!/usr/bin/env bash
# Issue 7's page figure: the console's pages with 100,000 tips in PostgreSQL. Run under
# with-stores.sh (it starts PostgreSQL and Redis):
#   tests/TipBot.Benchmarks/scripts/with-stores.sh tests/TipBot.Benchmarks/scripts/console-pages.sh [/tmp/tipbot-server/TipBot.Server.dll] [TIPS]
# Seeds TIPS tips (100,000) spread over 60 days and all units, with their events, in SQL; starts the
# published server; signs in as an admin; then times each page 7 times and prints the median of the
# time to the last byte (on loopback, so nearly all of it is the server's).
set -euo pipefail
server=${1:-/tmp/tipbot-server/TipBot.Server.dll}
tips=${2:-100000}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pg_port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$BENCH_POSTGRES")
psql="$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1) -q -h 127.0.0.1 -p $pg_port -U tipbot"
work=$(mktemp -d /tmp/tipbot-console-pages.XXXXXX)
export ConnectionStrings__Database="Host=127.0.0.1;Port=$pg_port;Username=tipbot;Database=tipbot_console_pages"
export ConnectionStrings__Redis="$BENCH_REDIS" Redis__KeyPrefix="pages$port"
cd "$(dirname "$server")"
dotnet "$server" migrate >/dev/null
dotnet "$server" import-directory --units SampleDirectory/units.csv --officers SampleDirectory/officers.csv >/dev/null

$psql -d tipbot_console_pages <<SQL
WITH units AS (SELECT array_agg("Code") AS codes FROM units WHERE "Type" IN ('ward','commune','special_zone'))
INSERT INTO tips ("Id","SubmissionId","Code","Description","Category","CategoryConfidence","Urgent","UnitCode","Anonymous",
                  "EvidenceCount","ReporterChannel","ReporterKey","Culture","Status","ReceivedAt","AssignedUnitCode","AcceptedAt","AcceptedByOfficerId","ResolvedAt")
SELECT gen_random_uuid(), gen_random_uuid(), 'TB-' || upper(lpad(to_hex(g), 6, '0')),
       (ARRAY['Tối qua có nhóm thanh niên bán ma túy gần chợ','Có người trộm xe máy trước nhà','Nhóm thanh niên đánh bạc ăn tiền trong hẻm','Có kẻ gọi điện giả danh công an lừa chuyển khoản'])[1 + g % 4] || ' (' || g || ')',
       (ARRAY['drugs','theft','gambling','fraud','robbery','violence','traffic','other'])[1 + g % 8], 0.9, g % 9 = 0,
       u.codes[1 + g % array_length(u.codes, 1)], true, 0, 'telegram', md5(g::text), 'vi',
       (ARRAY['assigned','accepted','resolved','accepted'])[1 + g % 4],
       now() - ((g % 60) || ' days')::interval - ((g % 86400) || ' seconds')::interval,
       u.codes[1 + g % array_length(u.codes, 1)],
       CASE WHEN g % 4 IN (1,2,3) THEN now() - ((g % 60) || ' days')::interval - ((g % 86400) || ' seconds')::interval + interval '20 minutes' END,
       CASE WHEN g % 4 IN (1,2,3) THEN 'web-' || u.codes[1 + g % array_length(u.codes, 1)] END,
       CASE WHEN g % 4 = 2 THEN now() - ((g % 60) || ' days')::interval + interval '2 days' END
FROM generate_series(1, $tips) g, units u;
INSERT INTO tip_events ("TipId","Kind","At","Detail") SELECT "Id", 'received', "ReceivedAt", NULL FROM tips;
INSERT INTO tip_events ("TipId","Kind","At","Detail") SELECT "Id", 'assigned', "ReceivedAt" + interval '1 second', "AssignedUnitCode" FROM tips;
INSERT INTO tip_events ("TipId","Kind","At","Detail") SELECT "Id", 'acknowledged', "AcceptedAt", "AcceptedByOfficerId" FROM tips WHERE "AcceptedAt" IS NOT NULL;
ANALYZE;
SQL
echo "seeded: $($psql -d tipbot_console_pages -t -c 'SELECT count(*) FROM tips') tips, $($psql -d tipbot_console_pages -t -c 'SELECT count(*) FROM tip_events') events"

TIPBOT_ADMIN_PASSWORD=bench-password-123 dotnet "$server" create-admin --user bench >/dev/null
Database__MigrateOnStart=false dotnet "$server" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done

jar="$work/cookies"
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/console/signin" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed -E 's/.*value="([^"]*)"/\1/')
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "UserName=bench" --data-urlencode "Password=bench-password-123" \
  --data-urlencode "__RequestVerificationToken=$token" "http://127.0.0.1:$port/console/signin"
tip=$($psql -d tipbot_console_pages -t -A -c 'SELECT "Id" FROM tips ORDER BY "ReceivedAt" DESC LIMIT 1')

time_page() {
  local what=$1 path=$2 times=() status
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "http://127.0.0.1:$port$path")
  for _ in $(seq 1 7); do times+=("$(curl -s -o /dev/null -w '%{time_total}' -b "$jar" "http://127.0.0.1:$port$path")"); done
  printf '| %s | `%s` | %s | %s ms |\n' "$what" "$path" "$status" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 4p | awk '{printf "%.0f", $1*1000}')"
}
echo "| page | path | status | median of 7 |"
echo "|---|---|---|---|"
time_page "tip list, newest first" "/console/tips"
time_page "tip list, page 200" "/console/tips?page=200"
time_page "tip list, one category and unit" "/console/tips?category=drugs&unit=20242"
time_page "tip list, text search" "/console/tips?q=m%C3%A1y"
time_page "tip detail" "/console/tips/$tip"
time_page "dashboard (30 days)" "/console/dashboard"
time_page "CSV export (all tips)" "/console/tips?handler=Export"
