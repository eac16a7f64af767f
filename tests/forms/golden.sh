#!/usr/bin/env bash
# Golden files for `aimctl check-form`, always as of 2026-01-15.
#
#   good/FILE          must exit 0 with "valid": true and "errors": [];
#                      good/FILE.flags, if present, lists fields that must
#                      be flagged (Action Required), else no flag at all.
#   bad/FILE           must exit 1 with every field path listed in
#                      bad/FILE.expect among errors[].field, or exit 2
#                      when FILE.expect says "unreadable".
#
# A few cases too large or too date-bound to keep as files are made here,
# and the command line itself is tried (usage errors, text output).
# Each case is one test; the last line is "N passed, N failed".
# usage: tests/forms/golden.sh        (AIMCTL=path overrides ./aimctl)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
aimctl=${AIMCTL:-${top_builddir:-$top}/aimctl}
as_of=2026-01-15
limit=30	# seconds per run: bad input must not hang

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if ! command -v jq >/dev/null; then
	fail "jq is not installed (scripts/deps installs it)"
	finish
fi
if [ ! -x "$aimctl" ]; then
	fail "no aimctl at $aimctl: build first, or set AIMCTL"
	finish
fi

# Runs aimctl with the arguments given; sets rc, output in $tmp/out and
# $tmp/err.
run() {
	rc=0
	timeout "$limit" "$aimctl" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null ||
	    rc=$?
}

# What went wrong, for a failure line: exit status, then errors as JSON
# says them, or the raw output.
explain() {
	local what=$1
	case $rc in
	124) echo "  $what: timed out after ${limit}s" ;;
	*) echo "  $what: exit $rc" ;;
	esac
	if jq -e . "$tmp/out" >/dev/null 2>&1; then
		jq -r '(.errors // [])[] | "  error \(.field): \(.message)"' \
		    "$tmp/out" 2>/dev/null | head -20
		jq -r '(.flags // [])[] | "  flag \(.field): \(.message)"' \
		    "$tmp/out" 2>/dev/null | head -20
	else
		head -c 1500 "$tmp/out" | sed 's/^/  stdout: /'
	fi
	head -c 1500 "$tmp/err" | sed 's/^/  stderr: /'
}

# Field paths in errors[] (or flags[]) of the last run, one a line.
fields() {
	jq -r --arg k "$1" '.[$k][]?.field' "$tmp/out" 2>/dev/null
}

# Lines of file $1 not found among the fields of kind $2, one a line.
missing() {
	local want f
	while IFS= read -r want || [ -n "$want" ]; do
		[ -n "$want" ] || continue
		f=$(fields "$2")
		grep -qxF -- "$want" <<<"$f" || echo "$want"
	done <"$1"
}

good_case() {	# name file as-of
	local name=$1 file=$2 m
	run check-form --as-of "$3" --json "$file"
	if [ "$rc" -ne 0 ] ||
	    ! jq -e '.valid == true and .errors == [] and
	    (.flags | type) == "array"' "$tmp/out" >/dev/null 2>&1; then
		fail "$name: a good form was not accepted"
		explain "$name"
		return
	fi
	if [ -f "$file.flags" ]; then
		m=$(missing "$file.flags" flags)
		if [ -n "$m" ]; then
			fail "$name: expected flags missing: $(tr '\n' ' ' <<<"$m")"
			explain "$name"
			return
		fi
	elif ! jq -e '.flags == []' "$tmp/out" >/dev/null; then
		fail "$name: unexpected flags (add $name.flags if right)"
		explain "$name"
		return
	fi
	pass
}

bad_case() {	# name file as-of expect-file
	local name=$1 file=$2 expect=$4 m
	run check-form --as-of "$3" --json "$file"
	if [ "$(head -n 1 "$expect")" = unreadable ]; then
		if [ "$rc" -eq 2 ] && { [ -s "$tmp/out" ] || [ -s "$tmp/err" ]; }; then
			pass
		else
			fail "$name: expected exit 2 (unreadable) with a message"
			explain "$name"
		fi
		return
	fi
	if [ "$rc" -ne 1 ] ||
	    ! jq -e '.valid == false and (.errors | length) > 0' \
	    "$tmp/out" >/dev/null 2>&1; then
		fail "$name: expected exit 1 and errors on: $(tr '\n' ' ' <"$expect")"
		explain "$name"
		return
	fi
	m=$(missing "$expect" errors)
	if [ -n "$m" ]; then
		fail "$name: no error on: $(tr '\n' ' ' <<<"$m")"
		explain "$name"
		return
	fi
	pass
}

shopt -s nullglob
for f in "$here"/good/*.json "$here"/good/*.xml "$here"/good/*.pdf; do
	good_case "good/${f##*/}" "$f" "$as_of"
