#!/usr/bin/env bash
# SMTP answers 4xx and 5xx from the real Postfix of scripts/mail.sh,
# told to refuse by its own access rules (postconf + reload): the
# outbox sender (aimctl outbox send, the code aim-maild runs) defers a
# 421 (closing) and a 450 at RCPT (the row stays queued, its attempt
# counted, the reply kept), delivers once Postfix takes mail again, and
# fails a 554 at DATA for good with a staff item.  (Postfix stopped, a
# 550 at RCPT, a wrong pin or password, and IMAP dropped mid-FETCH and
# mid-IDLE are in tests/mail/sender.test.sh and e2e.test.sh.)  Needs
# root.  The last line is "N passed, N failed".
# usage: tests/fault/smtp.test.sh
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/fault/lib.sh
. scripts/mail.sh

need_commands smtp dovecot postfix postconf swaks sqlite3 python3
[ "$(id -u)" = 0 ] || { fail "needs root: Postfix starts only as root"; finish smtp; }
need_built smtp ./aimctl

f_tmp=$(mktemp -d /tmp/aim-fault-smtp.XXXXXX)
chmod 0711 "$f_tmp"	# Dovecot stores mail as nobody
dir=$f_tmp/mail
cleanup() {
	mail_stop "$dir" >/dev/null 2>&1
	[ "${AIM_FAULT_KEEP:-0}" = 1 ] && echo "kept $f_tmp" || rm -rf "$f_tmp"
}
trap cleanup EXIT
# A free port can be taken by another program between the choice and
# the start: then once more, on other ports.
if ! mail_up "$dir" >"$f_tmp/up.txt" 2>&1; then
	mail_stop "$dir" >/dev/null 2>&1
	rm -rf "$dir"
	mail_up "$dir" >"$f_tmp/up.txt" 2>&1 ||
	    { fail "mail servers: $(tail -n 5 "$f_tmp/up.txt")"; finish smtp; }
fi

f_db=$f_tmp/aim.db
conf=$f_tmp/aim.conf
head -c 32 /dev/urandom >"$f_tmp/secret.key" && chmod 0600 "$f_tmp/secret.key"
(umask 077 && mail_password "$dir" aluminum.license@aim.test >"$f_tmp/smtp.pw")
cat >"$conf" <<CONF
[database]
path = $f_db
[gateway]
secret_file = $f_tmp/secret.key
[mail]
domain = aim.test
smtp_host = 127.0.0.1
smtp_port = $mail_smtp_port
smtp_tls = starttls
smtp_pin = $(mail_fingerprint "$dir")
smtp_user = aluminum.license@aim.test
smtp_password_file = $f_tmp/smtp.pw
templates_dir = $top/mail/templates
CONF
./aimctl --db "$f_db" init >/dev/null
printf 'Passw0rd!x\n' | ./aimctl --db "$f_db" account add --email filer@aim.test \
    --company "Web Test Metals LLC" --ein 12-3456789 \
    --address "400 Commerce Way, Toledo, OH 43604" --phone 419-555-0100 \
    --contact "Pat Filer" --password-stdin >/dev/null
form_json "Web Test Metals LLC" 25000.00 >"$f_tmp/ok.json"
submit() {
	./aimctl --db "$f_db" submit "$f_tmp/ok.json" --account filer@aim.test --json |
	    sed -n 's/.*"license_number": "\([0-9A-Z]*\)".*/\1/p'
}
send() {	# options...
	AIM_CONF=$conf ./aimctl --db "$f_db" outbox send --once "$@" \
	    >"$f_tmp/send.txt" 2>"$f_tmp/send.err"
}
said() {	# "sent N, deferred N, failed N, rate-limited N"
	grep -qxF "$1" "$f_tmp/send.txt" ||
	    { echo "  got: $(cat "$f_tmp/send.txt") $(tail -n 2 "$f_tmp/send.err")"; return 1; }
}
# "state attempts" of the confirmation of license N, and its last error.
row() { sql "SELECT state || ' ' || attempts FROM outbox o JOIN license l
    ON l.id = o.license_id WHERE l.number = '$1'"; }
row_error() { sql "SELECT last_error FROM outbox o JOIN license l
    ON l.id = o.license_id WHERE l.number = '$1'"; }
# Postfix with one restriction list set to RULE (empty: none).
postfix_rule() {	# parameter rule
	postconf -c "$dir/postfix" -e "$1 = $2" &&
	    postfix -c "$dir/postfix" reload >/dev/null 2>&1 && sleep 1
}
delivered() {	# number: how many confirmations of it reached the filer
	imap_fetch_all filer@aim.test 2>/dev/null | grep -cF "License number:  $1"
}

# 421: the server will not talk now and closes (Postfix says it at
# RCPT, where it weighs client restrictions).
n1=$(submit)
check "a license, its confirmation queued" test "$(row "$n1")" = "queued 0"
postfix_rule smtpd_client_restrictions \
    'check_client_access inline:{{127.0.0.1 = 421 4.7.0 try again later}}'
check "421 (closing): send exits 0" send
check "421 (closing): deferred" said "sent 0, deferred 1, failed 0, rate-limited 0"
check "421 (closing): the row stays queued, attempt 1" test "$(row "$n1")" = "queued 1"
check "421 (closing): the reply is kept" grep -q '421' <<<"$(row_error "$n1")"
postfix_rule smtpd_client_restrictions ''

# 450 at RCPT: the mailbox cannot take it now.
postfix_rule smtpd_recipient_restrictions \
    'check_recipient_access inline:{{filer@aim.test = 450 4.2.1 mailbox busy}}'
check "450 at RCPT: send --retry-now exits 0" send --retry-now
check "450 at RCPT: deferred" said "sent 0, deferred 1, failed 0, rate-limited 0"
check "450 at RCPT: the row stays queued, attempt 2" test "$(row "$n1")" = "queued 2"
check "450 at RCPT: the reply is kept" grep -q '450' <<<"$(row_error "$n1")"
check "450 at RCPT: nothing delivered" test "$(delivered "$n1")" = 0
postfix_rule smtpd_recipient_restrictions ''

check "then: send --retry-now delivers it" send --retry-now
check "then: sent 1" said "sent 1, deferred 0, failed 0, rate-limited 0"
check "then: the row is sent" test "$(row "$n1" | cut -d' ' -f1)" = sent
arrives_once() {	# number
	for _ in $(seq 50); do
		[ "$(delivered "$1")" = 1 ] && return 0
		sleep 0.2
	done
	return 1
}
check "then: it arrives exactly once" arrives_once "$n1"

# 554 at DATA: refused for good.
n2=$(submit)
postfix_rule smtpd_data_restrictions \
    'check_client_access inline:{{127.0.0.1 = 554 5.7.1 refused by policy}}'
check "554 at DATA: send exits 0" send
check "554 at DATA: failed" said "sent 0, deferred 0, failed 1, rate-limited 0"
check "554 at DATA: the row is failed" test "$(row "$n2" | cut -d' ' -f1)" = failed
check "554 at DATA: staff have an item with the reply" test "$(sql "SELECT count(*)
    FROM queue_item WHERE kind = 'outbound_failure'")" = 1
postfix_rule smtpd_data_restrictions ''
check "554 at DATA: a later send does not try it again" send --retry-now
check "554 at DATA: sent 0" said "sent 0, deferred 0, failed 0, rate-limited 0"
finish smtp
