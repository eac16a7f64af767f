# Counting and timing the checks of a shell test suite, sourced from the
# repository root by the mail suites (tests/mail/lib.sh) and the fault
# tests (tests/fault/lib.sh); $suite names the suite in finish.

t0=$EPOCHREALTIME
passed=0
failed=0
pass() {
	passed=$((passed + 1))
	echo "ok: $*"
}
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}
# Milliseconds since a $EPOCHREALTIME.
ms() {	# since
	local now=$EPOCHREALTIME
	echo $(( (${now/./} - ${1/./}) / 1000 ))
}
check() {	# name command...
	local name=$1 t=$EPOCHREALTIME
	shift
	if "$@"; then
		pass "$name ($(ms "$t") ms)"
	else
		fail "$name ($(ms "$t") ms)"
	fi
}
# The count (its last line, which tests/fault/run.sh and scripts/check
# read), and the exit: 0 when all passed.
finish() {	# [suite-name]
	echo "${1:-$suite}: suite took $(ms "$t0") ms"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit
}
