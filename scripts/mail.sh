# Private mail servers for one local instance and the tests: Dovecot
# (IMAP + LMTP) and Postfix (SMTP) on 127.0.0.1, with their own config,
# queue, mail, logs and certificate in one folder DIR ($AIM_VAR/mail for
# scripts/up, a temporary folder for the tests).  Mail domain aim.test;
# Postfix takes mail for it and hands it to Dovecot over LMTP; nothing
# leaves the machine.  A system Dovecot or Postfix, running or not, is
# neither read nor touched.  Postfix insists on root, so this does too.
# Sourced by scripts/up, scripts/down and tests/mail/; needs bash.
#
# Servers (each returns non-zero with the reason on stderr):
# mail_setup DIR IMAP SMTP [LMTP]  folder, users, certificate and configs
#                                  (kept when there; LMTP: a free port)
# mail_start DIR [dovecot|postfix]  starts both, or one (restarts what
#                      runs an older config; brings back a killed one)
# mail_stop DIR [dovecot|postfix]   stops both, or one; no process of
#                      DIR (of that server) remains; idempotent
# mail_status DIR      one line per server; 0 if both run
# mail_pids DIR [dovecot|postfix]   pids of DIR's servers' processes
# mail_drop_imap DIR [USER [SIGNAL]]  kills IMAP sessions (of USER),
#                      a dropped connection for the client; prints how
#                      many
# mail_free_port       a free port in 20000-40000
# mail_up DIR [USER...]  setup on free ports + start, for the tests
# mail_user_add [-l] DIR ADDRESS [PASSWORD]   a user (-l: the licensing
#                      folders Processed and Quarantine); works live
#                      (waits up to 1 s for Dovecot to see it)
# mail_password DIR ADDRESS      prints the user's password
# mail_fingerprint DIR           the certificate's SHA-256, 64 hex digits
# mail_load DIR        sets mail_dir, mail_imap_port, mail_smtp_port,
#                      mail_lmtp_port (the others call it)
# Mail, on the instance mail_load (or mail_up) chose:
# send_mail SWAKS-ARGS...        swaks through our SMTP, e.g.
#                      send_mail --to aluminum.license@aim.test \
#                          --attach-type application/pdf --attach @f.pdf
# imap_cmd USER COMMAND [MAILBOX]  one IMAP command (curl), its answer
# imap_fetch_all USER [MAILBOX]  every message (raw, peeked), each after
#                      a line "=== UID n"; INBOX if no MAILBOX
# imap_uids USER [MAILBOX]       the UIDs, one a line
# imap_subjects USER [MAILBOX]   "UID<TAB>Subject", one a message
# send_raw RCPT FILE             a whole message (an .eml) as it is
# wait_for_mail USER PREDICATE [TIMEOUT] [MAILBOX]  waits (10 s) until
#                      PREDICATE, a shell command reading
#                      imap_fetch_all's output on stdin, succeeds

mail_domain=aim.test
# The licensing mailboxes the gateway watches, and the demo filer.
mail_users_licensing=(aluminum.license@aim.test steel.license@aim.test)
mail_users_plain=(filer@aim.test)
_mail_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

_mail_err() {
	echo "mail: $*" >&2
	return 1
}

# True if something answers on 127.0.0.1:PORT.
_mail_listening() {	# port
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port from 20000-40000 that nobody listens on.
mail_free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20001))
		if ! _mail_listening "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

_mail_port_ok() {	# value
	[[ $1 =~ ^[0-9]{1,5}$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]
}

# The folder's ports, from DIR/ports (written by mail_setup).
mail_load() {	# dir
	local k v
	mail_dir=$1
	mail_imap_port='' mail_smtp_port='' mail_lmtp_port=''
	[ -f "$1/ports" ] || _mail_err "$1 is not set up (no $1/ports)" ||
	    return 1
	while IFS='=' read -r k v; do
		case $k in
		imap) mail_imap_port=$v ;;
		smtp) mail_smtp_port=$v ;;
		lmtp) mail_lmtp_port=$v ;;
		esac
	done <"$1/ports"
	_mail_port_ok "$mail_imap_port" && _mail_port_ok "$mail_smtp_port" &&
	    _mail_port_ok "$mail_lmtp_port" ||
	    _mail_err "$1/ports is damaged"
}

