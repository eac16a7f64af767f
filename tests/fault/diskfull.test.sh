#!/usr/bin/env bash
# A full disk under the real site: the database lives on a small tmpfs
# of its own (mounted here; needs root), which a filler file fills to
# the last block after the WAL is checkpointed and truncated, so the
# next write transaction has nowhere to go.  Submit, correct and cancel
# on the API and the web answer 503 saying nothing was stored, nothing
# partial is left, no worker crashes, reading still works, and once the
# filler is gone the next requests work.  A second round fills the disk
# while licenses are being filed: every answer is 201 or 503, and every
# 201 is in the database.  The last line is "N passed, N failed".
# usage: tests/fault/diskfull.test.sh
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/fault/lib.sh

need_commands diskfull nginx curl sqlite3 mount umount
need_built diskfull ./aimctl ./aim-gateway
[ "$(id -u)" = 0 ] || { fail "needs root (mount -t tmpfs)"; finish diskfull; }

f_tmp=$(mktemp -d /tmp/aim-fault-full.XXXXXX)
f_var=$f_tmp
fs=$f_tmp/fs
mounted=no
cleanup() {
	inst_down "$f_tmp"
	[ "$mounted" = no ] || umount "$fs" 2>/dev/null || umount -l "$fs"
	[ "${AIM_FAULT_KEEP:-0}" = 1 ] && echo "kept $f_tmp" || rm -rf "$f_tmp"
}
trap cleanup EXIT

# The database on its own 16 MB file system, reached by a symbolic link
# (SQLite puts the WAL and shared memory beside the real file).
mkdir -p "$fs"
if ! mount -t tmpfs -o size=16m,mode=0755 aim-fault "$fs" 2>"$f_tmp/mount.txt"; then
	fail "mount -t tmpfs: $(cat "$f_tmp/mount.txt")"
	finish diskfull
fi
mounted=yes
mkdir -p "$f_tmp/log"
inst_db "$f_tmp" || { fail "setup: $(tail -n 3 "$f_tmp/log/setup.txt")"; finish diskfull; }
mv "$f_tmp/aim.db" "$fs/aim.db" && ln -s "$fs/aim.db" "$f_tmp/aim.db"
f_db=$fs/aim.db
inst_up "$f_tmp" "$top/aim-gateway" ||
    { fail "start: $(tail -n 5 "$f_tmp/log/up.txt")"; finish diskfull; }
f_url=http://127.0.0.1:$inst_port
echo "diskfull: site at $f_url (database on tmpfs $fs)"

# Full: the WAL emptied (the workers hold no read transaction between
# requests), then a filler takes every free block, big ones first.
fill() {
	local out
	out=$(sqlite3 -cmd '.timeout 5000' "$f_db" 'PRAGMA wal_checkpoint(TRUNCATE)')
	[ "${out%%|*}" = 0 ] || echo "diskfull: checkpoint busy ($out)"
	dd if=/dev/zero of="$fs/filler" bs=1M status=none 2>/dev/null
	dd if=/dev/zero of="$fs/filler2" bs=4k status=none 2>/dev/null
	sync
	echo "diskfull: filled: $(df -k --output=avail "$fs" | tail -n 1 | tr -d ' ') kB free"
}
unfill() { rm -f "$fs/filler" "$fs/filler2"; }

fault_round "disk full" fill unfill
check "disk full: the gateway logged it" \
    grep -qE 'disk is full|database or disk is full' "$f_tmp/log/aim-gateway.log"

# Reading needs no space: while full, the license list still answers.
fill
check "disk full: reading still works (GET /api/v1/licenses)" \
    test "$(api GET /api/v1/licenses)" = 200
check "disk full: the license check still works" test "$(curl -s -o /dev/null \
    -w '%{http_code}' "$f_url/api/v1/license-check?number=AAAAAAAAA&importer=x&import_date=$(day 20)")" = 200
unfill

# Filling up under load: four filers file without pause while the
# disk fills and is freed again; every answer is a 201 or a 503, and
# each acknowledged license is whole in the database.
rm -f "$f_tmp/stop" "$f_tmp"/answers.*
n0=$(sql "SELECT count(*) FROM license")
pids=()
for i in 1 2 3 4; do
	file_load "$i" 150 2000 &
	pids+=($!)
done
sleep 1
# The WAL is not truncated under load: fill what is left, and let it
# stay full until writes have failed for a while.
dd if=/dev/zero of="$fs/filler" bs=4k status=none 2>/dev/null
sleep 2
unfill
sleep 1
touch "$f_tmp/stop"
wait "${pids[@]}"
cat "$f_tmp"/answers.* >"$f_tmp/answers"
total=$(wc -l <"$f_tmp/answers")
n201=$(grep -c '^201 [0-9A-Z]\{9\}$' "$f_tmp/answers")
n503=$(grep -c '^503 ' "$f_tmp/answers")
echo "diskfull: under load: $total answers, $n201 x 201, $n503 x 503"
check "under load: every answer a 201 with a number or a 503" \
    test "$((n201 + n503))" = "$total"
check "under load: some filings met the full disk (503)" test "$n503" -gt 0
check "under load: some filings got through (201)" test "$n201" -gt 0
awk '$1 == 201 {print $2}' "$f_tmp/answers" | sort >"$f_tmp/acked"
sql "SELECT number FROM license" | sort >"$f_tmp/stored"
check "under load: every acknowledged license is stored" \
    test -z "$(comm -23 "$f_tmp/acked" "$f_tmp/stored")"
check "under load: no number acknowledged twice" \
    test -z "$(uniq -d "$f_tmp/acked")"
check "under load: exactly the acknowledged licenses were added" \
    test "$(sql "SELECT count(*) FROM license")" = "$((n0 + n201))"
check "under load: no partial license" test -z "$(partial)"
# Space again: the next filing works at once.  (With the WAL allowed
# to reach 16 MB before a checkpoint it filled all the space freed and
# could never be reset: every filing failed from then on.)
files_again() {
	local st
	st=$(api POST /api/v1/licenses "$(form_json "Web Test Metals LLC" 3000.00)")
	[ "$st" = 201 ] && return 0
	echo "diskfull: then: $st $(head -c 200 "$f_tmp/body")"
	tail -n 4 "$f_tmp/log/aim-gateway.log" | sed 's/^/diskfull:   /'
	echo "diskfull: free: $(df -k --output=avail "$fs" | tail -n 1) kB;" \
	    "$(ls -l "$fs" | tr '\n' ' ')"
	return 1
}
check "under load: then a filing works" files_again
finish diskfull
