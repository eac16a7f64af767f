#!/usr/bin/env bash
# SQLite I/O errors under the real site: aim-gateway runs behind nginx
# with tests/fault/eio.c preloaded, which makes writes or syncs of the
# database and its WAL fail with EIO while a control file exists (a
# dying disk; SQLite takes its own error paths).  For each kind - every
# write fails, the third write on fails (a WAL half written), the sync
# of a commit fails - submit, correct and cancel on the API and the web
# answer 503 saying nothing was stored, nothing partial is left, no
# worker crashes, and the next requests work.  The last line is
# "N passed, N failed".  usage: tests/fault/ioerror.test.sh
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/fault/lib.sh

need_commands ioerror nginx curl sqlite3 "${CC:-cc}"
need_built ioerror ./aimctl ./aim-gateway

f_tmp=$(mktemp -d /tmp/aim-fault-eio.XXXXXX)
f_var=$f_tmp
f_db=$f_tmp/aim.db
cleanup() {
	inst_down "$f_tmp"
	[ "${AIM_FAULT_KEEP:-0}" = 1 ] && echo "kept $f_tmp" || rm -rf "$f_tmp"
}
trap cleanup EXIT

if ! "${CC:-cc}" -shared -fPIC -O2 -Wall -o "$f_tmp/eio.so" tests/fault/eio.c -ldl \
    2>"$f_tmp/cc.txt"; then
	fail "building tests/fault/eio.c: $(cat "$f_tmp/cc.txt")"
	finish ioerror
fi
# The gateway with the shim: scripts/up knows it by "aim-gateway -f".
cat >"$f_tmp/aim-gateway" <<SH
#!/bin/sh
AIM_FAULT_FILE=$f_tmp/fault AIM_FAULT_MATCH=$f_tmp/aim.db \
LD_PRELOAD=$f_tmp/eio.so exec $top/aim-gateway "\$@"
SH
chmod +x "$f_tmp/aim-gateway"
inst_db "$f_tmp" || { fail "setup: $(tail -n 3 "$f_tmp/log/setup.txt")"; finish ioerror; }
inst_up "$f_tmp" "$f_tmp/aim-gateway" ||
    { fail "start: $(tail -n 5 "$f_tmp/log/up.txt")"; finish ioerror; }
f_url=http://127.0.0.1:$inst_port
echo "ioerror: site at $f_url (data in $f_tmp)"

# The control file, written elsewhere and moved in whole.
arm_write() { echo "write 0" >"$f_tmp/fault.new" && mv "$f_tmp/fault.new" "$f_tmp/fault"; }
arm_write2() { echo "write 2" >"$f_tmp/fault.new" && mv "$f_tmp/fault.new" "$f_tmp/fault"; }
arm_sync() { echo "sync 0" >"$f_tmp/fault.new" && mv "$f_tmp/fault.new" "$f_tmp/fault"; }
disarm() { rm -f "$f_tmp/fault"; }

# The shim itself must be seen to fail writes, or the rounds prove
# nothing: a worker's write error is logged.
fault_round "EIO on every write" arm_write disarm
check "EIO on every write: the gateway logged the I/O error" \
    grep -qE 'input/output error' "$f_tmp/log/aim-gateway.log"
fault_round "EIO from the 3rd write on" arm_write2 disarm
fault_round "EIO on the commit's sync" arm_sync disarm
finish ioerror