# Renders etc/TEMPLATE into OUT; returns 1 if OUT is unchanged, so a
# second setup neither rewrites it nor restarts what reads it.
_mail_render() {	# template out
	local tmp=$2.tmp.$$
	sed -e "s|@DIR@|$mail_dir|g" -e "s|@DOMAIN@|$mail_domain|g" \
	    -e "s|@IMAP_PORT@|$mail_imap_port|g" \
	    -e "s|@SMTP_PORT@|$mail_smtp_port|g" \
	    -e "s|@LMTP_PORT@|$mail_lmtp_port|g" \
	    -e "s|@INSTANCE@|$mail_dir|g" \
	    -e "s|@MAILUSER@|nobody|g" -e "s|@MAILGROUP@|nogroup|g" \
	    "$_mail_top/etc/$1" >"$tmp" || { rm -f "$tmp"; return 2; }
	if [ -f "$2" ] && cmp -s "$tmp" "$2"; then
		rm -f "$tmp"
		return 1
	fi
	mv -f "$tmp" "$2"
}

# A password of 24 letters and digits: safe in URLs and on command lines.
_mail_new_password() {
	local p
	p=$(head -c 48 /dev/urandom | base64 -w 0 | tr -dc 'A-Za-z0-9')
	printf '%s\n' "${p:0:24}"
}

# Adds ADDRESS (local part of letters, digits, . _ -, at aim.test) with
# PASSWORD (made up if none); a user already there keeps its password.
# -l gives it the licensing folders Processed and Quarantine.
mail_user_add() {	# [-l] dir address [password]
	local lic=no dir addr pw lp line s
	if [ "${1:-}" = -l ]; then
		lic=yes
		shift
	fi
	dir=$1 addr=${2,,} pw=${3:-}
	[[ $addr =~ ^[a-z0-9][a-z0-9._-]{0,63}@([a-z0-9.-]+)$ ]] ||
	    _mail_err "bad address '$2' (letters, digits, . _ -)" || return 1
	[ "${BASH_REMATCH[1]}" = "$mail_domain" ] ||
	    _mail_err "$addr is not at $mail_domain" || return 1
	# Plain enough for IMAP quoted strings, URLs and command lines.
	if [ -n "$pw" ] && ! [[ $pw =~ ^[A-Za-z0-9._-]{1,128}$ ]]; then
		_mail_err "a password is 1-128 letters, digits, . _ -"
		return 1
	fi
	if grep -q "^$addr:" "$dir/passwd" 2>/dev/null; then
		return 0
	fi
	[ -n "$pw" ] || pw=$(_mail_new_password)
	line="$addr:{PLAIN}$pw::::::"
	if [ "$lic" = yes ]; then
		line+="userdb_namespace/inbox/mailbox/Processed/auto=subscribe"
		line+=" userdb_namespace/inbox/mailbox/Quarantine/auto=subscribe"
	fi
	printf '%s\n' "$line" >>"$dir/passwd" || return 1
	# The home, so that the first login finds it (Dovecot makes the
	# Maildir in it).
	lp=${addr%@*}
	install -d -o nobody -g nogroup -m 0700 \
	    "$dir/maildirs/$mail_domain" "$dir/maildirs/$mail_domain/$lp" ||
	    return 1
	# Dovecot looks at the file at most once a second: once this second
	# is over, the next login or delivery finds the new user.
	if _mail_dovecot_pid "$dir" >/dev/null; then
		s=$EPOCHSECONDS
		while [ "$EPOCHSECONDS" -le "$s" ]; do
			sleep 0.05
		done
	fi
}

