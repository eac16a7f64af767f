#!/usr/bin/env bash
# The fault tests: each tests/fault/*.test.sh (or the files named), one
# after another, each against servers of its own (a private site, the
# private mail servers); prints their output and ends with the sum, one
# line "N passed, N failed".  Needs root (a tmpfs, Postfix) and a build.
#   ioerror    SQLite I/O errors (EIO on write, on the commit's sync)
#   diskfull   a full disk (tmpfs) during submit, correct and cancel
#   kill9      kill -9 of aim-gateway's workers and master under load
#   smtp       Postfix answering 421, 450 and 554 to the outbox sender
# IMAP dropped mid-FETCH and mid-IDLE, Postfix down and a 550 at RCPT
# are tested in tests/mail/e2e.test.sh and tests/mail/sender.test.sh.
# usage: tests/fault/run.sh [FILE.test.sh ...]
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
if [ $# -gt 0 ]; then
	files=("$@")
else
	files=(tests/fault/*.test.sh)
fi
passed=0
failed=0
for f in "${files[@]}"; do
	name=$(basename "$f" .test.sh)
	echo "== $name"
	out=$(timeout -k 10 600 bash "$f" 2>&1)
	st=$?
	printf '%s\n' "$out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: $name: printed no count (status $st)"
		p=0 q=1
	else
		p=${line%% *}
		q=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
		if [ "$st" -ne 0 ] && [ "$q" -eq 0 ]; then
			echo "FAIL: $name: exited $st after its count"
			q=1
		fi
	fi
	echo "$name: $p passed, $q failed"
	passed=$((passed + p))
	failed=$((failed + q))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
