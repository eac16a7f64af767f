#!/usr/bin/env bash
# The outbox sender for real: a private Postfix + Dovecot (scripts/mail.sh)
# on free ports, a temporary database filled through aimctl, and
# `aimctl outbox send` delivering over SMTP with STARTTLS, the pinned
# certificate and AUTH; the mail read back over IMAP.  Postfix stopped
# while mail is queued (deferred, then delivered exactly once), a
# recipient Postfix refuses with 550 (failed + a staff queue item), a
# wrong certificate pin (nothing sent), a wrong password, the rate
# limit on automatic replies.  Each check is one test; failures print
# "FAIL: ..."; the last line is "N passed, N failed".  Needs root
# (Postfix) and a built ./aimctl (AIMCTL=path to use another).
# usage: tests/mail/sender.test.sh     (AIM_MAIL_KEEP=1 keeps the folder)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. scripts/mail.sh
suite="outbox sender"
. tests/mail/lib.sh

aimctl=${AIMCTL:-$top/aimctl}
need dovecot postfix postconf swaks curl openssl sqlite3 python3
[ -x "$aimctl" ] || { fail "no $aimctl: build first (make)"; finish; }

tmp=$(mktemp -d /tmp/aim-sender.XXXXXX) || { fail "mktemp"; finish; }
cleanup() {
	mail_stop "$tmp/mail" >/dev/null 2>&1
	drop_tmp
}
on_exit cleanup
# Dovecot stores mail as nobody, who must reach the folder.
chmod 0711 "$tmp"
# Our own copy: a rebuild meanwhile changes nothing under us.
cp "$aimctl" "$tmp/aimctl" || { fail "cp $aimctl"; finish; }
aimctl=$tmp/aimctl
dir=$tmp/mail
fi_=filer@aim.test
t2=tester2@aim.test
if ! mail_up "$dir" "$t2" >"$tmp/up.txt" 2>&1; then
	fail "mail servers: $(cat "$tmp/up.txt")"
	finish
fi
# Unknown local users are refused at RCPT with 550 (the stock test
# config takes any local part and lets Dovecot bounce it later).
users="aluminum.license steel.license filer tester2"
map=
for u in $users; do
	map+="$u=ok, $u@aim.test=ok, "
done
if ! postconf -c "$dir/postfix" -e "local_recipient_maps = inline:{${map%, }}" ||
    ! postfix -c "$dir/postfix" reload >/dev/null 2>&1; then
	fail "postfix: local_recipient_maps"
	finish
fi
sleep 0.5
out=$(swaks --server "127.0.0.1:$mail_smtp_port" --from a@client.test \
    --to nobody-here@aim.test --quit-after RCPT 2>&1)
check "postfix refuses an unknown user at RCPT with 550" \
    grep -qE '^<\*\* +550 .*nobody-here@aim.test' <<<"$out"

# --- The database and the configuration ----------------------------------
db=$tmp/aim.db
conf=$tmp/aim.conf
head -c 32 /dev/urandom >"$tmp/secret.key" && chmod 0600 "$tmp/secret.key"
mail_password "$dir" aluminum.license@aim.test >"$tmp/smtp.pw"
chmod 0600 "$tmp/smtp.pw"
pin=$(mail_fingerprint "$dir")
write_conf() {	# file pin password-file
	cat >"$1" <<EOF
[database]
path = $db

[gateway]
secret_file = $tmp/secret.key
base_url = https://aim.example

[mail]
domain = aim.test
smtp_host = 127.0.0.1
smtp_port = $mail_smtp_port
smtp_tls = starttls
smtp_pin = $2
smtp_user = aluminum.license@aim.test
smtp_password_file = $3
templates_dir = $top/mail/templates
replies_per_hour = 2
EOF
}
write_conf "$conf" "$pin" "$tmp/smtp.pw"
aim() {
	AIM_CONF=$conf "$aimctl" --db "$db" "$@"
}
send() {	# options... (the output in $tmp/send.txt)
	aim outbox send "$@" >"$tmp/send.txt" 2>"$tmp/send.err"
}
sent_line() {	# expected "sent N, deferred N, failed N, rate-limited N"
	grep -qxF "$1" "$tmp/send.txt" || {
		echo "  got: $(cat "$tmp/send.txt") $(tail -n 3 "$tmp/send.err")"
		return 1
	}
}
"$aimctl" --db "$db" init >/dev/null || { fail "aimctl init"; finish; }
account() {	# email [alt]
	printf 'Passw0rd!x\n' | "$aimctl" --db "$db" account add --email "$1" \
	    ${2:+--alt-email "$2"} --company "Harbor Metals Importing LLC" \
	    --ein 12-3456789 --address "400 Commerce Way, Toledo, OH 43604" \
	    --phone 419-555-0100 --contact "Pat Filer" --password-stdin \
	    >/dev/null
}
check "accounts" bash -c "$(declare -f account); db='$db' aimctl='$aimctl'
    account $fi_ && account nobody-here@aim.test &&
    account $t2 nobody-else@aim.test"

