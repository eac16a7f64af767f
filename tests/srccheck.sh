#!/usr/bin/env bash
# Refuses calls to unbounded or error-blind C functions in the project's
# own sources: strcpy strcat sprintf vsprintf gets atoi atol sscanf
# strtok strtok_r.  Comments and string literals are ignored; snprintf,
# vsnprintf, strtol, strtoll, strtoul, fgets stay allowed.
#
# usage: tests/srccheck.sh            the project's files plus self-tests
#        tests/srccheck.sh PATH...    only these files or folders
# Each file checked is one test; the last line is "N passed, N failed".
# automake's driver runs this with /bin/sh: come back under bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
top=$(cd "$(dirname "$0")/.." && pwd)
dirs=(lib forms xml db gateway mail cli tests bench fuzz)
banned='strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|sscanf|strtok|strtok_r'

# Prints "LINE: TEXT" for each banned call in file $1.  Comments and
# literals are blanked first (newlines kept, so line numbers hold).
scan() {
	perl -e '
		local $/; my $f = shift; my $re = shift;
		open(my $fh, "<", $f) or die "$f: $!\n";
		my $s = <$fh>; close($fh);
		my @orig = split /\n/, $s, -1;
		my $blank = sub { my $t = shift; $t =~ s/[^\n]/ /g; $t };
		$s =~ s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\x27(?:\\.|[^\x27\\\n])*\x27)}
		    {$blank->($1)}gse;
		my @l = split /\n/, $s, -1;
		for my $i (0 .. $#l) {
			print $i + 1, ": $orig[$i]\n"
			    if $l[$i] =~ /(?<![A-Za-z0-9_])(?:$re)\s*\(/;
		}
	' "$1" "$banned"
}

passed=0
failed=0

check_file() {
	local f=$1 out
	if ! out=$(scan "$f"); then
		echo "FAIL: $f: cannot be read"
		failed=$((failed + 1))
		return
	fi
	if [ -n "$out" ]; then
		while IFS= read -r l; do
			echo "FAIL: ${f#"$top"/}:${l%%:*}: banned call:${l#*:}"
		done <<<"$out"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
}

# Generated sources named in .gitignore ("/db/sql_001.c") are skipped.
generated() {
	local rel=${1#"$top"/} g
	[ -f "$top/.gitignore" ] || return 1
	while IFS= read -r g; do
		[ "$g" = "/$rel" ] && return 0
	done <"$top/.gitignore"
	return 1
}

# One self-test: this script on path must end with status (0 or
# "nonzero") and print a line matching each pattern; what says what is
# wrong otherwise.
expect_run() {	# what status path pattern...
	local what=$1 want=$2 path=$3 rc=0 out p ok=1
	shift 3
	out=$("$self" "$path" 2>&1) || rc=$?
	if [ "$want" = nonzero ]; then
		[ "$rc" -ne 0 ] || ok=0
	else
		[ "$rc" -eq "$want" ] || ok=0
	fi
	for p in "$@"; do
		grep -q -e "$p" <<<"$out" || ok=0
	done
	if [ "$ok" = 1 ]; then
		passed=$((passed + 1))
	else
		echo "FAIL: self-test: $what (exit $rc):"
		echo "$out"
		failed=$((failed + 1))
	fi
}

# Files are scanned for real; the self-tests below prove the scanner
# can fail and does not refuse the allowed look-alikes.
self_test() {
	local tmp
	tmp=$(mktemp -d)
	printf '%s\n' '#include <stdio.h>' 'void f(char *buf) {' \
	    '	sprintf(buf, "x");' '}' >"$tmp/bad.c"
	printf '%s\n' '/* sprintf(buf) and strcpy( in a comment */' \
	    'void g(char *b, long *n) {' \
	    '	snprintf(b, 8, "strcat(%s", "atoi(");' \
	    '	*n = strtol(b, NULL, 10) + strtoll(b, NULL, 10) +' \
	    '	    strtoul(b, NULL, 10); // gets(b)' \
	    '	char *s = strtok_rx(b); fgets(b, 8, stdin);' '}' >"$tmp/good.c"
	printf '%s\n' 'int h(char *b) { return atoi (b); }' >"$tmp/spaced.h"

	expect_run "sprintf in bad.c not refused" nonzero "$tmp/bad.c" \
	    'bad.c:3: banned call' '^0 passed, 1 failed$'
	expect_run "allowed calls in good.c refused" 0 "$tmp/good.c" \
	    '^1 passed, 0 failed$'
	expect_run "folder scan did not refuse 'atoi ('" nonzero "$tmp" \
	    'spaced.h:1: banned call' '^1 passed, 2 failed$'
	rm -rf "$tmp"
}

files=()
if [ $# -gt 0 ]; then
	for p in "$@"; do
		if [ -d "$p" ]; then
			while IFS= read -r f; do files+=("$f"); done < <(
			    find "$p" -type f \( -name '*.c' -o -name '*.h' \) |
			    LC_ALL=C sort)
		else
			files+=("$p")
		fi
	done
else
	self_test
	for d in "${dirs[@]}"; do
		[ -d "$top/$d" ] || continue
		while IFS= read -r f; do
			generated "$f" || files+=("$f")
		done < <(find "$top/$d" -type f \( -name '*.c' -o -name '*.h' \) |
		    LC_ALL=C sort)
	done
fi

for f in ${files[@]+"${files[@]}"}; do
	check_file "$f"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