mail_password() {	# dir address
	local line
	line=$(grep -m 1 "^${2,,}:" "$1/passwd" 2>/dev/null) ||
	    _mail_err "no user ${2,,} in $1" || return 1
	line=${line#*:\{PLAIN\}}
	printf '%s\n' "${line%%:*}"
}

mail_fingerprint() {	# dir
	local f
	f=$(openssl x509 -in "$1/tls/cert.pem" -noout -fingerprint -sha256 \
	    2>/dev/null) || _mail_err "no certificate in $1/tls" || return 1
	f=${f#*=}
	f=${f//:/}
	printf '%s\n' "${f,,}"
}

# A self-signed certificate for 127.0.0.1, localhost and mail.aim.test,
# made once (clients pin it).  P-256: made in milliseconds.
_mail_cert() {	# dir
	local t=$1/tls
	[ -s "$t/cert.pem" ] && [ -s "$t/key.pem" ] && return 0
	install -d -m 0700 "$t" || return 1
	touch "$1/config.stamp"
	(umask 077 && openssl req -x509 -newkey ec \
	    -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
	    -subj "/O=aim test/CN=mail.$mail_domain" \
	    -addext "subjectAltName=DNS:mail.$mail_domain,DNS:localhost,IP:127.0.0.1" \
	    -keyout "$t/key.pem" -out "$t/cert.pem") >"$t/openssl.txt" 2>&1 ||
	    _mail_err "openssl could not make a certificate: $(tail -n 3 \
	    "$t/openssl.txt")" || return 1
	chmod 0644 "$t/cert.pem"
	mail_fingerprint "$1" >"$t/fingerprint"
}

# Makes (or brings up to date) DIR: ports, users with passwords, the
# certificate, dovecot.conf and postfix/{main,master}.cf, the folders.
# LMTP defaults to the recorded port, else a free one.
mail_setup() {	# dir imap-port smtp-port [lmtp-port]
	local dir=$1 imap=${2:-} smtp=${3:-} lmtp=${4:-} u
	[ "$(id -u)" -eq 0 ] ||
	    _mail_err "the mail servers need root (Postfix starts only as root)" ||
	    return 1
	for u in dovecot postfix postconf openssl swaks curl; do
		command -v "$u" >/dev/null 2>&1 ||
		    _mail_err "$u is missing (scripts/deps)" || return 1
	done
	# Both configs split on spaces and commas: keep the path plain.
	[[ $dir =~ ^/[A-Za-z0-9._/-]+$ ]] ||
	    _mail_err "'$dir' must be an absolute path of letters, digits, . _ - /" ||
	    return 1
	_mail_port_ok "$imap" && _mail_port_ok "$smtp" ||
	    _mail_err "bad IMAP or SMTP port '$imap' '$smtp'" || return 1
	if [ -z "$lmtp" ] && mail_load "$dir" 2>/dev/null &&
	    [ "$mail_lmtp_port" != "$imap" ] && [ "$mail_lmtp_port" != "$smtp" ]
	then
		lmtp=$mail_lmtp_port
	fi
	if [ -z "$lmtp" ]; then
		lmtp=$(mail_free_port) || _mail_err "no free port for LMTP" ||
		    return 1
	fi
	_mail_port_ok "$lmtp" || _mail_err "bad LMTP port '$lmtp'" || return 1
	if [ "$imap" = "$smtp" ] || [ "$imap" = "$lmtp" ] ||
	    [ "$smtp" = "$lmtp" ]; then
		_mail_err "IMAP, SMTP and LMTP need three ports ($imap $smtp $lmtp)"
		return 1
	fi

	install -d -m 0755 "$dir" "$dir/log" "$dir/dovecot" \
	    "$dir/dovecot/run" "$dir/dovecot/state" "$dir/postfix" \
	    "$dir/spool" || return 1
	# As Postfix would make them; Dovecot puts its auth socket in
	# private/ before Postfix first starts.
	install -d -o postfix -g root -m 0700 "$dir/spool/data" \
	    "$dir/spool/private" || return 1
	# Dovecot stores mail as nobody: that user must reach DIR.
	if ! setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
	    test -x "$dir"; then
		_mail_err "user nobody (Dovecot's mail) cannot reach $dir:" \
		    "let others search its parent folders (chmod o+x)"
		return 1
	fi
	install -d -o nobody -g nogroup -m 0700 "$dir/maildirs" || return 1
	printf 'imap=%s\nsmtp=%s\nlmtp=%s\n' "$imap" "$smtp" "$lmtp" \
	    >"$dir/ports.tmp" && mv -f "$dir/ports.tmp" "$dir/ports" || return 1
	mail_load "$dir" || return 1

	touch "$dir/passwd" && chgrp dovecot "$dir/passwd" &&
	    chmod 0640 "$dir/passwd" || return 1
	for u in "${mail_users_licensing[@]}"; do
		mail_user_add -l "$dir" "$u" || return 1
	done
	for u in "${mail_users_plain[@]}"; do
		mail_user_add "$dir" "$u" || return 1
	done
	_mail_cert "$dir" || return 1

	# config.stamp dates the last change: mail_start restarts a server
	# started before it.  Postfix rereads a main.cf younger than 2 s,
	# every 0.3 s, until it is that old (it might be half written):
	# date new ones back.
	for u in dovecot.conf postfix/main.cf postfix/master.cf; do
		_mail_render "$u.in" "$dir/$u"
		case $? in
		0)
			touch "$dir/config.stamp"
			touch -d "@$((EPOCHSECONDS - 3))" "$dir/$u"
			;;
		2) return 1 ;;
		esac
	done
	return 0
}

# The pid in FILE if that process is alive (not a zombie).
_mail_pidfile() {	# file
	local pid st
	[ -f "$1" ] || return 1
	pid=$(head -c 64 "$1" | tr -cd 0-9)
	[ -n "$pid" ] || return 1
	st=$(sed -E 's/^[0-9]+ \(.*\) (.).*/\1/' "/proc/$pid/stat" 2>/dev/null) ||
	    return 1
	[ -n "$st" ] && [ "$st" != Z ] || return 1
	echo "$pid"
}

# Dovecot's master of DIR: its command line names DIR/dovecot.conf.
_mail_dovecot_pid() {	# dir
	local pid
	pid=$(_mail_pidfile "$1/dovecot/run/master.pid") || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
	    grep -qF -- "-c $1/dovecot.conf" || return 1
	echo "$pid"
}

# Postfix's master of DIR: it carries MAIL_CONFIG=DIR/postfix.
_mail_postfix_pid() {	# dir
	local pid
	pid=$(_mail_pidfile "$1/spool/pid/master.pid") || return 1
	tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null |
	    grep -qxF "MAIL_CONFIG=$1/postfix" || return 1
	echo "$pid"
}

# Live processes of DIR's servers (both, or only dovecot or postfix):
# Dovecot's name DIR in their titles (instance_name = DIR), Postfix's
# carry MAIL_CONFIG=DIR/postfix.  One grep over all of /proc: NUL ends
# each argument and variable.
mail_pids() {	# dir [dovecot|postfix]
	local re f p st
	re=$(printf '%s' "$1" | sed 's/[.]/\\./g')
	{
		[ "${2:-postfix}" != postfix ] ||
		    grep -l -s -z -x -F "MAIL_CONFIG=$1/postfix" \
		    /proc/[0-9]*/environ
		[ "${2:-dovecot}" != dovecot ] ||
		    grep -l -s -z -E "^(dovecot-$re/|$re/dovecot[.]conf$)" \
		    /proc/[0-9]*/cmdline
	} 2>/dev/null | while IFS= read -r f; do
		p=${f#/proc/}
		p=${p%%/*}
		st=$(sed -E 's/^[0-9]+ \(.*\) (.).*/\1/' "/proc/$p/stat" \
		    2>/dev/null) || continue
		[ "$st" != Z ] && echo "$p"
	done | sort -n -u
	return 0
}

# Ends what a killed master left of one server (its children hold the
# listening sockets for a moment).
_mail_reap() {	# dir dovecot|postfix
	local pids p i
	for i in $(seq 10); do
		pids=$(mail_pids "$1" "$2")
		[ -n "$pids" ] || return 0
		# Half a second to end on their own, then asked to.
		[ "$i" -lt 5 ] || for p in $pids; do
			kill -TERM "$p" 2>/dev/null || true
		done
		sleep 0.1
	done
	for p in $pids; do
		kill -KILL "$p" 2>/dev/null || true
	done
	return 0
}

# Waits up to N tenths of a second for PID to end (a zombie has).
_mail_gone() {	# pid tenths
	local st
	for _ in $(seq "$2"); do
		st=$(sed -E 's/^[0-9]+ \(.*\) (.).*/\1/' "/proc/$1/stat" \
		    2>/dev/null) || return 0
		[ "$st" != Z ] || return 0
		sleep 0.1
	done
	return 1
}

# Waits up to N tenths of a second for a greeting starting with WORD
# on PORT (the server answers, not only its socket).
_mail_greets() {	# port word tenths
	local line
	for _ in $(seq "$3"); do
		line=
		if exec 9<>"/dev/tcp/127.0.0.1/$1"; then
			IFS= read -r -t 2 line <&9 || true
			exec 9<&-
		fi 2>/dev/null
		[[ $line == "$2"* ]] && return 0
		sleep 0.1
	done
	return 1
}

_mail_start_dovecot() {	# dir
	local dir=$1 conf=$1/dovecot.conf pid p
	if pid=$(_mail_dovecot_pid "$dir"); then
		if [ "$dir/config.stamp" -nt "$dir/dovecot/run/master.pid" ]; then
			echo "mail: restarting dovecot (pid $pid): new config"
			_mail_stop_dovecot "$dir" || return 1
		else
			echo "mail: dovecot already running (pid $pid)"
			return 0
		fi
	fi
	_mail_reap "$dir" dovecot
	# A crash leaves the pid (a zombie may still hold it); an older
	# config the penalty socket (see dovecot.conf.in).
	rm -f "$dir/dovecot/run/master.pid" \
	    "$dir/dovecot/run/anvil-auth-penalty"
	for p in "$mail_imap_port" "$mail_lmtp_port"; do
		! _mail_listening "$p" ||
		    _mail_err "port $p is taken by another program" || return 3
	done
	if ! dovecot -c "$conf" >"$dir/log/dovecot-start.txt" 2>&1; then
		_mail_err "dovecot did not start: $(tail -n 5 \
		    "$dir/log/dovecot-start.txt" "$dir/log/dovecot.log" 2>/dev/null)"
		# A port taken since it was chosen: mail_up tries others.
		grep -q 'Address already in use' "$dir/log/dovecot-start.txt" \
		    2>/dev/null && return 3
		return 1
	fi
	if ! _mail_greets "$mail_imap_port" '* OK' 100 ||
	    ! _mail_greets "$mail_lmtp_port" 220 50; then
		_mail_err "dovecot does not answer on $mail_imap_port and" \
		    "$mail_lmtp_port: $(tail -n 5 "$dir/log/dovecot.log")"
		return 1
	fi
	echo "mail: dovecot started (pid $(_mail_dovecot_pid "$dir"))," \
	    "IMAP 127.0.0.1:$mail_imap_port, LMTP 127.0.0.1:$mail_lmtp_port"
}

_mail_start_postfix() {	# dir
	local dir=$1 pf=$1/postfix pid pidf=$1/spool/pid/master.pid
	if pid=$(_mail_postfix_pid "$dir"); then
		if [ "$dir/config.stamp" -nt "$pidf" ]; then
			echo "mail: restarting postfix (pid $pid): new config"
			_mail_stop_postfix "$dir" || return 1
		else
			echo "mail: postfix already running (pid $pid)"
			return 0
		fi
	fi
	_mail_reap "$dir" postfix
	! _mail_listening "$mail_smtp_port" ||
	    _mail_err "port $mail_smtp_port is taken by another program" ||
	    return 3
	# It prints its complaints only to a terminal: they are in its log.
	if ! postfix -c "$pf" start >"$dir/log/postfix-start.txt" 2>&1; then
		_mail_err "postfix did not start: $(tail -n 5 \
		    "$dir/log/postfix-start.txt" "$dir/log/postfix.log" 2>/dev/null)"
		return 1
	fi
	if ! _mail_greets "$mail_smtp_port" 220 100; then
		_mail_err "postfix does not answer on $mail_smtp_port:" \
		    "$(tail -n 5 "$dir/log/postfix.log" 2>/dev/null)"
		return 1
	fi
	echo "mail: postfix started (pid $(_mail_postfix_pid "$dir"))," \
	    "SMTP 127.0.0.1:$mail_smtp_port"
}

# Dovecot first: Postfix delivers into it.  Or only one of them (the
# fault tests stop and start one).  Returns 3 if a port was taken by
# another program.
mail_start() {	# dir [dovecot|postfix]
	mail_load "$1" || return 1
	case ${2:-both} in
	dovecot) _mail_start_dovecot "$1" ;;
	postfix) _mail_start_postfix "$1" ;;
	both) _mail_start_dovecot "$1" && _mail_start_postfix "$1" ;;
	*) _mail_err "mail_start DIR [dovecot|postfix]" ;;
	esac
}