# An application for today: valid, or flagged (a unit value far too low).
python3 - "$tmp" <<'EOF'
import datetime, json, sys
d = datetime.date.today()
f = {"product": "aluminum", "license_type": "standard",
     "entry_type": "consumption", "importer_name": "Harbor Metals Importing LLC",
     "exporter_name": "Coastal Trading Co.", "manufacturer_name": "Nanshan",
     "country_of_origin": "Canada", "country_of_exportation": "Canada",
     "expected_export_date": str(d + datetime.timedelta(days=3)),
     "expected_import_date": str(d + datetime.timedelta(days=10)),
     "port_of_entry": "Long Beach, CA",
     "lines": [{"hts_code": "7601103000", "customs_value_usd": "48250.25",
                "volume_kg": "19500", "country_of_largest_smelt": "Canada",
                "country_of_second_largest_smelt": "not applicable",
                "country_of_most_recent_cast": "Canada"}]}
json.dump(f, open(sys.argv[1] + "/ok.json", "w"))
f["lines"][0]["customs_value_usd"] = "10"
json.dump(f, open(sys.argv[1] + "/flagged.json", "w"))
EOF
submit() {	# account file: prints the license number
	"$aimctl" --db "$db" submit "$2" --account "$1" --json |
	    sed -n 's/.*"license_number": "\([0-9A-Z]*\)".*/\1/p'
}
# The outbox row of a license number: "id state attempts message-id".
row_of() {	# number
	aim outbox --json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["params"].get("license_number") == sys.argv[1]:
        print(r["id"], r["state"], r["attempts"], r["message_id"])
' "$1" | tail -n 1
}
# The messages of INBOX holding text, counted.
count_mail() {	# user text
	imap_fetch_all "$1" 2>/dev/null | grep -cF -- "$2"
}
# One message of USER's INBOX, the first whose Subject has TEXT.
message() {	# user text
	imap_fetch_all "$1" | awk -v t="$2" '
	    /^=== UID /{if (hit) exit; buf=""; next}
	    {buf=buf $0 "\n"} index($0, "Subject:") == 1 && index($0, t){hit=1}
	    END{if (hit) printf "%s", buf}'
}

# --- A license confirmation, delivered -------------------------------------
n1=$(submit "$fi_" "$tmp/ok.json")
check "license $n1 issued, its confirmation queued" \
    test "$(row_of "$n1" | cut -d' ' -f2)" = queued
read -r id1 _ _ mid1 <<<"$(row_of "$n1")"
aim outbox show "$id1" >"$tmp/show.txt" 2>"$tmp/show.err"
check "outbox show prints the message" grep -qx "Message-ID: $mid1" "$tmp/show.txt"
check "outbox show names the envelope" grep -qF "RCPT TO:<$fi_>" "$tmp/show.err"
check "outbox show of a missing row fails" bash -c "! AIM_CONF='$conf' \
    '$aimctl' --db '$db' outbox show 9999 >/dev/null 2>&1"
check "send --once" send --once
check "it says sent 1" sent_line "sent 1, deferred 0, failed 0, rate-limited 0"
check "the row is sent" test "$(row_of "$n1" | cut -d' ' -f2)" = sent
check "the confirmation arrives over IMAP" wait_for_mail "$fi_" \
    "grep -q '^Subject: Aluminum import license $n1 issued'" 15
msg=$(message "$fi_" "$n1")
hdr() {	# name: exact header line wanted
	grep -qxF -- "$1" <<<"$msg"
}
check "From noreply" hdr "From: AIM Licensing <noreply@aim.test>"
check "To the filer" hdr "To: $fi_"
check "Message-ID is the row's" hdr "Message-ID: $mid1"
check "Auto-Submitted: auto-generated" hdr "Auto-Submitted: auto-generated"
check "loop header" hdr "X-AIM-Loop: aim.test"
check "MIME headers" bash -c "grep -qx 'MIME-Version: 1.0' <<<\"\$1\" &&
    grep -qx 'Content-Type: text/plain; charset=utf-8' <<<\"\$1\"" _ "$msg"
