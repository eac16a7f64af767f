#!/usr/bin/env bash
# The web suites: starts a private nginx + aim-gateway (scripts/up
# --services) in its own temporary folder, on a free random port, with
# its own database holding two verified filer accounts and an API token
# each; runs every tests/web/*.test.mjs (or the files named) with node's
# test runner, one file after another; stops all it started, whatever
# happens; ends with one line "N passed, N failed".
# usage: tests/web/run.sh [FILE.test.mjs ...]
# Environment: AIM_GATEWAY=PROGRAM tests another build of aim-gateway;
# AIM_WEB_KEEP=1 keeps the temporary folder (logs, database).
#
# The suites get: AIM_URL (http://127.0.0.1:PORT), AIM_DB, AIM_VAR,
# AIM_CONF, AIM_GATEWAY (absolute), AIM_TOP, AIM_EMAIL/AIM_PASSWORD and
# AIM_EMAIL2/AIM_PASSWORD2 (the accounts' sign-in), AIM_TOKEN and
# AIM_TOKEN2 (their API tokens; empty if aimctl could not make them),
# AIM_TOKEN_REVOKED (a revoked token of the first account).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. scripts/instance.sh
started=$(date +%s)
gateway=${AIM_GATEWAY:-$top/aim-gateway}
case $gateway in /*) ;; *) gateway=$top/$gateway ;; esac

# Nothing ran: one failure, so a broken setup never looks green.
fail() {
	echo "web: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

for p in ./aimctl "$gateway"; do
	[ -x "$p" ] || fail "$p is not built (make, or scripts/up)"
done
for c in node nginx curl cgi-fcgi sqlite3; do
	command -v "$c" >/dev/null 2>&1 || fail "$c is missing (scripts/deps)"
done

if [ $# -gt 0 ]; then
	files=("$@")
else
	shopt -s nullglob
	files=(tests/web/*.test.mjs)
	shopt -u nullglob
fi
[ ${#files[@]} -gt 0 ] || fail "no tests/web/*.test.mjs to run"

tmp=$(mktemp -d /tmp/aim-web.XXXXXX) || fail "mktemp failed"
db=$tmp/aim.db
mkdir -p "$tmp/log"

runner=
cleanup() {
	# timeout passes the signal on to node.
	if [ -n "$runner" ]; then
		kill -TERM "$runner" 2>/dev/null || true
		wait "$runner" 2>/dev/null || true
	fi
	inst_down "$tmp"
	if [ "${AIM_WEB_KEEP:-0}" = 1 ]; then
		echo "web: kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! inst_db "$tmp"; then
	echo "web: warning: accounts or API tokens missing:" \
	    "$(tail -n 2 "$tmp/log/setup.txt"); the API suite will fail" >&2
	[ -f "$db" ] || fail "aimctl init failed"
fi
email1=$inst_email1 password1=$inst_password1
email2=$inst_email2 password2=$inst_password2
token1=${inst_token1:-} token2=${inst_token2:-} revoked=${inst_revoked:-}
inst_up "$tmp" "$gateway" ||
    fail "could not start nginx + aim-gateway: $(tail -n 12 "$tmp/log/up.txt")"
port=$inst_port
echo "web: site at http://127.0.0.1:$port/ (data in $tmp)"

export AIM_URL=http://127.0.0.1:$port AIM_DB=$db AIM_VAR=$tmp \
    AIM_CONF=$tmp/aim.conf AIM_GATEWAY=$gateway AIM_TOP=$top \
    AIM_EMAIL=$email1 AIM_PASSWORD=$password1 \
    AIM_EMAIL2=$email2 AIM_PASSWORD2=$password2 \
    AIM_TOKEN=$token1 AIM_TOKEN2=$token2 AIM_TOKEN_REVOKED=$revoked

# One file at a time: a suite may kill a worker or fill a rate limit,
# and must not do it under another's feet.  node prints TAP ending with
# "# pass N", "# fail N", "# cancelled N", "# skipped N".
num() {	# what: the count node printed as "# what N" in $log
	grep -a -E "^# $1 [0-9]+$" "$log" | tail -n 1 | grep -o -E '[0-9]+$'
}
passed=0
failed=0
skipped=0
for f in "${files[@]}"; do
	name=$(basename "$f")
	log=$tmp/log/$name.tap
	echo "== $name"
	# In the background so that a signal to this script is handled
	# at once (bash runs traps only between foreground commands).
	timeout -k 10 900 node --test --test-reporter=tap "$f" >"$log" 2>&1 &
	runner=$!
	st=0
	wait "$runner" || st=$?
	runner=
	cat "$log"
	p=$(num pass) || p=
	q=$(num fail) || q=
	c=$(num cancelled) || c=0
	s=$(num skipped) || s=0
	if [ -z "$p" ] || [ -z "$q" ]; then
		echo "FAIL $name: no counts from node (status $st)"
		p=${p:-0}
		q=1
	else
		q=$((q + c))
		if [ "$st" -ne 0 ] && [ "$q" -eq 0 ]; then
			echo "FAIL $name: node exited $st after its counts"
			q=1
		fi
	fi
	# Name each failure on a line scripts/check shows.
	grep -a -E '^ *not ok [0-9]+ - ' "$log" |
	    sed -E "s/^ *not ok [0-9]+ - /FAIL $name: /" || true
	echo "$name: $p passed, $q failed, $s skipped"
	passed=$((passed + p))
	failed=$((failed + q))
	skipped=$((skipped + s))
done

if [ "$failed" -ne 0 ]; then
	echo "== logs of the instance"
	tail -n 20 "$tmp/log/aim-gateway.log" "$tmp/log/nginx-error.log" \
	    2>/dev/null || true
fi
echo "web: $(( $(date +%s) - started )) s"
if [ "$skipped" -ne 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
