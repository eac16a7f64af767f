#!/usr/bin/env bash
# kill -9 under load: four filers file licenses through nginx and the
# API without pause while aim-gateway's workers are killed with SIGKILL
# one after another (the master starts new ones), then the master and
# all its workers at once (scripts/up starts it again).  After a clean
# restart: every license acknowledged with a 201 is in the database,
# whole; no license number was given twice; every other answer was a
# 502/503/504 from a request whose worker died (never a 500 or a 4xx);
# the site answers again.  The last line is "N passed, N failed".
# usage: tests/fault/kill9.test.sh [SECONDS]   (default 20 of killing)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/fault/lib.sh
secs=${1:-20}

need_commands kill9 nginx curl sqlite3
need_built kill9 ./aimctl ./aim-gateway

f_tmp=$(mktemp -d /tmp/aim-fault-kill.XXXXXX)
f_var=$f_tmp
f_db=$f_tmp/aim.db
pids=()
cleanup() {
	touch "$f_tmp/stop"
	[ ${#pids[@]} -eq 0 ] || wait "${pids[@]}" 2>/dev/null
	inst_down "$f_tmp"
	[ "${AIM_FAULT_KEEP:-0}" = 1 ] && echo "kept $f_tmp" || rm -rf "$f_tmp"
}
trap cleanup EXIT

inst_db "$f_tmp" || { fail "setup: $(tail -n 3 "$f_tmp/log/setup.txt")"; finish kill9; }
inst_up "$f_tmp" "$top/aim-gateway" ||
    { fail "start: $(tail -n 5 "$f_tmp/log/up.txt")"; finish kill9; }
f_url=http://127.0.0.1:$inst_port
echo "kill9: site at $f_url (data in $f_tmp)"

master() { head -c 20 "$f_tmp/run/aim-gateway.pid" 2>/dev/null | tr -cd 0-9; }
workers() { pgrep -P "$(master)" 2>/dev/null; }

rm -f "$f_tmp/stop"
for i in 1 2 3 4; do
	file_load "$i" 2000 1000 &	# four filers, until told to stop
	pids+=($!)
done

# Workers killed one at a time, every 0.2-0.5 s.
kills=0
end=$((SECONDS + secs))
while [ "$SECONDS" -lt "$end" ]; do
	mapfile -t ws < <(workers)
	if [ ${#ws[@]} -gt 0 ]; then
		kill -KILL "${ws[RANDOM % ${#ws[@]}]}" 2>/dev/null && kills=$((kills + 1))
	fi
	sleep "0.$((2 + RANDOM % 4))"
done
check "the master restarted its killed workers" bash -c \
    'for _ in $(seq 50); do [ "$(pgrep -c -P "$1")" -ge 4 ] && exit 0; sleep 0.1; done; exit 1' \
    _ "$(master)"
# The master and every worker at once, then started again.
m=$(master)
kill -KILL "$m" $(workers) 2>/dev/null
for _ in $(seq 50); do
	[ -z "$(pgrep -P "$m")" ] && ! kill -0 "$m" 2>/dev/null && break
	sleep 0.1
done
sleep 1
restart() {
	AIM_VAR=$f_tmp AIM_HTTP_PORT=$inst_port AIM_GATEWAY=$top/aim-gateway \
	    bash scripts/up --services >>"$f_tmp/log/up.txt" 2>&1
}
check "after kill -9 of the master, scripts/up starts the gateway again" restart
sleep 3
touch "$f_tmp/stop"
wait "${pids[@]}"
pids=()
echo "kill9: $kills workers killed, then the master and its workers"

# A clean restart, then the checks.
inst_down "$f_tmp"
inst_up "$f_tmp" "$top/aim-gateway" ||
    { fail "restart: $(tail -n 5 "$f_tmp/log/up.txt")"; finish kill9; }
f_url=http://127.0.0.1:$inst_port
cat "$f_tmp"/answers.* >"$f_tmp/answers"
total=$(wc -l <"$f_tmp/answers")
n201=$(grep -c '^201 [0-9A-Z]\{9\}$' "$f_tmp/answers")
nlost=$(grep -c -E '^(502|503|504) $' "$f_tmp/answers")
echo "kill9: $total answers: $n201 x 201, $nlost x 502/503/504;" \
    "others: $(grep -v -E '^201 [0-9A-Z]{9}$|^(502|503|504) $' "$f_tmp/answers" |
    cut -d' ' -f1 | sort | uniq -c | tr '\n' ' ')"
check "kill -9: workers were killed under load" test "$kills" -ge 10
check "kill -9: licenses were filed meanwhile" test "$n201" -ge 50
check "kill -9: every answer a 201 with a number, or a 502/503/504" \
    test "$((n201 + nlost))" = "$total"
awk '$1 == 201 {print $2}' "$f_tmp/answers" | sort >"$f_tmp/acked"
sql "SELECT number FROM license" | sort >"$f_tmp/stored"
missing=$(comm -23 "$f_tmp/acked" "$f_tmp/stored" | wc -l)
check "kill -9: every acknowledged license is in the database ($missing missing)" \
    test "$missing" = 0
check "kill -9: no number acknowledged twice" test -z "$(uniq -d "$f_tmp/acked")"
check "kill -9: no number stored twice" test -z "$(uniq -d "$f_tmp/stored")"
extra=$(( $(wc -l <"$f_tmp/stored") - n201 ))
echo "kill9: $extra licenses stored whose answer was lost with its worker"
check "kill -9: stored but unacknowledged only as many as lost answers" \
    test "$extra" -ge 0 -a "$extra" -le "$nlost"
check "kill -9: no partial license" test -z "$(partial)"
check "kill -9: after the restart a filing works" \
    test "$(api POST /api/v1/licenses "$(form_json "Web Test Metals LLC" 3000.00)")" = 201
finish kill9