check "envelope sender noreply (Return-Path)" hdr "Return-Path: <noreply@aim.test>"
check "a Date header" grep -qE '^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} 20[0-9]{2} ' <<<"$msg"
check "body names the number" grep -qF "License number:  $n1" <<<"$msg"
check "no Reply-To on an issued license" bash -c "! grep -q '^Reply-To:' <<<\"\$1\"" _ "$msg"
check "sent over TLS (Postfix logged it)" \
    grep -qE 'Anonymous TLS connection established from|TLS connection established from' \
    "$dir/log/postfix.log"
check "authenticated (Postfix logged the user)" \
    grep -q 'sasl_username=aluminum.license@aim.test' "$dir/log/postfix.log"
check "a second run sends nothing again" send --once
check "it says sent 0" sent_line "sent 0, deferred 0, failed 0, rate-limited 0"

# --- Action Required: the Reply-To carries a token -------------------------
n2=$(submit "$fi_" "$tmp/flagged.json")
check "flagged license $n2 sent" send
check "action required mail arrives" wait_for_mail "$fi_" \
    "grep -q '^Subject: Action required: Aluminum import license $n2 issued'" 15
msg=$(message "$fi_" "$n2")
check "Reply-To aluminum.license+TOKEN" \
    grep -qE '^Reply-To: aluminum\.license\+[a-z2-7]{40}@aim\.test$' <<<"$msg"
check "body asks for CONFIRM" grep -q 'CONFIRM as the first line' <<<"$msg"

# --- Postfix down: deferred; back up: each delivered exactly once ----------
_mail_stop_postfix "$dir" >/dev/null
n3=$(submit "$fi_" "$tmp/ok.json")
n4=$(submit "$fi_" "$tmp/ok.json")
check "send with Postfix down still exits 0" send --once
check "it says deferred 2" sent_line "sent 0, deferred 2, failed 0, rate-limited 0"
check "the reason is told" grep -q 'Connection refused' "$tmp/send.err"
check "rows stay queued, attempt 1" bash -c "
    test \"\$(cut -d' ' -f2,3 <<<'$(row_of "$n3")')\" = 'queued 1' &&
    test \"\$(cut -d' ' -f2,3 <<<'$(row_of "$n4")')\" = 'queued 1'"
check "the backoff holds them (not due yet)" send --once
check "it says sent 0" sent_line "sent 0, deferred 0, failed 0, rate-limited 0"
check "still attempt 1" test "$(row_of "$n3" | cut -d' ' -f3)" = 1
_mail_start_postfix "$dir" >/dev/null
check "send --retry-now after Postfix is back" send --once --retry-now
check "it says sent 2" sent_line "sent 2, deferred 0, failed 0, rate-limited 0"
check "both arrive" wait_for_mail "$fi_" \
    "awk '/License number:  $n3/{a=1} /License number:  $n4/{b=1}
    END{exit !(a && b)}'" 15
check "a flush sends nothing more" send --retry-now
check "it says sent 0" sent_line "sent 0, deferred 0, failed 0, rate-limited 0"
sleep 1
check "$n3 delivered exactly once" test "$(count_mail "$fi_" "License number:  $n3")" = 1
check "$n4 delivered exactly once" test "$(count_mail "$fi_" "License number:  $n4")" = 1
check "$n1 still exactly once" test "$(count_mail "$fi_" "License number:  $n1")" = 1

# --- 550: failed, staff told ----------------------------------------------
n5=$(submit nobody-here@aim.test "$tmp/ok.json")
check "send to a refused address" send --once
check "it says failed 1" sent_line "sent 0, deferred 0, failed 1, rate-limited 0"
check "the row is failed" test "$(row_of "$n5" | cut -d' ' -f2)" = failed
aim queue list --kind outbound_failure --json >"$tmp/q.json" 2>/dev/null
qid=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]));
a=a if isinstance(a, list) else a.get("items", []); print(a[0]["id"] if a else "")' \
    "$tmp/q.json" 2>/dev/null)
check "a staff queue item for it" test -n "$qid"
aim queue show "$qid" >"$tmp/qshow.txt" 2>&1
check "the item has the server's 550" grep -q '550' "$tmp/qshow.txt"
check "the item names the recipient" grep -q 'nobody-here@aim.test' "$tmp/qshow.txt"
# The alternate refused, the primary fine: sent, staff told.
n6=$(submit "$t2" "$tmp/ok.json")
check "send to a good primary and a refused alternate" send --once
check "it says sent 1" sent_line "sent 1, deferred 0, failed 0, rate-limited 0"
check "the primary gets it" wait_for_mail "$t2" "grep -q 'License number:  $n6'" 15
aim queue list --kind outbound_failure --json >"$tmp/q.json" 2>/dev/null
check "a second staff item, for the alternate" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
a = a if isinstance(a, list) else a.get("items", [])
sys.exit(0 if len(a) == 2 else 1)' "$tmp/q.json"

