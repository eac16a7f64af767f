#!/usr/bin/env bash
# The mail gateway end to end: the real aim-maild against the private
# Dovecot and Postfix of scripts/mail.sh on free loopback ports, mail
# sent with swaks and read back over IMAP.  Emailed PDF and XML forms
# become queue items and, once approved, licenses whose confirmation
# reaches the filer; a form with errors is corrected by reply; replies
# to Action Required confirm or correct a license only from the right
# sender with a good token, else go to staff; bounces and auto-replies
# are never answered and a loop with an auto-responder stops; kill -9
# while 200 messages arrive loses and doubles nothing, nor kill -9 of
# parser workers and of aim-maild while 300 forms landed at once are
# fetched, read, stored and moved at the same time; a dropped IMAP
# connection (mid-FETCH, mid-IDLE) is survived.  Each check is one
# test; failures print "FAIL: ..."; the last line is "N passed, N
# failed".  Needs root (Postfix), scripts/deps and a build.
# usage: tests/mail/e2e.test.sh    (AIM_MAIL_KEEP=1 keeps the folder;
#        AIM_MAILD=path and AIMCTL=path override the programs)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. scripts/mail.sh
suite="mail e2e"
. tests/mail/lib.sh

maild=${AIM_MAILD:-$top/aim-maild}
aimctl=${AIMCTL:-$top/aimctl}
# Runs command until it succeeds, for at most seconds (times
# AIM_TEST_TIME_SCALE: scripts/check --valgrind runs the daemon slower).
until_ok() {	# seconds command...
	local end=$((SECONDS + $1 * ${AIM_TEST_TIME_SCALE:-1}))
	shift
	until "$@" 2>/dev/null; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# Whether command prints want (ge: a number at least want); for
# until_ok, which runs the command anew each time.
eq() {	# want command...
	local want=$1
	shift
	[ "$("$@")" = "$want" ]
}
ge() {	# want command...
	local want=$1 got
	shift
	got=$("$@") && [ -n "$got" ] && [ "$got" -ge "$want" ]
}

# After kill -9s: the aluminum INBOX drains within SECONDS, and each of
# the N messages whose subject begins with PREFIX is stored once.
drained_once() {	# label prefix n seconds
	check "$1: INBOX drained after the last restart" until_ok "$4" bash -c "
	    . scripts/mail.sh; mail_load '$tmp/mail'
	    [ -z \"\$(imap_uids '$al')\" ]"
	check "$1: every message stored exactly once" test "$(sql "SELECT
	    count(*) || ' ' || count(DISTINCT subject) || ' ' ||
	    count(DISTINCT message_id) FROM mail_message WHERE
	    subject LIKE '$2 %'")" = "$3 $3 $3"
}

need dovecot postfix swaks curl openssl sqlite3 pdftk
for p in "$maild" "$aimctl"; do
	[ -x "$p" ] || { fail "$p is not built (make)"; finish; }
done

tmp=$(mktemp -d /tmp/aim-e2e.XXXXXX) || { fail "mktemp"; finish; }
chmod 0711 "$tmp"
# The programs as built now: a rebuild meanwhile does not disturb us.
mkdir -p "$tmp/bin" && cp "$maild" "$tmp/bin/aim-maild" &&
    cp "$aimctl" "$tmp/bin/aimctl" || { fail "copying the programs"; finish; }
maild=$tmp/bin/aim-maild
aimctl=$tmp/bin/aimctl
maild_pid=
responder_pid=
cleanup() {
	[ -z "$responder_pid" ] || kill "$responder_pid" 2>/dev/null
	if [ -n "$maild_pid" ]; then
		kill "$maild_pid" 2>/dev/null
		wait "$maild_pid" 2>/dev/null
	fi
	mail_stop "$tmp/mail" >/dev/null 2>&1
	drop_tmp
}
on_exit cleanup

al=aluminum.license@aim.test st=steel.license@aim.test fi=filer@aim.test
alt=alt@aim.test other=other@aim.test robot=robot@aim.test
if ! mail_up "$tmp/mail" "$alt" "$other" "$robot" >"$tmp/up.txt" 2>&1; then
	fail "mail servers: $(tail -n 5 "$tmp/up.txt")"
	finish
fi
pin=$(mail_fingerprint "$tmp/mail")
mail_password "$tmp/mail" "$al" >"$tmp/al.pw"
mail_password "$tmp/mail" "$st" >"$tmp/st.pw"
chmod 0600 "$tmp/al.pw" "$tmp/st.pw"

db=$tmp/aim.db
conf=$tmp/aim.conf
write_conf() {	# extra [mail] lines...
	{
		cat <<EOF
[database]
path = $db
[gateway]
secret_file = $tmp/secret.key
base_url = http://127.0.0.1:8080
[mail]
domain = aim.test
imap_host = 127.0.0.1
imap_port = $mail_imap_port
imap_tls = starttls
imap_pin = $pin
aluminum_password_file = $tmp/al.pw
steel_password_file = $tmp/st.pw
smtp_host = 127.0.0.1
smtp_port = $mail_smtp_port
smtp_tls = starttls
smtp_pin = $pin
authserv_id = mail.aim.test
templates_dir = $top/mail/templates
poll_seconds = 5
replies_per_hour = 50
max_attempts = 2
sandbox_cpu_seconds = $((3 * ${AIM_TEST_TIME_SCALE:-1}))
EOF
		printf '%s\n' "$@"
	} >"$conf"
}
write_conf
ctl() {
	"$aimctl" --db "$db" "$@"
}
sql() {
	sqlite3 -cmd '.timeout 5000' "$db" "$@"
}
ctl init >"$tmp/init.txt" 2>&1 || { fail "aimctl init: $(cat "$tmp/init.txt")"; finish; }
printf 'Filer-Passw0rd!\n' | ctl account add --email "$fi" --alt-email "$alt" \
    --company "Harbor Metals Importing LLC" --ein 12-3456789 \
    --address "1200 Harbor Blvd, Long Beach, CA 90802" \
    --phone "562-555-0134" --contact "Dana Ortiz" --password-stdin \
    >"$tmp/acct.txt" 2>&1 || { fail "account: $(cat "$tmp/acct.txt")"; finish; }

# --- aim-maild -n ------------------------------------------------------
out=$(AIM_CONF=$conf "$maild" -n 2>&1)
check "-n: the configuration is OK" grep -q 'configuration OK' <<<"$out"
check "-n made no secret" test ! -e "$tmp/secret.key"
sed -i "s|^aluminum_password_file = .*|aluminum_password_file = $tmp/nothing.pw|" \
    "$conf"
out=$("$maild" -n -f "$conf" 2>&1)
check "-n: an unreadable password file is refused" \
    grep -q "aluminum_password_file: $tmp/nothing.pw" <<<"$out"
write_conf
sed -i "s/^imap_pin = .*/imap_pin = 12ab/" "$conf"
out=$("$maild" -n -f "$conf" 2>&1)
check "-n: a malformed pin is refused" grep -q 'imap_pin' <<<"$out"
write_conf
sed -i "s/^imap_host = .*/imap_host = 192.0.2.1/; s/^imap_pin = .*//" "$conf"
out=$("$maild" -n -f "$conf" 2>&1)
check "-n: no pin to a host that is not loopback is refused" \
    grep -q 'not a loopback' <<<"$out"
write_conf

# --- forms, with dates around today -------------------------------------
today=$(date -u +%F)
export_day=$(date -u -d '+10 days' +%F)
import_day=$(date -u -d '+30 days' +%F)
xfdf() {
	local name value
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">\n<fields>\n'
	while IFS=$'\t' read -r name value; do
		printf '<field name="%s"><value>%s</value></field>\n' "$name" "$value"
	done
	printf '</fields>\n</xfdf>\n'
}
# The aluminum form's values; $1 replaces line 1's HTS code.
al_values() {	# [hts]
	cat <<V
filer_company_name	Harbor Metals Importing LLC
filer_address	1200 Harbor Blvd, Long Beach, CA 90802
filer_contact_name	Dana Ortiz
filer_phone	562-555-0134
filer_email	$fi
license_type	standard
entry_type	consumption
importer_name	Harbor Metals Importing LLC
exporter_name	Shandong Coastal Trading Co., Ltd.
manufacturer_name	Shandong Nanshan Aluminium Co., Ltd.
country_of_origin	China
country_of_exportation	China
expected_export_date	$export_day
expected_import_date	$import_day
port_of_entry	Long Beach, CA
line.1.hts_code	${1:-7601103000}
line.1.customs_value_usd	48250.25
line.1.volume_kg	19500
line.1.country_of_largest_smelt	China
line.1.country_of_second_largest_smelt	Canada
line.1.country_of_most_recent_cast	China
certify	Yes
V
}
ctl form pdf --product aluminum >"$tmp/blank.pdf" 2>"$tmp/err" ||
    { fail "aimctl form pdf: $(cat "$tmp/err")"; finish; }
al_values | xfdf >"$tmp/good.xfdf"
al_values 7208100015 | xfdf >"$tmp/bad.xfdf"
pdftk "$tmp/blank.pdf" fill_form "$tmp/good.xfdf" output "$tmp/good.pdf" &&
    pdftk "$tmp/blank.pdf" fill_form "$tmp/bad.xfdf" output "$tmp/bad.pdf" ||
    { fail "pdftk could not fill the form"; finish; }
sed -e "s/2026-01-20/$export_day/; s/2026-02-18/$import_day/" \
    -e "s/<expected_export_date>[^<]*</<expected_export_date>$export_day</" \
    -e "s/<expected_import_date>[^<]*</<expected_import_date>$import_day</" \
    tests/forms/good/steel-standard.xml >"$tmp/steel.xml"
check "the filled PDF reads as a valid form" \
    ctl check-form "$tmp/good.pdf"

# --- start ---------------------------------------------------------------
start_maild() {
	AIM_CONF=$conf "$maild" >>"$tmp/maild.log" 2>&1 &
	maild_pid=$!
}
stop_maild() {	# [signal]
	[ -n "$maild_pid" ] || return 0
	kill "-${1:-TERM}" "$maild_pid" 2>/dev/null
	wait "$maild_pid" 2>/dev/null
	maild_pid=
}
start_maild
check "aim-maild watches both mailboxes" until_ok 10 \
    grep -q 'steel: watching' "$tmp/maild.log"
check "aim-maild watches the aluminum mailbox" until_ok 10 \
    grep -q 'aluminum: watching' "$tmp/maild.log"
check "it made Processed and Quarantine" bash -c "
    . scripts/mail.sh; mail_load '$tmp/mail'
    imap_cmd '$al' 'LIST \"\" \"*\"' | grep -q Quarantine"

# Counts for the checks below.
queue_json() {
	ctl queue list --json 2>/dev/null
}
# The newest queue item of a kind from a sender: "id valid nerrors".
item_of() {	# kind sender
	sql "SELECT id, valid, nerrors FROM queue_item WHERE kind = '$1' AND
	    sender = '$2' ORDER BY id DESC LIMIT 1;" | tr '|' ' '
}
inbox_empty() {	# user
	[ -z "$(imap_uids "$1" INBOX)" ]
}
# Messages of user's INBOX whose text matches a grep -E pattern.
mail_count() {	# user pattern
	imap_fetch_all "$1" 2>/dev/null | grep -cE "$2" || true
}

# --- a PDF form by email ---------------------------------------------
MAIL_FROM=$fi send_mail --to "$al" \
    --header "Subject: Aluminum License Application" \
    --body "Our web access is down; the form is attached." \
    --attach-type application/pdf --attach-name form.pdf \
    --attach "@$tmp/good.pdf" || fail "swaks could not send the PDF"
check "PDF form: a submission item, valid" until_ok 15 bash -c \
    "[ \"\$(sqlite3 -cmd '.timeout 5000' '$db' \"SELECT valid FROM queue_item
    WHERE kind = 'submission' AND sender = '$fi'\")\" = 1 ]"
read -r pdf_item _ <<<"$(item_of submission "$fi")"
check "PDF form: listed by aimctl queue list" \
    bash -c "'$aimctl' --db '$db' queue list --json | grep -q '\"id\": *$pdf_item\\b'"
check "PDF form: the message moved to Processed" until_ok 10 bash -c "
    . scripts/mail.sh; mail_load '$tmp/mail'
    [ -n \"\$(imap_uids '$al' Processed)\" ] && [ -z \"\$(imap_uids '$al')\" ]"
check "PDF form: acknowledgement with the reference reaches the filer" \
    wait_for_mail "$fi" "grep -q '^Subject: Emailed license application received, reference EF-'" 15
check "PDF form: the acknowledgement says it is no license number" \
    wait_for_mail "$fi" "grep -qi 'not a license number'" 2
ctl queue approve "$pdf_item" >"$tmp/approve.txt" 2>&1
check "PDF form: aimctl queue approve issues a license" \
    grep -qE '[0-9A-Z]{9}' "$tmp/approve.txt"
pdf_license=$(grep -oE '\b[0-9A-HJKMNP-TV-Z]{9}\b' "$tmp/approve.txt" | head -n 1)
[ -n "$pdf_license" ] || pdf_license=NO-LICENSE
check "PDF form: the confirmation with the license number arrives" \
    wait_for_mail "$fi" "grep -q '^Subject: .*$pdf_license issued'" 15
check "PDF form: ... and to the alternate email" \
    wait_for_mail "$alt" "grep -q '^Subject: .*$pdf_license issued'" 5

# Header of the newest message of user's mailbox whose Subject matches
# an awk regex ("" if none).
header_of() {	# user subject-regex header [mailbox]
	imap_fetch_all "$1" "${4:-INBOX}" 2>/dev/null | awk -v re="$2" \
	    -v h="$3" '
	    /^=== UID /{inh=1; subj=""; val=""; next}
	    inh && /^$/{inh=0; if (subj ~ re) last=val; next}
	    inh && tolower($0) ~ "^" tolower(h) ":" {
		v=$0; sub(/^[^:]*: */, "", v); val=v }
	    inh && /^Subject:/{subj=$0}
	    END{print last}'
}
# The whole newest message of user's mailbox whose Subject matches.
message_of() {	# user subject-regex [mailbox]
	imap_fetch_all "$1" "${3:-INBOX}" 2>/dev/null | awk -v re="$2" '
	    /^=== UID /{if (hit) last=buf; buf=""; hit=0; inh=1; next}
	    {buf=buf $0 "\n"}
	    inh && /^$/{inh=0}
	    inh && /^Subject:/ && $0 ~ re {hit=1}
	    END{if (hit) last=buf; printf "%s", last}'
}
hex2bin() {
	local h
	h=$(cat)
	printf "$(printf '%s' "$h" | sed 's/../\\x&/g')"
}

# --- an XML form, to the steel mailbox ------------------------------------
MAIL_FROM=$fi send_mail --to "$st" --header "Subject: Steel License Application" \
    --body "XML form attached." --attach-type text/xml \
    --attach-name steel.xml --attach "@$tmp/steel.xml" ||
    fail "swaks could not send the XML"
check "XML form: a steel submission item, valid" until_ok 15 bash -c \
    "[ \"\$(sqlite3 -cmd '.timeout 5000' '$db' \"SELECT valid FROM queue_item
    WHERE kind = 'submission' AND product = 'steel' AND sender = '$fi'\")\" = 1 ]"
xml_item=$(sql "SELECT id FROM queue_item WHERE kind = 'submission' AND
    product = 'steel'")
ctl queue approve "$xml_item" >"$tmp/approve2.txt" 2>&1
xml_license=$(grep -oE '\b[0-9A-HJKMNP-TV-Z]{9}\b' "$tmp/approve2.txt" | head -n 1)
check "XML form: approved into a license" test -n "$xml_license"
[ -n "$xml_license" ] || xml_license=NO-LICENSE
check "XML form: the confirmation with the license number arrives" \
    wait_for_mail "$fi" "grep -q '^Subject: Steel .*$xml_license issued'" 15
check "XML form: the steel message moved to Processed" until_ok 5 bash -c "
    . scripts/mail.sh; mail_load '$tmp/mail'
    [ -n \"\$(imap_uids '$st' Processed)\" ] && [ -z \"\$(imap_uids '$st')\" ]"

# --- a form with errors, corrected by reply -----------------------------
MAIL_FROM=$fi send_mail --to "$al" --header "Subject: Aluminum License Application (2)" \
    --body "Second shipment." --attach-type application/pdf \
    --attach-name form2.pdf --attach "@$tmp/bad.pdf" ||
    fail "swaks could not send the bad PDF"
check "errors: a submission item, not valid" until_ok 15 bash -c \
    "[ \"\$(sqlite3 -cmd '.timeout 5000' '$db' \"SELECT count(*) FROM queue_item
    WHERE kind = 'submission' AND valid = 0 AND nerrors > 0\")\" = 1 ]"
bad_item=$(sql "SELECT id FROM queue_item WHERE kind = 'submission' AND valid = 0")
bad_ref=$(sql "SELECT reference FROM queue_item WHERE id = $bad_item")
check "errors: the acknowledgement lists them" wait_for_mail "$fi" \
    "sed -n '/The form has errors/,/To correct them/p' |
    grep -q 'Product line 1, HTS code: 7208100015 is a steel code'" 15
reply_to=$(header_of "$fi" "reference $bad_ref" Reply-To)
check "errors: the acknowledgement has a reply address with a token" \
    grep -qE '^aluminum\.license\+[a-z2-7]{40}@aim\.test$' <<<"$reply_to"
nsub=$(sql "SELECT count(*) FROM queue_item WHERE kind = 'submission'")
MAIL_FROM=$fi send_mail --to "$reply_to" \
    --header "Subject: Re: Emailed license application received, reference $bad_ref" \
    --body "Corrected form attached." --attach-type application/pdf \
    --attach-name form2-fixed.pdf --attach "@$tmp/good.pdf" ||
    fail "swaks could not send the correction"
check "errors: the reply with the corrected form makes the same item valid" \
    until_ok 15 bash -c "[ \"\$(sqlite3 -cmd '.timeout 5000' '$db' \"SELECT valid
    FROM queue_item WHERE id = $bad_item\")\" = 1 ]"
check "errors: no new queue item" test \
    "$(sql "SELECT count(*) FROM queue_item WHERE kind = 'submission'")" = "$nsub"
check "errors: the correction is acknowledged" wait_for_mail "$fi" \
    "grep -q '^Subject: Corrected form received, reference $bad_ref'" 15

# --- Action Required by reply -------------------------------------------
# A license flagged for its unit value ($10,000 per kg).
cat >"$tmp/flagged.json" <<EOF
{"product": "aluminum", "license_type": "standard",
 "entry_type": "consumption", "importer_name": "Harbor Metals Importing LLC",
 "exporter_name": "Shandong Coastal Trading Co., Ltd.",
 "manufacturer_name": "Shandong Nanshan Aluminium Co., Ltd.",
 "country_of_origin": "China", "country_of_exportation": "China",
 "expected_export_date": "$export_day", "expected_import_date": "$import_day",
 "port_of_entry": "Long Beach, CA",
 "lines": [{"hts_code": "7601103000", "customs_value_usd": 100000,
  "volume_kg": 10, "country_of_largest_smelt": "China",
  "country_of_second_largest_smelt": "Canada",
  "country_of_most_recent_cast": "China"}]}
EOF
new_flagged() {
	ctl submit "$tmp/flagged.json" --account "$fi" --json 2>/dev/null |
	    grep -oE '"license_number": *"[0-9A-Z]{9}"' | grep -oE '[0-9A-Z]{9}'
}
status_of() {	# number
	sql "SELECT status FROM license WHERE number = '$1'"
}
l1=$(new_flagged)
check "Action Required: a flagged license" \
    test -n "$l1" -a "$(status_of "$l1")" = action_required
check "Action Required: its email reaches the filer" wait_for_mail "$fi" \
    "grep -q '^Subject: Action required: .*$l1 issued'" 15
ar_to=$(header_of "$fi" "$l1 issued" Reply-To)
check "Action Required: the email has a reply address with a token" \
    grep -qE '^aluminum\.license\+[a-z2-7]{40}@aim\.test$' <<<"$ar_to"
ncorr() {	# sender
	sql "SELECT count(*) FROM queue_item WHERE kind = 'correspondence' AND
	    sender = '$1'"
}
note_of_last() {	# sender
	sql "SELECT note FROM queue_item WHERE kind = 'correspondence' AND
	    sender = '$1' ORDER BY id DESC LIMIT 1"
}
confirm_from() {	# from to [swaks args...]
	local from=$1 to=$2
	shift 2
	MAIL_FROM=$from send_mail --to "$to" --header "Subject: Re: Action required" \
	    --body $'CONFIRM\n\nOn Monday AIM Licensing wrote:\n> Action required' "$@"
}

# Another sender, with the filer's reply address: staff.
confirm_from "$other" "$ar_to"
check "another sender: goes to staff as correspondence" until_ok 15 \
    eq 1 ncorr "$other"
check "another sender: the reason is recorded" \
    grep -qi 'reply link' <<<"$(note_of_last "$other")"
check "another sender: the license is unchanged" \
    test "$(status_of "$l1")" = action_required
check "another sender: told the reply was not applied" wait_for_mail "$other" \
    "grep -q '^Subject: Your reply .*was not applied'" 15

# dmarc=fail from our MTA: staff, no answer.
n0=$(ncorr "$fi")
confirm_from "$fi" "$ar_to" --add-header \
    "Authentication-Results: mail.aim.test; spf=fail smtp.mailfrom=aim.test; dmarc=fail (p=reject) header.from=aim.test"
check "dmarc=fail: goes to staff" until_ok 15 eq $((n0 + 1)) ncorr "$fi"
check "dmarc=fail: the reason is recorded" \
    grep -q 'dmarc=fail' <<<"$(note_of_last "$fi")"
check "dmarc=fail: the license is unchanged" \
    test "$(status_of "$l1")" = action_required
check "dmarc=fail: not answered" test "$(sql "SELECT count(*) FROM outbox
    WHERE template = 'reply_refused' AND to_addr = '$fi'")" = 0

# A forged token (40 base32 characters, no MAC of ours).
forged=aluminum.license+$(head -c 25 /dev/urandom | base32 | tr -d '=' |
    tr 'A-Z' 'a-z' | head -c 40)@aim.test
n0=$(ncorr "$fi")
confirm_from "$fi" "$forged"
check "forged token: goes to staff" until_ok 15 eq $((n0 + 1)) ncorr "$fi"
check "forged token: the license is unchanged" \
    test "$(status_of "$l1")" = action_required

# An expired token signed with our key (mail/token.h): kind L, purpose
# A, the license, yesterday; HMAC-SHA256 over label, fields, recipient.
expired_token() {	# license-id recipient
	local day fields key mac
	day=$(( $(date -u +%s) / 86400 - 1 ))
	fields=$(printf '4c41%012x%06x' "$1" "$day")
	key=$(od -An -tx1 -v "$tmp/secret.key" | tr -d ' \n')
	mac=$({ printf 'aim mail reply token v1\0'; hex2bin <<<"$fields"
	    printf '%s' "$2"; } | openssl dgst -sha256 -mac HMAC \
	    -macopt "hexkey:$key" -binary | head -c 14 | od -An -tx1 -v |
	    tr -d ' \n')
	hex2bin <<<"$fields$mac" | base32 | tr -d '=' | tr 'A-Z' 'a-z'
}
l1_id=$(sql "SELECT id FROM license WHERE number = '$l1'")
n0=$(ncorr "$fi")
confirm_from "$fi" "aluminum.license+$(expired_token "$l1_id" "$fi")@aim.test"
check "expired token: goes to staff" until_ok 15 eq $((n0 + 1)) ncorr "$fi"
check "expired token: the reason is recorded" \
    grep -qi 'expired' <<<"$(note_of_last "$fi")"
check "expired token: the license is unchanged" \
    test "$(status_of "$l1")" = action_required

# The right sender with the right token: confirmed (another MTA's
# dmarc=fail is anyone's to write: it does not count).
confirm_from "$fi" "$ar_to" --add-header \
    "Authentication-Results: mx.elsewhere.example; dmarc=fail header.from=aim.test"
check "CONFIRM: the license is confirmed" until_ok 15 \
    eq issued status_of "$l1"
check "CONFIRM: the answer arrives" wait_for_mail "$fi" \
    "grep -q '^Subject: .*$l1 confirmed'" 15
n0=$(ncorr "$fi")
confirm_from "$fi" "$ar_to"
check "reused token: goes to staff" until_ok 15 eq $((n0 + 1)) ncorr "$fi"
check "reused token: the reason is recorded" \
    grep -qi 'used before' <<<"$(note_of_last "$fi")"

# A corrected form by reply: a new version.
l2=$(new_flagged)
check "correction: a second flagged license" \
    test -n "$l2" -a "$(status_of "$l2")" = action_required
check "correction: its email arrives" wait_for_mail "$fi" \
    "grep -q '^Subject: Action required: .*$l2 issued'" 15
ar2_to=$(header_of "$fi" "$l2 issued" Reply-To)
MAIL_FROM=$fi send_mail --to "$ar2_to" --header "Subject: Re: Action required" \
    --body "The value was wrong; corrected form attached." \
    --attach-type application/pdf --attach-name fixed.pdf \
    --attach "@$tmp/good.pdf" || fail "swaks could not send the correction"
version_of() {	# number
	sql "SELECT status || ' ' || version FROM license WHERE number = '$1'"
}
check "correction: the license has a second version, issued" until_ok 15 \
    eq "issued 2" version_of "$l2"
check "correction: the answer arrives" wait_for_mail "$fi" \
    "grep -q '^Subject: .*$l2 corrected by your reply'" 15
check "correction: the answer is threaded on the filer's reply" grep -qE \
    '^<[^>]+@[^>]+>$' <<<"$(header_of "$fi" "$l2 corrected by your reply" In-Reply-To)"
check "correction: the answer greets the account's contact" grep -q \
    '^Hello Dana Ortiz,' <<<"$(message_of "$fi" "$l2 corrected by your reply")"

# The Action Required mail goes to the primary email with the alternate
# in Cc; its reply token is written for the primary.  The alternate's
# CONFIRM counts; a third address with the same token goes to staff.
l3=$(new_flagged)
check "alternate: a third flagged license" \
    test -n "$l3" -a "$(status_of "$l3")" = action_required
check "alternate: the Action Required email reaches the alternate too" \
    wait_for_mail "$alt" "grep -q '^Subject: Action required: .*$l3 issued'" 15
ar3_to=$(header_of "$alt" "$l3 issued" Reply-To)
check "alternate: its copy carries the primary's reply address" \
    test -n "$ar3_to" -a "$ar3_to" = "$(header_of "$fi" "$l3 issued" Reply-To)"
n0=$(ncorr "$other")
confirm_from "$other" "$ar3_to"
check "alternate: a third address goes to staff" until_ok 15 \
    eq $((n0 + 1)) ncorr "$other"
check "alternate: ... and changes nothing" \
    test "$(status_of "$l3")" = action_required
confirm_from "$alt" "$ar3_to"
check "alternate: CONFIRM from the alternate email confirms" until_ok 15 \
    eq issued status_of "$l3"
check "alternate: the answer reaches the alternate email" wait_for_mail \
    "$alt" "grep -q '^Subject: .*$l3 confirmed'" 15
check "alternate: nothing went to staff" test "$(ncorr "$alt")" = 0

# --- never answered: auto-replies, bounces ------------------------------
MAIL_FROM=$robot send_mail --to "$al" --header "Subject: Out of Office" \
    --header "Auto-Submitted: auto-replied" --body "I am away." \
    --attach-type application/pdf --attach-name form.pdf --attach "@$tmp/good.pdf"
MAIL_FROM='<>' send_mail --to "$al" \
    --header "From: MAILER-DAEMON@elsewhere.example" \
    --header "Subject: Undelivered Mail Returned to Sender" \
    --body "This is the mail system: your message could not be delivered."
class_of_robot() {
	sql "SELECT classification FROM mail_message WHERE from_addr = '$robot'"
}
bounces() {
	sql "SELECT count(*) FROM mail_message WHERE classification = 'bounce'"
}
check "auto-reply: recorded as one" until_ok 15 eq auto_reply class_of_robot
check "bounce: recorded as one" until_ok 15 eq 1 bounces
check "auto-reply and bounce: never answered" test "$(sql "SELECT count(*)
    FROM outbox WHERE to_addr IN ('$robot', 'mailer-daemon@elsewhere.example')")" = 0
check "auto-reply and bounce: no queue item" test "$(sql "SELECT count(*)
    FROM queue_item q JOIN mail_message m ON m.id = q.message_id WHERE
    m.classification IN ('bounce', 'auto_reply')")" = 0

# --- a loop with an auto-responder stops (and SIGHUP) --------------------
sed -i 's/^replies_per_hour = .*/replies_per_hour = 3/' "$conf"
nwatch=$(grep -c 'aluminum: watching' "$tmp/maild.log")
kill -HUP "$maild_pid"
check "SIGHUP: the configuration is read again" until_ok 10 \
    grep -q 'SIGHUP: configuration read again' "$tmp/maild.log"
check "SIGHUP: the watchers start again with it" until_ok 15 bash -c \
    "[ \$(grep -c 'aluminum: watching' '$tmp/maild.log') -gt $nwatch ]"
# A responder that answers every email with a new emailed form and
# marks nothing as automatic.
responder() {
	local seen=0 n
	while :; do
		n=$(imap_uids "$robot" 2>/dev/null | wc -l)
		while [ "$seen" -lt "$n" ]; do
			seen=$((seen + 1))
			MAIL_FROM=$robot send_mail --to "$al" \
			    --header "Subject: Re: your email ($seen)" \
			    --body "Thank you for your email." \
			    --attach-type application/pdf --attach-name form.pdf \
			    --attach "@$tmp/good.pdf"
		done
		sleep 0.3
	done
}
robot_sub() {
	sql "SELECT count(*) FROM mail_message WHERE from_addr = '$robot' AND
	    classification = 'submission'"
}
responder &
responder_pid=$!
MAIL_FROM=$robot send_mail --to "$al" \
    --header "Subject: Aluminum License Application" --body "Form attached." \
    --attach-type application/pdf --attach-name form.pdf --attach "@$tmp/good.pdf"
robot_got() {
	imap_uids "$robot" | wc -l
}
check "loop: the responder gets the allowed 3 answers" until_ok 30 \
    ge 3 robot_got
check "loop: its 4th email is stored" until_ok 15 ge 4 robot_sub
sleep 3
check "loop: it stops there (3 answers, 4 emails)" test \
    "$(imap_uids "$robot" | wc -l) $(robot_sub)" = "3 4"
check "loop: the rate limit is logged" \
    grep -q "$robot had 3 or more automatic replies in the last hour" "$tmp/maild.log"
kill "$responder_pid" 2>/dev/null
wait "$responder_pid" 2>/dev/null
responder_pid=

# --- kill -9 while 200 messages arrive ------------------------------------
load_sender() {
	local i
	for i in $(seq 1 200); do
		MAIL_FROM=$other send_mail --to "$al" --header "Subject: load $i" \
		    --body "message $i" &
		if [ $((i % 8)) -eq 0 ]; then
			wait
		fi
	done
	wait
}
load_sender &
load_pid=$!
kills=0
while kill -0 "$load_pid" 2>/dev/null || [ "$kills" -lt 3 ]; do
	sleep "0.$((RANDOM % 9 + 2))"
	stop_maild KILL
	kills=$((kills + 1))
	start_maild
done
wait "$load_pid"
echo "mail e2e: aim-maild killed $kills times while 200 messages arrived"
drained_once "kill -9" load 200 60
check "kill -9: one queue item each" test "$(sql "SELECT count(*) FROM
    queue_item q JOIN mail_message m ON m.id = q.message_id WHERE
    m.subject LIKE 'load %'")" = 200
imap_fetch_all "$al" Processed 2>/dev/null | grep '^Subject: load ' |
    sort >"$tmp/processed.txt"
check "kill -9: every message moved to Processed once" test \
    "$(wc -l <"$tmp/processed.txt") $(sort -u "$tmp/processed.txt" | wc -l)" = \
    "200 200"
check "kill -9: nothing quarantined" test "$(sql "SELECT count(*) FROM
    mail_message WHERE state != 'processed' AND subject LIKE 'load %'")" = 0

# --- 300 forms at once: parser workers and the daemon killed while
# batches are fetched, parsed, stored and moved at the same time ------------
md=$tmp/mail/maildirs/aim.test/aluminum.license/Maildir
bulk=$tmp/bulk
install -d -o nobody -g nogroup -m 0700 "$bulk"
{
	printf 'From: %s\nTo: %s\nSubject: bulk @N@\n' "$other" "$al"
	printf 'Message-ID: <bulk-@N@-%s@client.test>\nMIME-Version: 1.0\n' "$RANDOM"
	printf 'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\n'
	printf 'Content-Type: text/plain\n\nOur systems are down.\n--b1\n'
	printf 'Content-Type: application/pdf; name="form.pdf"\n'
	printf 'Content-Disposition: attachment; filename="form.pdf"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	base64 -w 76 "$tmp/good.pdf"
	printf -- '--b1--\n'
} >"$tmp/bulk.eml"
awk -v dir="$bulk" 'BEGIN { while ((getline l < ARGV[1]) > 0) t = t l "\r\n" }
    END { for (i = 1; i <= 300; i++) { m = t; gsub(/@N@/, i, m)
        f = sprintf("%s/%d.M%dP1.bulk:2,", dir, 1700000000 + i, i)
        printf "%s", m > f; close(f) } }' "$tmp/bulk.eml" </dev/null
chown nobody:nogroup "$bulk"/*
bulk_done() {
	sql "SELECT count(*) FROM mail_message WHERE subject LIKE 'bulk %'"
}
workers() {	# every parser worker: the watchers' children
	local w
	for w in $(pgrep -P "$maild_pid"); do
		pgrep -P "$w"
	done
}
processed0=$(imap_uids "$al" Processed | wc -l)
quarantined0=$(imap_uids "$al" Quarantine | wc -l)
mv "$bulk"/* "$md/new/"
wkills=0
for at in 30 120; do
	until_ok 60 ge "$at" bulk_done || break
	for w in $(workers); do
		kill -9 "$w" 2>/dev/null && wkills=$((wkills + 1))
	done
done
until_ok 60 ge 200 bulk_done
stop_maild KILL
start_maild
echo "mail e2e: killed $wkills parser workers and aim-maild once while 300 forms were read"
check "bulk: parser workers were killed mid-pass" test "$wkills" -ge 2
drained_once bulk bulk 300 90
check "bulk: every message moved once" test "$(( $(imap_uids "$al" Processed |
    wc -l) - processed0 + $(imap_uids "$al" Quarantine | wc -l) - quarantined0 ))" = 300
check "bulk: one queue item per message read" test "$(sql "SELECT count(*)
    FROM queue_item q JOIN mail_message m ON m.id = q.message_id WHERE
    q.kind = 'submission' AND m.subject LIKE 'bulk %'")" = "$(sql "SELECT
    count(*) FROM mail_message WHERE state = 'processed' AND subject LIKE 'bulk %'")"
# A message a killed worker was reading failed once (max_attempts 2):
# read again by the next pass; only one hit twice is quarantined.
check "bulk: at most one quarantined per killed worker" test "$(sql "SELECT
    count(*) FROM mail_message WHERE state != 'processed' AND
    subject LIKE 'bulk %'")" -le "$wkills"

# --- the IMAP connection dropped mid-FETCH and mid-IDLE -------------------
# Dovecot's process titles say whose session it is and what it does.
imap_proc() {	# user command-regex
	ps -eo pid=,args= | grep -F "$tmp/mail/imap [$1 " |
	    grep -E "$2" | awk '{print $1}' | head -n 1
}
head -c 15000000 /dev/urandom >"$tmp/big.bin"
MAIL_FROM=$other send_mail --to "$al" --header "Subject: big one" \
    --body "A large attachment." --attach-type application/octet-stream \
    --attach-name big.bin --attach "@$tmp/big.bin"
dropped=0
end=$((SECONDS + 20 * ${AIM_TEST_TIME_SCALE:-1}))
while [ "$SECONDS" -lt "$end" ] && [ "$dropped" -lt 2 ]; do
	p=$(imap_proc "$al" 'FETCH')
	if [ -n "$p" ]; then
		kill -9 "$p" 2>/dev/null && dropped=$((dropped + 1))
		sleep 0.5
	fi
	[ "$(sql "SELECT count(*) FROM mail_message WHERE subject = 'big one'")" = 0 ] ||
	    break
done
echo "mail e2e: dropped the IMAP connection $dropped times mid-FETCH"
check "mid-FETCH: the connection was dropped while fetching" test "$dropped" -ge 1
big_stored() {
	sql "SELECT count(*) || ' ' || sum(state = 'processed') || ' ' ||
	    (max(size) > 15000000) FROM mail_message WHERE subject = 'big one'"
}
check "mid-FETCH: the message is stored whole, once, anyway" \
    until_ok 30 eq "1 1 1" big_stored
check "mid-FETCH: ... and moved" until_ok 10 bash -c "
    . scripts/mail.sh; mail_load '$tmp/mail'
    [ -z \"\$(imap_uids '$al')\" ]"
nrec=$(grep -c 'aluminum: .*reconnecting' "$tmp/maild.log")
check "mid-FETCH: the watcher said it reconnects" test "$nrec" -ge 1
for _ in $(seq 75); do
	p=$(imap_proc "$al" 'IDLE')
	[ -z "$p" ] || break
	sleep 0.2
done
check "mid-IDLE: the watcher idles" test -n "$p"
[ -z "$p" ] || kill -9 "$p"
MAIL_FROM=$other send_mail --to "$al" --header "Subject: after the drop" \
    --body "Sent while the watcher reconnects."
after_drop() {
	sql "SELECT count(*) FROM mail_message WHERE subject = 'after the drop'
	    AND state = 'processed'"
}
check "mid-IDLE: mail after the drop is stored" until_ok 20 eq 1 after_drop
# (The log line may trail the message: the timer's search can find it
# before the dropped IDLE is noticed.)
reconnects() { grep -c 'aluminum: .*reconnecting' "$tmp/maild.log"; }
check "mid-IDLE: the watcher reconnected" \
    until_ok 20 ge $((nrec + 1)) reconnects

# --- a message over LIM_MAIL_BYTES (Postfix would refuse it: straight
# into the Maildir, as another route might bring it) ------------------------
{
	printf 'From: %s\nTo: %s\nSubject: too big\n' "$other" "$al"
	printf 'Message-ID: <too-big-%s@client.test>\nMIME-Version: 1.0\n' "$RANDOM"
	printf 'Content-Type: application/octet-stream\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	head -c 31500000 /dev/zero | base64 -w 76
} >"$tmp/huge.eml"
install -o nobody -g nogroup -m 0600 "$tmp/huge.eml" \
    "$md/new/$(date +%s).M1P$$.e2e"
huge_state() {
	sql "SELECT state || ' ' || (size <= 262144) FROM mail_message WHERE
	    last_error LIKE 'message of % bytes is over the limit%'"
}
check "too large: quarantined at once, its head kept" until_ok 20 \
    eq "quarantined 1" huge_state
check "too large: staff have a quarantine item" test "$(sql "SELECT count(*)
    FROM queue_item WHERE kind = 'quarantine' AND note LIKE
    'message of % bytes is over the limit%'")" = 1
check "too large: the message is in the Quarantine folder" until_ok 10 bash -c "
    . scripts/mail.sh; mail_load '$tmp/mail'
    [ -n \"\$(imap_uids '$al' Quarantine)\" ] && [ -z \"\$(imap_uids '$al')\" ]"

# --- SIGTERM ----------------------------------------------------------------
pids=$(pgrep -P "$maild_pid" | tr '\n' ' ')
kill -TERM "$maild_pid"
st=0
for _ in $(seq 100); do
	kill -0 "$maild_pid" 2>/dev/null || break
	sleep 0.1
done
wait "$maild_pid" 2>/dev/null || st=$?
maild_pid=
check "SIGTERM: stops cleanly (exit 0)" test "$st" = 0
check "SIGTERM: no child is left" bash -c "! kill -0 $pids 2>/dev/null"
check "SIGTERM: logged" grep -q 'aim-maild: info: stopped' "$tmp/maild.log"
check "no errors but the expected ones in the log" bash -c \
    "! grep -E ' error: ' '$tmp/maild.log' | grep -v 'connection lost'"

finish