# Ends a server's master: TERM, then KILL if it is still there after
# 10 s.  What postfix stop and dovecot -c CONF stop do, without their
# seconds of sleep and polling.
_mail_end() {	# name pid
	kill -TERM "$2" 2>/dev/null || true
	if ! _mail_gone "$2" 100; then
		echo "mail: $1 (pid $2) still running after 10 s; killing it"
		kill -KILL "$2" 2>/dev/null || true
		_mail_gone "$2" 20 || true
	fi
	echo "mail: $1 stopped (pid $2)"
}

_mail_stop_postfix() {	# dir
	local pid
	pid=$(_mail_postfix_pid "$1") || return 0
	_mail_end postfix "$pid"
}

_mail_stop_dovecot() {	# dir
	local pid
	pid=$(_mail_dovecot_pid "$1") || return 0
	_mail_end dovecot "$pid"
}

# Postfix first (it would queue what Dovecot no longer takes), then
# Dovecot; then whatever a crash left (children outlive a killed master
# for a moment).
mail_stop() {	# dir [dovecot|postfix]
	local pids p
	[ -d "$1" ] || return 0
	case ${2:-both} in
	dovecot | postfix)
		"_mail_stop_$2" "$1"
		_mail_reap "$1" "$2"
		return 0
		;;
	both) ;;
	*) _mail_err "mail_stop DIR [dovecot|postfix]" || return 1 ;;
	esac
	_mail_stop_postfix "$1"
	_mail_stop_dovecot "$1"
	for _ in $(seq 20); do
		pids=$(mail_pids "$1")
		[ -n "$pids" ] || return 0
		sleep 0.1
	done
	echo "mail: ending leftover processes ${pids//$'\n'/ }"
	for p in $pids; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for _ in $(seq 10); do
		pids=$(mail_pids "$1")
		[ -n "$pids" ] || return 0
		sleep 0.1
	done
	for p in $pids; do
		kill -KILL "$p" 2>/dev/null || true
	done
	return 0
}

