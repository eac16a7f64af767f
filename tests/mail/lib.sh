# Shared by the mail suites (tests/mail/*.test.sh), sourced from the
# repository root after scripts/mail.sh with suite set to the suite's
# name: counting and timing the checks, the commands and the root a
# suite needs, and its temporary folder $tmp dropped at exit.

. tests/checks.sh

# Ends the suite with a failure unless every command is installed and
# this runs as root (Postfix starts only as root).
need() {	# command...
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || {
			fail "$c is missing (scripts/deps)"
			finish
		}
	done
	if [ "$(id -u)" -ne 0 ]; then
		fail "needs root: Postfix starts only as root"
		finish
	fi
}

# Removes $tmp, or keeps it with AIM_MAIL_KEEP=1; for the suite's
# cleanup, which on_exit runs however the suite ends.
drop_tmp() {
	if [ "${AIM_MAIL_KEEP:-0}" = 1 ]; then
		echo "$suite: kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
on_exit() {	# function
	trap "$1" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
