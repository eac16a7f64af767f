#!/usr/bin/env bash
# The private mail servers of scripts/mail.sh, for real: Dovecot (IMAP +
# LMTP) and Postfix (SMTP) started in a temporary folder on free random
# ports, then mail sent with swaks and read back over IMAP.  Each check
# is one test; failures print "FAIL: ..."; the last line is
# "N passed, N failed".  Needs root (Postfix) and scripts/deps.
# usage: tests/mail/servers.test.sh     (AIM_MAIL_KEEP=1 keeps the folder)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. scripts/mail.sh
suite="mail servers"
. tests/mail/lib.sh

need dovecot postfix swaks curl openssl setpriv

tmp=$(mktemp -d /tmp/aim-mail.XXXXXX) || { fail "mktemp"; finish; }
cleanup() {
	mail_stop "$tmp/mail" >/dev/null 2>&1
	mail_stop "$tmp/var/mail" >/dev/null 2>&1
	drop_tmp
}
on_exit cleanup

# mktemp's folder is private: nobody (Dovecot's mail) cannot reach in.
if mail_setup "$tmp/mail" 40001 40002 40003 2>"$tmp/err" ||
    ! grep -q 'cannot reach' "$tmp/err"; then
	fail "setup in a folder nobody cannot reach: expected a refusal"
else
	pass "setup refuses a folder nobody cannot reach"
fi
rm -rf "$tmp/mail"
chmod 0711 "$tmp"
dir=$tmp/mail

# --- Start, on free ports -----------------------------------------------
t=$EPOCHREALTIME
imap=$(mail_free_port) && smtp=$(mail_free_port) && lmtp=$(mail_free_port)
while [ "$smtp" = "$imap" ] || [ "$lmtp" = "$imap" ] || [ "$lmtp" = "$smtp" ]
do
	lmtp=$(mail_free_port)
	smtp=$(mail_free_port)
done
if ! mail_setup "$dir" "$imap" "$smtp" "$lmtp" 2>"$tmp/err"; then
	fail "mail_setup: $(cat "$tmp/err")"
	finish
fi
setup_ms=$(ms "$t")
t=$EPOCHREALTIME
if ! mail_start "$dir" dovecot >"$tmp/out" 2>&1; then
	fail "dovecot start: $(cat "$tmp/out")"
	finish
fi
dovecot_ms=$(ms "$t")
t=$EPOCHREALTIME
if ! mail_start "$dir" postfix >"$tmp/out" 2>&1; then
	fail "postfix start: $(cat "$tmp/out")"
	finish
fi
postfix_ms=$(ms "$t")
echo "mail servers: setup $setup_ms ms, dovecot start $dovecot_ms ms," \
    "postfix start $postfix_ms ms (IMAP $imap, SMTP $smtp, LMTP $lmtp)"
pass "both servers start on free ports"

al=aluminum.license@aim.test st=steel.license@aim.test fi=filer@aim.test
check "status says both run" mail_status "$dir" >/dev/null
check "ports recorded" grep -qx "imap=$imap" "$dir/ports"
check "passwd is root:dovecot 0640" \
    test "$(stat -c '%U:%G %a' "$dir/passwd")" = "root:dovecot 640"
check "private key is 0600" test "$(stat -c %a "$dir/tls/key.pem")" = 600
for u in "$al" "$st" "$fi"; do
	pw=$(mail_password "$dir" "$u") || pw=
	check "password for $u (24 letters and digits)" \
	    grep -qE '^[A-Za-z0-9]{24}$' <<<"$pw"
done
# Nothing of the system's servers: our own queue, folders, config.
check "postfix uses the folder's queue" test \
    "$(postconf -c "$dir/postfix" -h queue_directory)" = "$dir/spool"
check "postfix config folder holds root's files only (postfix check)" \
    bash -c "! grep -q 'not owned by root\|writable' '$dir/log/postfix.log'"
check "dovecot reads no /etc/dovecot" bash -c \
    "! doveadm -c '$dir/dovecot.conf' config -n 2>/dev/null | grep -q /etc/dovecot"

# --- SMTP in, LMTP to Dovecot, IMAP out ---------------------------------
for u in "$al" "$st" "$fi"; do
	check "SMTP accepts mail for $u" \
	    send_mail --to "$u" --header "Subject: hello $u" \
	    --body "plain body for $u"
done
for u in "$al" "$st" "$fi"; do
	check "mail for $u is in its INBOX" wait_for_mail "$u" \
	    "grep -qx 'Subject: hello $u'" 10