# Cuts IMAP sessions of DIR (of USER only, if given) as a network fault
# would: their processes are killed (SIGKILL; TERM says BYE first).
# Prints how many.
mail_drop_imap() {	# dir [user] [signal]
	local p n=0 title want="dovecot-$1/imap ["
	[ -z "${2:-}" ] || want+="${2,,} "
	for p in $(mail_pids "$1" dovecot); do
		title=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) || continue
		[[ $title == "$want"* ]] || continue
		kill "-${3:-KILL}" "$p" 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}

mail_status() {	# dir
	local pid rc=0
	mail_load "$1" 2>/dev/null || true
	if pid=$(_mail_dovecot_pid "$1"); then
		echo "dovecot: running (pid $pid), IMAP 127.0.0.1:$mail_imap_port," \
		    "LMTP 127.0.0.1:$mail_lmtp_port"
	else
		echo "dovecot: stopped"
		rc=1
	fi
	if pid=$(_mail_postfix_pid "$1"); then
		echo "postfix: running (pid $pid), SMTP 127.0.0.1:$mail_smtp_port"
	else
		echo "postfix: stopped"
		rc=1
	fi
	return $rc
}

# For the tests: DIR set up on free ports, with the extra USERs (test
# addresses at aim.test), and started; tries other ports if one was
# taken meanwhile.  Sets mail_dir and the mail_*_port variables.
mail_up() {	# dir [user...]
	local dir=$1 imap smtp lmtp u rc
	shift
	for _ in 1 2 3; do
		imap=$(mail_free_port) && smtp=$(mail_free_port) &&
		    lmtp=$(mail_free_port) || return 1
		[ "$imap" != "$smtp" ] && [ "$imap" != "$lmtp" ] &&
		    [ "$smtp" != "$lmtp" ] || continue
		mail_setup "$dir" "$imap" "$smtp" "$lmtp" || return 1
		for u in "$@"; do
			mail_user_add "$dir" "$u" || return 1
		done
		mail_start "$dir"
		rc=$?
		[ "$rc" -eq 0 ] && return 0
		mail_stop "$dir" >/dev/null 2>&1
		[ "$rc" -eq 3 ] || return 1
	done
	return 1
}

