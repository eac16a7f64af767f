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
cd "$top"
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

cleanup() {
	AIM_VAR=$tmp bash scripts/down >/dev/null 2>&1 || true
	if [ "${AIM_WEB_KEEP:-0}" = 1 ]; then
		echo "web: kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port from 20000-40000 that nobody listens on.
free_port() {
	local i p
	for i in $(seq 50); do
		p=$((20000 + RANDOM % 20001))
		if node -e '
		    const s = require("net").createServer();
		    s.once("error", () => process.exit(1));
		    s.listen(+process.argv[1], "127.0.0.1",
			() => s.close(() => process.exit(0)));' "$p" 2>/dev/null
		then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# The database: two verified filers of two companies (the second one
# owns "another company's license" in the tests), a token each.
./aimctl --db "$db" init >"$tmp/log/setup.txt" 2>&1 ||
    fail "aimctl init failed: $(tail -n 3 "$tmp/log/setup.txt")"
email1=filer1@web.test
password1=Web-Filer-One-2026
email2=filer2@web.test
password2=Web-Filer-Two-2026
add_account() {	# email password company ein contact
	printf '%s\n' "$2" | ./aimctl --db "$db" account add --email "$1" \
	    --company "$3" --ein "$4" \
	    --address "400 Commerce Way, Toledo, OH 43604" \
	    --phone "419-555-0100" --contact "$5" --password-stdin \
	    >>"$tmp/log/setup.txt" 2>&1
}
add_account "$email1" "$password1" "Web Test Metals LLC" 98-7654321 \
    "Terry Tester" || fail "account $email1: $(tail -n 3 "$tmp/log/setup.txt")"
add_account "$email2" "$password2" "Other Steel Imports Inc" 98-7654322 \
    "Olive Other" || fail "account $email2: $(tail -n 3 "$tmp/log/setup.txt")"
token() {	# email name
	./aimctl --db "$db" token add --account "$1" --name "$2" \
	    2>>"$tmp/log/setup.txt" |
	    grep -o -E 'aim_[A-Za-z0-9_-]{43}' | head -n 1
}
token1=$(token "$email1" web-tests) || true
token2=$(token "$email2" web-tests) || true
# A revoked token: aimctl has no revoke command (My Account has), so
# the harness revokes this one in the database itself.
revoked=$(token "$email1" web-tests-revoked) || true
if [ -n "$revoked" ] && ! sqlite3 "$db" "UPDATE api_token SET revoked_at =
    strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE name = 'web-tests-revoked'" \
    >>"$tmp/log/setup.txt" 2>&1; then
	revoked=
fi
if [ -z "$token1" ] || [ -z "$token2" ] || [ -z "$revoked" ]; then
	echo "web: warning: API tokens missing ('aimctl token add' or" \
	    "sqlite3 failed: $(tail -n 1 "$tmp/log/setup.txt"));" \
	    "the API suite will fail" >&2
fi

# The site, on another port if the chosen one was taken meanwhile.
port=
for try in 1 2 3; do
	p=$(free_port) || fail "no free port in 20000-40000"
	if AIM_VAR=$tmp AIM_HTTP_PORT=$p AIM_GATEWAY=$gateway \
	    bash scripts/up --services >"$tmp/log/up.txt" 2>&1; then
		port=$p
		break
	fi
	echo "web: start on port $p failed (try $try):" >&2
	tail -n 12 "$tmp/log/up.txt" >&2
	AIM_VAR=$tmp bash scripts/down >/dev/null 2>&1 || true
done
[ -n "$port" ] || fail "could not start nginx + aim-gateway"
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
	st=0
	timeout -k 10 900 node --test --test-reporter=tap "$f" 2>&1 |
	    tee "$log" || st=$?
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