done
check "no one else got the filer's mail" bash -c \
    "! grep -rqs 'Subject: hello $fi' '$dir/maildirs/aim.test/aluminum.license' \
    '$dir/maildirs/aim.test/steel.license'"

# Relaying: refused at RCPT, with or without AUTH; nothing queued.
out=$(swaks --server "127.0.0.1:$smtp" --from a@client.test \
    --to x@example.com --quit-after RCPT 2>&1)
check "RCPT TO an outside domain is refused (5xx)" \
    grep -qE '^<\*\* +5[0-9][0-9] .*x@example.com' <<<"$out"
pw_al=$(mail_password "$dir" "$al")
out=$(swaks --server "127.0.0.1:$smtp" --from "$al" --to y@example.org \
    --auth PLAIN --auth-user "$al" --auth-password "$pw_al" 2>&1)
check "AUTH gives no relaying either" \
    grep -qE '^<\*\* +5[0-9][0-9] .*y@example.org' <<<"$out"
check "AUTH itself succeeded" grep -qE '^<- +235 ' <<<"$out"
out=$(swaks --server "127.0.0.1:$smtp" --from "$al" --to "$al" \
    --auth PLAIN --auth-user "$al" --auth-password wrong-password 2>&1)
check "AUTH with a wrong password is refused (535)" \
    grep -qE '^<\*\* +535 ' <<<"$out"
out=$(postqueue -c "$dir/postfix" -p 2>&1)
check "nothing queued (postqueue -p)" grep -q 'queue is empty' <<<"$out"
check "no delivery ever tried outside" bash -c \
    "! grep -qE 'to=<[xy]@example[.a-z]*>, .*status=' '$dir/log/postfix.log'"

# Plus-addressing: to aluminum.license, Delivered-To keeps the token.
tok=Tok3n-$RANDOM
check "plus-addressed mail accepted" send_mail \
    --to "aluminum.license+$tok@aim.test" --header "Subject: token $tok"
check "plus-addressed mail in aluminum.license's INBOX" wait_for_mail \
    "$al" "grep -qx 'Subject: token $tok'" 10