# Mail through the instance's SMTP server: swaks with its own options
# (--to, --from, --header "Subject: ...", --body, --attach @FILE ...).
# Quiet unless it fails.
send_mail() {	# swaks-args...
	[ -n "${mail_smtp_port:-}" ] || _mail_err "no instance (mail_load DIR)" ||
	    return 1
	local out rc=0
	out=$(swaks --server "127.0.0.1:$mail_smtp_port" --helo client.test \
	    --from "${MAIL_FROM:-sender@client.test}" "$@" 2>&1) || rc=$?
	if [ "$rc" -ne 0 ]; then
		printf '%s\n' "$out" >&2
	fi
	return $rc
}

# A whole message from FILE (headers and all, as written; LF is sent
# as CR LF) to RCPT, e.g. a corpus .eml.  MAIL_FROM sets the envelope
# sender (default sender@client.test).
send_raw() {	# rcpt file
	[ -f "$2" ] || _mail_err "no file $2" || return 1
	send_mail --to "$1" --data "@$2"
}

# One IMAP command as USER (curl: LOGIN, SELECT MAILBOX if given, the
# command); its untagged answers on stdout.
imap_cmd() {	# user command [mailbox]
	local pw url
	pw=$(mail_password "$mail_dir" "$1") || return 1
	url=imap://127.0.0.1:$mail_imap_port/${3:-}
	curl -s -S --max-time 20 --user "$1:$pw" "$url" -X "$2"
}

