#!/usr/bin/env bash
# The mail corpus through `aimctl mail inspect --json`, the code
# aim-maild reads mail with:
#
#   - every message of corpus/ (105 real-world messages, see its
#     README.md) and messages/ (our own, generate.py) reads without a
#     crash in TIMEOUT seconds under a MEMORY_KB address-space cap:
#     exit 0, or 2 for a message refused whole, and valid JSON;
#   - every corpus/multipart_report_emails/ message is a bounce;
#   - corpus.expect: the classification and attachment names of the
#     messages it lists;
#   - MIME bombs made here (10,000 nested multiparts, 100,000 parts)
#     are refused within the same time and memory, headers still read.
#
# Each check is one test; the last line is "N passed, N failed".
# usage: tests/mail/corpus.sh        (AIMCTL=path overrides ./aimctl)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
aimctl=${AIMCTL:-${top_builddir:-$top}/aimctl}
case $aimctl in /*) ;; *) aimctl=$(pwd)/$aimctl ;; esac
# AIM_CORPUS_TIMEOUT and AIM_CORPUS_MEMORY_KB: scripts/check --valgrind
# gives aimctl under memcheck the time and address space it needs.
timeout_s=${AIM_CORPUS_TIMEOUT:-5}
memory_kb=${AIM_CORPUS_MEMORY_KB:-$((1024 * 1024))}	# 1 GiB: a 40 MB message fits many times

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

if [ ! -x "$aimctl" ]; then
	fail "no aimctl at $aimctl (build first)"
	echo "$passed passed, $failed failed"
	exit 1
fi
if ! command -v jq >/dev/null 2>&1; then
	fail "jq is not installed (scripts/deps)"
	echo "$passed passed, $failed failed"
	exit 1
fi

# Runs inspect on $1 into $tmp/out.json; prints the exit status.  No
# configuration: the default mail domain (aim.test), no token key.
inspect() {
	local st=0
	(
		cd "$tmp" || exit 99
		ulimit -v "$memory_kb"
		exec env -u AIM_CONF timeout "$timeout_s" "$aimctl" mail \
		    inspect --json "$1"
	) >"$tmp/out.json" 2>"$tmp/err.txt" || st=$?
	echo "$st"
}

# 1. Every message reads, in bounded time and memory, as JSON.
while IFS= read -r f; do
	rel=${f#"$here"/}
	st=$(inspect "$f")
	if [ "$st" -ne 0 ] && [ "$st" -ne 2 ]; then
		fail "$rel: exit $st ($( [ "$st" -eq 124 ] && echo timeout ||
		    head -c 200 "$tmp/err.txt"))"
	elif [ "$st" -eq 0 ] && ! jq -e '.classification and
	    (.attachments | type == "array") and (.forms | type == "array")' \
	    "$tmp/out.json" >/dev/null 2>&1; then
		fail "$rel: not the inspect JSON"
	else
		pass
	fi
done < <(find "$here/corpus" "$here/messages" -name '*.eml' | LC_ALL=C sort)

# 2. Delivery reports are bounces.
for f in "$here"/corpus/multipart_report_emails/*.eml; do
	rel=${f#"$here"/}
	inspect "$f" >/dev/null
	c=$(jq -r .classification "$tmp/out.json" 2>/dev/null)
	if [ "$c" = bounce ]; then
		pass
	else
		fail "$rel: classified \"$c\", not bounce"
	fi
done

# 3. The expectations file: class and attachment names.
n=0
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	n=$((n + 1))
	file=${line%%$'\t'*}
	want=${line#*$'\t'}
	st=$(inspect "$here/$file")
	got=$(jq -r '[.classification] + [.attachments[].name] | join("\t")' \
	    "$tmp/out.json" 2>/dev/null)
	if [ "$st" -eq 0 ] && [ "$got" = "$want" ]; then
		pass
	else
		fail "$file: got \"${got//$'\t'/ | }\", want" \
		    "\"${want//$'\t'/ | }\" (exit $st)"
	fi
done <"$here/corpus.expect"
if [ "$n" -ge 25 ]; then
	pass
else
	fail "corpus.expect lists $n messages, fewer than 25"
fi

# 4. MIME bombs, refused within the same bounds.
awk 'BEGIN {
	printf "From: a@b.example\r\nSubject: deep\r\n"
	printf "Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
	for (i = 1; i < 10000; i++)
		printf "--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i - 1, i
	printf "--b9999\r\nContent-Type: text/plain\r\n\r\nx\r\n"
	for (i = 9999; i >= 0; i--)
		printf "--b%d--\r\n", i
}' >"$tmp/nested.eml"
awk 'BEGIN {
	printf "From: a@b.example\r\nSubject: many\r\n"
	printf "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	for (i = 0; i < 100000; i++)
		printf "--b\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n"
	printf "--b--\r\n"
}' >"$tmp/many.eml"
for bomb in nested:deep many:many; do
	subject=${bomb#*:}
	bomb=${bomb%%:*}
	st=$(inspect "$tmp/$bomb.eml")
	s=$(jq -r .subject "$tmp/out.json" 2>/dev/null)
	if [ "$st" -eq 0 ] && grep -q 'cut off' "$tmp/err.txt" &&
	    [ "$s" = "$subject" ]; then
		pass
	else
		fail "$bomb bomb: exit $st, subject \"$s\":" \
		    "$(head -c 200 "$tmp/err.txt")"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