msg=$(imap_fetch_all "$al" | awk -v s="Subject: token $tok" '
    /^=== UID /{buf=""} {buf=buf $0 "\n"} $0==s{hit=1}
    hit && /^$/{printf "%s", buf; exit}')
check "Delivered-To carries the plus part" \
    grep -qix "Delivered-To: aluminum.license+$tok@aim.test" <<<"$msg"
check "the token mail went to aluminum only" bash -c \
    "! grep -rqs 'Subject: token $tok' '$dir/maildirs/aim.test/steel.license' \
    '$dir/maildirs/aim.test/filer'"
check "an unknown user at aim.test is not delivered" bash -c "
    . scripts/mail.sh; mail_load '$dir'
    send_mail --to nobody-here@aim.test --header 'Subject: stray' &&
    for _ in \$(seq 50); do
	grep -q 'to=<nobody-here@aim.test>.*status=bounced' \
	    '$dir/log/postfix.log' && exit 0
	sleep 0.1
    done; exit 1"

# IMAP with curl: LOGIN, SELECT, UID SEARCH, FETCH.
pw_fi=$(mail_password "$dir" "$fi")
out=$(curl -s -S --max-time 10 --user "$fi:$pw_fi" \
    "imap://127.0.0.1:$imap/INBOX" -X 'UID SEARCH ALL' 2>&1)
check "curl: LOGIN + SELECT + UID SEARCH" grep -qE '^\* SEARCH [0-9]' <<<"$out"
uid=$(imap_uids "$fi" | head -n 1)
out=$(curl -s -S --max-time 10 --user "$fi:$pw_fi" \
    "imap://127.0.0.1:$imap/INBOX;UID=$uid" 2>&1)
check "curl: UID FETCH" grep -q "plain body for $fi" <<<"$out"
curl -s --max-time 10 --user "$fi:wrong" "imap://127.0.0.1:$imap/INBOX" \
    -X 'UID SEARCH ALL' >/dev/null 2>&1
check "curl: a wrong password is refused" test $? -ne 0
imap_fetch_all "$al" >/dev/null
out=$(imap_cmd "$al" 'UID FETCH 1:* (FLAGS)' INBOX)
check "imap_fetch_all peeks (no \\Seen)" bash -c \
    "grep -q FETCH <<<'$out' && ! grep -q Seen <<<'$out'"
out=$(imap_cmd "$al" CAPABILITY)
check "capabilities after LOGIN: IDLE MOVE UIDPLUS" bash -c "
    grep -qw IDLE <<<'$out' && grep -qw MOVE <<<'$out' &&
    grep -qw UIDPLUS <<<'$out'"

# An attachment and 8-bit text arrive intact.
printf '%%PDF-1.4 test \xc3\xa9 %s\n' "$RANDOM" >"$tmp/form.pdf"
check "send_mail with an attachment" send_mail --to "$fi" \
    --header 'Subject: with attachment' --body $'Caf\xc3\xa9 8-bit' \
    --attach-type application/pdf --attach "@$tmp/form.pdf"
check "the attachment arrives, named" wait_for_mail "$fi" \
    "grep -q 'filename=\"form.pdf\"'" 10
b64=$(base64 -w 0 "$tmp/form.pdf")
check "the attachment's bytes arrive" wait_for_mail "$fi" \
    "tr -d '\n' | grep -qF '$b64'" 5
check "8-bit text arrives intact" wait_for_mail "$fi" \
    "grep -qx $'Caf\xc3\xa9 8-bit'" 5
# A whole message as written (send_raw): its own headers, a line that
# starts with a dot, a folded subject.
mid="raw-$RANDOM.$RANDOM@client.test"
printf '%s\n' "From: Raw Sender <raw@client.test>" \
    "To: aluminum.license@aim.test" "Message-ID: <$mid>" \
    "Subject: =?UTF-8?B?Q2Fmw6kgZm9ybQ==?=" " folded part" \
    "MIME-Version: 1.0" "Content-Type: text/plain; charset=UTF-8" "" \
    "first line" ".leading dot" "." "last line" >"$tmp/raw.eml"
check "send_raw sends a file as it is" send_raw "$al" "$tmp/raw.eml"
check "its Message-ID arrives" wait_for_mail "$al" "grep -qix 'Message-ID: <$mid>'" 10
msg=$(imap_fetch_all "$al" | awk -v m="Message-ID: <$mid>" '
    /^=== UID /{buf=""} {buf=buf $0 "\n"} $0==m{hit=1}
    END{if (hit) printf "%s", buf}')
check "dot lines survive (dot-stuffing both ways)" bash -c \
    "grep -qx '.leading dot' <<<'$msg' && grep -qx '.' <<<'$msg' &&
    grep -qx 'last line' <<<'$msg'"
out=$(imap_subjects "$al")
check "imap_subjects joins a folded subject" grep -qF \
    "=?UTF-8?B?Q2Fmw6kgZm9ybQ==?= folded part" <<<"$out"
check "imap_subjects: one line a message, UID first" bash -c \
    "test \"\$(grep -cE '^[0-9]+'\$'\\t' <<<'$out')\" = \
    \"\$(. scripts/mail.sh; mail_load '$dir'; imap_uids '$al' | wc -l)\""
check "wait_for_mail gives up (after one look, at 0 s)" bash -c "
    . scripts/mail.sh; mail_load '$dir'
    ! wait_for_mail '$fi' 'grep -q never-sent-subject' 0"

# --- The licensing folders -----------------------------------------------
for u in "$al" "$st"; do
	out=$(imap_cmd "$u" 'LIST "" "*"')
	check "$u has Processed and Quarantine" bash -c \
	    "grep -qw Processed <<<'$out' && grep -qw Quarantine <<<'$out'"
done
out=$(imap_cmd "$fi" 'LIST "" "*"')
check "the filer has neither" bash -c "! grep -qE 'Processed|Quarantine' <<<'$out'"
uid=$(imap_uids "$al" | head -n 1)
imap_cmd "$al" "UID MOVE $uid Processed" INBOX >/dev/null
check "UID MOVE to Processed" bash -c "
    . scripts/mail.sh; mail_load '$dir'
    imap_uids '$al' Processed | grep -q . &&
    ! imap_uids '$al' | grep -qx '$uid'"
out=$(imap_cmd "$st" 'STATUS Quarantine (MESSAGES UIDVALIDITY)')
check "Quarantine can be opened (STATUS)" grep -q 'MESSAGES 0' <<<"$out"

# --- IDLE: a new message wakes a waiting session -------------------------
idle_test() {
	local fd line pw t woke=no
	pw=$(mail_password "$dir" "$st")
	exec {fd}<>"/dev/tcp/127.0.0.1/$imap" || return 1
	printf 'a LOGIN "%s" "%s"\r\nb SELECT INBOX\r\nc IDLE\r\n' "$st" "$pw" >&"$fd"
	while IFS= read -r -t 5 line <&"$fd"; do
		[[ $line == '+ '* ]] && break
	done
	t=$EPOCHREALTIME
	send_mail --to "steel.license+idle@aim.test" --header 'Subject: idle' ||
	    return 1
	while IFS= read -r -t 5 line <&"$fd"; do
		if [[ $line =~ ^\*\ [0-9]+\ EXISTS ]]; then
			woke=yes
			break
		fi
	done
	printf 'DONE\r\nd LOGOUT\r\n' >&"$fd"
	exec {fd}<&-
	echo "mail servers: IDLE woke $(ms "$t") ms after the send"
	[ "$woke" = yes ]
}
check "IDLE wakes on new mail" idle_test

# --- TLS: STARTTLS on both, the certificate pinned ------------------------
fp=$(mail_fingerprint "$dir")
check "fingerprint is 64 hex digits and recorded" bash -c \
    "grep -qE '^[0-9a-f]{64}$' <<<'$fp' && test \"\$(cat '$dir/tls/fingerprint')\" = '$fp'"
served_fp() {	# proto port
	openssl s_client -connect "127.0.0.1:$2" -starttls "$1" </dev/null \
	    2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null |
	    sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'
}
check "IMAP STARTTLS serves the pinned certificate" \
    test "$(served_fp imap "$imap")" = "$fp"
check "SMTP STARTTLS serves the pinned certificate" \
    test "$(served_fp smtp "$smtp")" = "$fp"
out=$(curl -s -S --max-time 10 --ssl-reqd --cacert "$dir/tls/cert.pem" \
    --user "$fi:$pw_fi" "imap://127.0.0.1:$imap/INBOX" -X 'UID SEARCH ALL' 2>&1)
check "curl: IMAP over STARTTLS, certificate verified for 127.0.0.1" \
    grep -qE '^\* SEARCH [0-9]' <<<"$out"
out=$(swaks --server "127.0.0.1:$smtp" --tls --from a@client.test \
    --to "$fi" --header 'Subject: over tls' 2>&1)
check "swaks: SMTP over STARTTLS" grep -qE '^<~ +250 .*queued' <<<"$out"
check "the TLS mail arrives" wait_for_mail "$fi" "grep -qx 'Subject: over tls'" 10

# --- A test user added while running --------------------------------------
check "mail_user_add while running" mail_user_add "$dir" tester1@aim.test Tester-Pass-1
check "the new user gets mail at once" send_mail --to tester1@aim.test \
    --header 'Subject: for tester1'
check "and reads it" wait_for_mail tester1@aim.test "grep -qx 'Subject: for tester1'" 10
check "a bad address is refused" bash -c \
    ". scripts/mail.sh; ! mail_user_add '$dir' 'a:b@aim.test' 2>/dev/null &&
    ! mail_user_add '$dir' x@example.com 2>/dev/null"

# --- Setup and start again: nothing changes ------------------------------
conf_before=$(stat -c %Y "$dir/config.stamp" "$dir/dovecot.conf" \
    "$dir/postfix/main.cf")
pids_before=$(mail_pids "$dir" | paste -sd' ')
mail_setup "$dir" "$imap" "$smtp" 2>/dev/null
out=$(mail_start "$dir" 2>&1)
check "second setup keeps configs" \
    test "$(stat -c %Y "$dir/config.stamp" "$dir/dovecot.conf" \
    "$dir/postfix/main.cf")" = "$conf_before"
check "second setup keeps passwords and LMTP port" bash -c \
    "test '$(mail_password "$dir" "$fi")' = '$pw_fi' && grep -qx 'lmtp=$lmtp' '$dir/ports'"
check "second setup keeps the certificate" test "$(mail_fingerprint "$dir")" = "$fp"
check "second start keeps both running" \
    test "$(grep -c 'already running' <<<"$out")" = 2
check "second start keeps the processes" \
    test "$(mail_pids "$dir" | paste -sd' ')" = "$pids_before"

# A new config (another SMTP port) restarts what runs the old one.
smtp2=$(mail_free_port)
while [ "$smtp2" = "$imap" ] || [ "$smtp2" = "$lmtp" ] || [ "$smtp2" = "$smtp" ]
do
	smtp2=$(mail_free_port)
done
mail_setup "$dir" "$imap" "$smtp2" 2>/dev/null
out=$(mail_start "$dir" 2>&1)
check "a new config restarts both" \
    test "$(grep -c 'restarting' <<<"$out")" = 2
check "postfix answers on the new port only" bash -c "
    (exec 3<>/dev/tcp/127.0.0.1/$smtp2) 2>/dev/null &&
    ! (exec 3<>/dev/tcp/127.0.0.1/$smtp) 2>/dev/null"
smtp=$smtp2
mail_load "$dir"
check "mail flows on the new port" send_mail --to "$fi" \
    --header 'Subject: new port'
check "and arrives" wait_for_mail "$fi" "grep -qx 'Subject: new port'" 10

# --- Stop, then start again: the mail stays --------------------------------
declare -A before
for u in "$al" "$st" "$fi"; do
	before[$u]=$(imap_uids "$u" | paste -sd' ')
done
uv_before=$(imap_cmd "$al" 'STATUS INBOX (UIDVALIDITY)')
t=$EPOCHREALTIME
mail_stop "$dir" >"$tmp/out" 2>&1
stop_ms=$(ms "$t")
echo "mail servers: stop $stop_ms ms"
check "stop leaves no process (mail_pids)" test -z "$(mail_pids "$dir")"
no_pgrep() { ! pgrep -f "$dir" >/dev/null; }
check "stop leaves no process (pgrep -f folder)" no_pgrep
check "stop frees the ports" bash -c \
    "! (exec 3<>/dev/tcp/127.0.0.1/$imap) 2>/dev/null &&
    ! (exec 3<>/dev/tcp/127.0.0.1/$smtp) 2>/dev/null &&
    ! (exec 3<>/dev/tcp/127.0.0.1/$lmtp) 2>/dev/null"
check "status says stopped" bash -c ". scripts/mail.sh; ! mail_status '$dir' >/dev/null"
check "a second stop is harmless" mail_stop "$dir"
t=$EPOCHREALTIME
check "restart" mail_start "$dir" >/dev/null
echo "mail servers: restart $(ms "$t") ms"
for u in "$al" "$st" "$fi"; do
	check "restart keeps $u's mail" \
	    test "$(imap_uids "$u" | paste -sd' ')" = "${before[$u]}"
done
check "restart keeps UIDVALIDITY" \
    test "$(imap_cmd "$al" 'STATUS INBOX (UIDVALIDITY)')" = "$uv_before"
check "mail flows after the restart" send_mail --to "$fi" \
    --header 'Subject: after restart'
check "and arrives" wait_for_mail "$fi" "grep -qx 'Subject: after restart'" 10

# --- Mail sent while Dovecot is down waits in Postfix ---------------------
mail_stop "$dir" dovecot >/dev/null
check "mail_stop DIR dovecot stops only Dovecot" bash -c "
    . scripts/mail.sh; test -z \"\$(mail_pids '$dir' dovecot)\" &&
    test -n \"\$(mail_pids '$dir' postfix)\""
check "SMTP takes mail while Dovecot is down" send_mail --to "$fi" \
    --header 'Subject: while down'
mail_start "$dir" dovecot >/dev/null
check "and delivers it when Dovecot is back" wait_for_mail "$fi" \
    "grep -qx 'Subject: while down'" 15

# Postfix down: SMTP refused; back: mail flows.
mail_stop "$dir" postfix >/dev/null
check "mail_stop DIR postfix closes SMTP only" bash -c "
    ! (exec 3<>/dev/tcp/127.0.0.1/$smtp) 2>/dev/null &&
    (exec 3<>/dev/tcp/127.0.0.1/$imap) 2>/dev/null"
check "mail_start DIR postfix" mail_start "$dir" postfix >/dev/null
check "mail flows again" send_mail --to "$fi" --header 'Subject: postfix back'
check "and arrives" wait_for_mail "$fi" "grep -qx 'Subject: postfix back'" 10

# A dropped IMAP connection (mail_drop_imap): the client sees the end.
drop_test() {
	local fd line pw n ended=no
	pw=$(mail_password "$dir" "$st")
	exec {fd}<>"/dev/tcp/127.0.0.1/$imap" || return 1
	printf 'a LOGIN "%s" "%s"\r\nb SELECT INBOX\r\nc IDLE\r\n' "$st" "$pw" >&"$fd"
	while IFS= read -r -t 5 line <&"$fd"; do
		[[ $line == '+ '* ]] && break
	done
	n=$(mail_drop_imap "$dir" "$st")
	# EOF (read fails before its timeout), no BYE.
	if ! IFS= read -r -t 3 line <&"$fd"; then
		ended=yes
	fi
	exec {fd}<&-
	[ "$n" -ge 1 ] && [ "$ended" = yes ]
}
check "mail_drop_imap cuts an IDLE session" drop_test
check "and new sessions work" imap_uids "$st" >/dev/null

# A crash: both masters killed; a start brings them back, mail kept.
uids_before=$(imap_uids "$fi" | paste -sd' ')
kill -KILL "$(_mail_dovecot_pid "$dir")" "$(_mail_postfix_pid "$dir")"
t=$EPOCHREALTIME
check "start after kill -9 of both masters" mail_start "$dir" >/dev/null
echo "mail servers: start after kill -9 $(ms "$t") ms"
check "and the mail is all there" \
    test "$(imap_uids "$fi" | paste -sd' ')" = "$uids_before"
check "and mail flows" send_mail --to "$fi" --header 'Subject: after crash'
check "and arrives" wait_for_mail "$fi" "grep -qx 'Subject: after crash'" 10

mail_stop "$dir" >/dev/null 2>&1
check "final stop leaves no process" test -z "$(mail_pids "$dir")"

# --- scripts/up --mail and scripts/down ------------------------------------
var=$tmp/var
up() {
	AIM_VAR=$var AIM_IMAP_PORT=$uimap AIM_SMTP_PORT=$usmtp \
	    bash scripts/up --mail >"$tmp/up.txt" 2>&1
}
# On free ports; others when one was taken between choosing and binding
# it (by another program on this machine).
up_free() {
	for _ in 1 2 3; do
		uimap=$(mail_free_port) usmtp=$(mail_free_port)
		[ "$uimap" != "$usmtp" ] || continue
		up && return 0
		grep -rqs 'Address already in use' "$var/mail/log" \
		    "$tmp/up.txt" || return 1
		AIM_VAR=$var bash scripts/down >/dev/null 2>&1
		rm -rf "$var"
	done
	return 1
}
if up_free; then
	pass "scripts/up --mail"
	upw=$(mail_password "$var/mail" "$fi")
	check "it prints the filer's password" grep -qF "$upw" "$tmp/up.txt"
	check "it prints the fingerprint" \
	    grep -qF "$(mail_fingerprint "$var/mail")" "$tmp/up.txt"
	check "it prints a swaks line for its port" \
	    grep -qF "swaks --server 127.0.0.1:$usmtp" "$tmp/up.txt"
	# The printed swaks and curl lines, as printed.
	sw=$(sed -n '/^  swaks /,/aluminum-standard.xml$/p' "$tmp/up.txt")
	cu=$(sed -n '/^  curl .*aluminum/,/UID SEARCH ALL/p' "$tmp/up.txt" |
	    head -n 2)
	check "the printed swaks command sends" bash -c "$sw" >/dev/null 2>&1
	sleep 0.3
	check "the printed curl command finds it" bash -c \
	    "$cu | grep -qE '^\* SEARCH [0-9]'"
	pids=$(mail_pids "$var/mail" | paste -sd' ')
	check "scripts/up --mail again keeps them running" bash -c "
	    AIM_VAR='$var' AIM_IMAP_PORT=$uimap AIM_SMTP_PORT=$usmtp \
	    bash scripts/up --mail | grep -c 'already running' | grep -qx 2"
	check "with the same processes" \
	    test "$(mail_pids "$var/mail" | paste -sd' ')" = "$pids"
	AIM_VAR=$var bash scripts/down >"$tmp/down.txt" 2>&1
	check "scripts/down stops them" test -z "$(mail_pids "$var/mail")"
	check "scripts/down says so" grep -q 'dovecot stopped' "$tmp/down.txt"
	check "scripts/down again is harmless" bash -c \
	    "AIM_VAR='$var' bash scripts/down | grep -q 'nothing was running'"
else
	fail "scripts/up --mail: $(tail -n 5 "$tmp/up.txt")"
fi
AIM_VAR=$var bash scripts/down >/dev/null 2>&1
if [ "$failed" -ne 0 ]; then
	echo "== logs"
	tail -n 15 "$dir/log/dovecot.log" "$dir/log/postfix.log" 2>/dev/null
fi
finish