# The UIDs of MAILBOX (INBOX), ascending, one a line.
imap_uids() {	# user [mailbox]
	local out
	out=$(imap_cmd "$1" 'UID SEARCH ALL' "${2:-INBOX}") || return 1
	tr -d '\r' <<<"$out" | sed -n 's/^\* SEARCH//p' | tr ' ' '\n' |
	    grep -E '^[0-9]+$' | sort -n
}

# Every message of MAILBOX (INBOX), raw (CR LF as LF), each after a
# line "=== UID n", in one IMAP session of bash's own: LOGIN, SELECT,
# UID FETCH 1:* BODY.PEEK[] (curl's fetch would set \Seen), LOGOUT.
imap_fetch_all() {	# user [mailbox]
	local LC_ALL=C box=${2:-INBOX} pw fd line n u rc=1
	pw=$(mail_password "$mail_dir" "$1") || return 1
	exec {fd}<>"/dev/tcp/127.0.0.1/$mail_imap_port" || return 1
	# Commands may be pipelined; each answers in turn.
	printf 'a LOGIN "%s" "%s"\r\nb SELECT "%s"\r\n%s\r\nd LOGOUT\r\n' \
	    "$1" "$pw" "$box" 'c UID FETCH 1:* (UID BODY.PEEK[])' >&"$fd"
	while IFS= read -r -t 20 line <&"$fd"; do
		line=${line%$'\r'}
		if [[ $line =~ ^\*\ [0-9]+\ FETCH\ \(.*UID\ ([0-9]+).*\{([0-9]+)\}$ ]]
		then
			u=${BASH_REMATCH[1]} n=${BASH_REMATCH[2]}
			echo "=== UID $u"
			# GNU head reads no byte past N (bash's read takes a
			# byte per system call: minutes for a 25 MB message).
			timeout 120 head -c "$n" <&"$fd" | tr -d '\r' || break
			echo
		elif [[ $line =~ ^[abc]\ (NO|BAD) ]]; then
			echo "mail: IMAP: $line" >&2
			break
		elif [[ $line == 'c OK'* ]]; then
			rc=0
		elif [[ $line == 'd OK'* ]]; then
			break
		fi
	done
	exec {fd}<&-
	return $rc
}

# "UID<TAB>Subject" per message of MAILBOX (INBOX); the subject as
# written (RFC 2047 words undecoded, folded lines joined).
imap_subjects() {	# user [mailbox]
	imap_fetch_all "$@" | awk '
	/^=== UID [0-9]+$/ { uid = $3; inhdr = 1; subj = ""; insubj = 0; next }
	!inhdr { next }
	/^$/ { print uid "\t" subj; inhdr = 0; next }
	insubj && /^[ \t]/ { sub(/^[ \t]+/, " "); subj = subj $0; next }
	{ insubj = 0 }
	tolower($0) ~ /^subject:/ { subj = substr($0, 9); sub(/^[ \t]+/, "", subj);
	    insubj = 1 }'
}

# Waits until PREDICATE (a shell command; imap_fetch_all's output on its
# stdin) succeeds; e.g. wait_for_mail filer@aim.test \
#   'grep -q "^Subject: License issued"' 10
wait_for_mail() {	# user predicate [seconds] [mailbox]
	local now=${EPOCHREALTIME/./} end out
	end=$((now + ${3:-10} * 1000000))
	while :; do
		out=$(imap_fetch_all "$1" "${4:-INBOX}" 2>/dev/null) || out=
		# Not a pipe: grep -q quitting early would fail the writer
		# under pipefail.
		if eval "$2" <<<"$out"; then
			return 0
		fi
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		sleep 0.2
	done
}