done
for f in "$here"/bad/*.json "$here"/bad/*.xml "$here"/bad/*.pdf; do
	if [ ! -f "$f.expect" ]; then
		fail "bad/${f##*/}: no ${f##*/}.expect beside it"
		continue
	fi
	bad_case "bad/${f##*/}" "$f" "$as_of" "$f.expect"
done

# ---- made here ----
std=$here/good/aluminum-standard.json

# `unknown` smelt: accepted for applications up to 2022-06-28 only.
sed -e 's/"2026-01-30"/"2022-07-01"/' -e 's/"2026-02-27"/"2022-07-20"/' \
    -e '0,/"country_of_largest_smelt": "China"/s//"country_of_largest_smelt": "unknown"/' \
    "$std" >"$tmp/unknown-smelt.json"
good_case "made/unknown-smelt as of 2022-06-28" "$tmp/unknown-smelt.json" \
    2022-06-28
echo 'lines[1].country_of_largest_smelt' >"$tmp/unknown-smelt.expect"
bad_case "made/unknown-smelt as of 2022-06-29" "$tmp/unknown-smelt.json" \
    2022-06-29 "$tmp/unknown-smelt.expect"

# --as-of is honoured: the same form is 88 days early as of 2025-12-01.
echo expected_import_date >"$tmp/early.expect"
bad_case "made/aluminum-standard as of 2025-12-01" "$std" 2025-12-01 \
    "$tmp/early.expect"

# LIM_LINES: 999 product lines are one license, 1000 are not.
many_lines() {	# count
	local i
	printf '{"product": "steel", "license_type": "standard",
 "entry_type": "consumption", "importer_name": "Great Lakes Steel Supply Inc.",
 "exporter_name": "Hyundai Steel Company",
 "manufacturer_name": "Hyundai Steel Company",
 "country_of_origin": "Korea, Republic of",
 "country_of_exportation": "Korea, Republic of",
 "expected_export_date": "2026-01-20", "expected_import_date": "2026-02-18",
 "port_of_entry": "Detroit, MI", "lines": [\n'
	for ((i = 1; i <= $1; i++)); do
		[ "$i" -eq 1 ] || printf ',\n'
		printf '  {"hts_code": "7208100015", "customs_value_usd": "%d.00",' \
		    $((1000 + i))
		printf ' "volume_kg": "1200", "country_of_melt_and_pour": "Japan"}'
	done
	printf '\n]}\n'
}
many_lines 999 >"$tmp/lines-999.json"
good_case "made/999 lines" "$tmp/lines-999.json" "$as_of"
many_lines 1000 >"$tmp/lines-1000.json"
echo lines >"$tmp/lines-1000.expect"
bad_case "made/1000 lines" "$tmp/lines-1000.json" "$as_of" \
    "$tmp/lines-1000.expect"

# LIM_FORM_BYTES: a file over 1 MiB is refused unread.
{
	printf '{"product": "aluminum", "port_of_entry": "'
	head -c 1100000 /dev/zero | tr '\0' x
	printf '"}\n'
} >"$tmp/too-large.json"
echo unreadable >"$tmp/unreadable.expect"
bad_case "made/too-large.json" "$tmp/too-large.json" "$as_of" \
    "$tmp/unreadable.expect"
{
	printf '<license xmlns="urn:aim:license:1"><port_of_entry>'
	head -c 1100000 /dev/zero | tr '\0' x
	printf '</port_of_entry></license>\n'
} >"$tmp/too-large.xml"
bad_case "made/too-large.xml" "$tmp/too-large.xml" "$as_of" \
    "$tmp/unreadable.expect"

# The format is told by content, not by the name.
cp "$here/good/steel-standard.xml" "$tmp/steel-xml.json"
good_case "made/XML named .json" "$tmp/steel-xml.json" "$as_of"
cp "$here/good/steel-standard.json" "$tmp/steel-json.txt"
good_case "made/JSON named .txt" "$tmp/steel-json.txt" "$as_of"

# ---- the command line ----
usage_case() {	# name args...
	local name=$1
	shift
	run "$@"
	if [ "$rc" -eq 2 ] && { [ -s "$tmp/err" ] || [ -s "$tmp/out" ]; }; then
		pass
	else
		fail "cli: $name: expected exit 2 with a message"
		explain "$name"
	fi
}
usage_case "no file" check-form --as-of "$as_of" --json
usage_case "missing file" check-form --as-of "$as_of" --json "$tmp/nonexistent.json"
usage_case "bad --as-of" check-form --as-of 2026-02-30 --json "$std"
usage_case "unknown option" check-form --as-of "$as_of" --frobnicate "$std"

# Without --json the same problems are told as text, each naming its field.
run check-form --as-of "$as_of" "$here/bad/several-errors.json"
if [ "$rc" -eq 1 ] && grep -q expected_import_date "$tmp/out" "$tmp/err" &&
    grep -qF 'lines[2].hts_code' "$tmp/out" "$tmp/err"; then
	pass
else
	fail "cli: text output: expected exit 1 naming expected_import_date and lines[2].hts_code"
	explain "text output"
fi
run check-form --as-of "$as_of" "$std"
if [ "$rc" -eq 0 ]; then
	pass
else
	fail "cli: text output of a good form: expected exit 0"
	explain "text output"
fi

finish