# --- A wrong pin: refused before anything is said --------------------------
write_conf "$tmp/badpin.conf" "$(printf '%064d' 0)" "$tmp/smtp.pw"
n7=$(submit "$fi_" "$tmp/ok.json")
before=$(grep -c 'sasl_username=' "$dir/log/postfix.log")
AIM_CONF=$tmp/badpin.conf "$aimctl" --db "$db" outbox send --once \
    >"$tmp/send.txt" 2>"$tmp/send.err"
check "a wrong pin defers" sent_line "sent 0, deferred 1, failed 0, rate-limited 0"
check "the reason names the pin" grep -q 'does not match smtp_pin' "$tmp/send.err"
check "no AUTH was tried" test "$(grep -c 'sasl_username=' "$dir/log/postfix.log")" = "$before"
check "the row stays queued" test "$(row_of "$n7" | cut -d' ' -f2)" = queued
sleep 1
check "nothing was delivered" test "$(count_mail "$fi_" "License number:  $n7")" = 0
# A wrong password: refused at AUTH, deferred.
printf 'wrong-password\n' >"$tmp/bad.pw"
write_conf "$tmp/badpw.conf" "$pin" "$tmp/bad.pw"
AIM_CONF=$tmp/badpw.conf "$aimctl" --db "$db" outbox send --once --retry-now \
    >"$tmp/send.txt" 2>"$tmp/send.err"
check "a wrong password defers" sent_line "sent 0, deferred 1, failed 0, rate-limited 0"
check "the reason is AUTH" grep -q 'AUTH as aluminum.license@aim.test' "$tmp/send.err"
check "the right settings send it" send --once --retry-now
check "it says sent 1" sent_line "sent 1, deferred 0, failed 0, rate-limited 0"
check "and it arrives once" wait_for_mail "$fi_" \
    "test \$(grep -c 'License number:  $n7') = 1" 15

# --- Automatic replies: auto-replied, rate limited per recipient -----------
# Rows as the intake writes them (reply_refused), straight into the table.
for i in 1 2 3; do
	sqlite3 "$db" "INSERT INTO outbox (template, to_addr, params, message_id)
	    VALUES ('reply_refused', '$fi_', json_object('reason',
	    'Reply ' || $i || ' refused.' || char(10) || '.' || char(10) ||
	    '..two dots', 'product', 'aluminum', 'in_reply_to',
	    '<filer-$i@client.test>'), '<rl$i.reply_refused@aim.test>')" ||
	    fail "insert reply $i"
done
check "send the replies" send --once
check "two sent, one rate limited" sent_line "sent 2, deferred 0, failed 0, rate-limited 1"
check "the replies arrive" wait_for_mail "$fi_" \
    "grep -q '^Message-ID: <rl2.reply_refused@aim.test>'" 15
sleep 1
check "the third was not delivered" \
    test "$(count_mail "$fi_" 'Message-ID: <rl3.reply_refused@aim.test>')" = 0
msg=$(imap_fetch_all "$fi_" | awk '/^=== UID /{if (hit) exit; buf=""; next}
    {buf=buf $0 "\n"} /^Message-ID: <rl1.reply_refused@aim.test>$/{hit=1}
    END{if (hit) printf "%s", buf}')
check "an automatic reply says auto-replied" hdr "Auto-Submitted: auto-replied"
check "from the licensing mailbox" hdr "From: AIM Licensing <aluminum.license@aim.test>"
check "threaded to the filer's mail" hdr "In-Reply-To: <filer-1@client.test>"
check "a lone dot line survives SMTP" bash -c "grep -qx '.' <<<\"\$1\" &&
    grep -qx '..two dots' <<<\"\$1\"" _ "$msg"
check "the limited row is failed, rate limited" \
    test "$(sqlite3 "$db" "SELECT state || ' ' || last_error FROM outbox
    WHERE message_id = '<rl3.reply_refused@aim.test>'" | cut -c1-19)" = "failed rate limited"
check "no staff item for a rate limit" python3 -c '
import json, subprocess, sys
a = json.loads(subprocess.run(sys.argv[1:], capture_output=True).stdout)
a = a if isinstance(a, list) else a.get("items", [])
sys.exit(0 if len(a) == 2 else 1)' env AIM_CONF="$conf" "$aimctl" --db "$db" \
    queue list --kind outbound_failure --json

if [ "$failed" -ne 0 ]; then
	echo "== postfix log"
	tail -n 20 "$dir/log/postfix.log" 2>/dev/null
fi
finish
