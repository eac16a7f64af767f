# A private instance of the site (nginx + aim-gateway, scripts/up
# --services) in its own folder on a free port, with a database holding
# verified filer accounts and API tokens.  Sourced by tests/web/run.sh
# and bench/web, which must stay in the repository root.
#
# inst_db DIR            ./aimctl init + two accounts + tokens; sets
#                        inst_email1/2, inst_password1/2, inst_token1/2,
#                        inst_revoked (a revoked token of account 1)
# inst_up DIR GATEWAY    starts the site on a free port; sets inst_port
# inst_down DIR          stops it (idempotent)
# Each returns non-zero with a reason in DIR/log/setup.txt or up.txt.

# A port from 20000-40000 that nobody listens on.
inst_free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20001))
		if node -e '
		    const s = require("net").createServer();
		    s.once("error", () => process.exit(1));
		    s.listen(+process.argv[1], "127.0.0.1",
			() => s.close(() => process.exit(0)));' "$p" 2>/dev/null
		then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# Two verified filers of two companies (the second owns "another
# company's license" in the tests), a token each.
inst_db() {	# dir
	local dir=$1 db=$1/aim.db log=$1/log/setup.txt
	mkdir -p "$dir/log"
	./aimctl --db "$db" init >"$log" 2>&1 || return 1
	inst_email1=filer1@web.test
	inst_password1=Web-Filer-One-2026
	inst_email2=filer2@web.test
	inst_password2=Web-Filer-Two-2026
	_inst_account "$db" "$inst_email1" "$inst_password1" \
	    "Web Test Metals LLC" 98-7654321 "Terry Tester" >>"$log" 2>&1 ||
	    return 1
	_inst_account "$db" "$inst_email2" "$inst_password2" \
	    "Other Steel Imports Inc" 98-7654322 "Olive Other" >>"$log" 2>&1 ||
	    return 1
	inst_token1=$(_inst_token "$db" "$inst_email1" web-tests 2>>"$log")
	inst_token2=$(_inst_token "$db" "$inst_email2" web-tests 2>>"$log")
	# aimctl has no revoke command (My Account has): revoke this one in
	# the database itself.
	inst_revoked=$(_inst_token "$db" "$inst_email1" web-tests-revoked \
	    2>>"$log")
	if [ -n "$inst_revoked" ] && ! sqlite3 "$db" "UPDATE api_token SET
	    revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE name =
	    'web-tests-revoked'" >>"$log" 2>&1; then
		inst_revoked=
	fi
	[ -n "$inst_token1" ] && [ -n "$inst_token2" ] && [ -n "$inst_revoked" ]
}

_inst_account() {	# db email password company ein contact
	printf '%s\n' "$3" | ./aimctl --db "$1" account add --email "$2" \
	    --company "$4" --ein "$5" \
	    --address "400 Commerce Way, Toledo, OH 43604" \
	    --phone "419-555-0100" --contact "$6" --password-stdin
}

_inst_token() {	# db email name
	./aimctl --db "$1" token add --account "$2" --name "$3" |
	    grep -o -E 'aim_[A-Za-z0-9_-]{43}' | head -n 1
}

# The site, on another port if the chosen one was taken meanwhile.
inst_up() {	# dir gateway
	local p
	inst_port=
	for _ in 1 2 3; do
		p=$(inst_free_port) || return 1
		if AIM_VAR=$1 AIM_HTTP_PORT=$p AIM_GATEWAY=$2 \
		    bash scripts/up --services >"$1/log/up.txt" 2>&1; then
			inst_port=$p
			return 0
		fi
		AIM_VAR=$1 bash scripts/down >/dev/null 2>&1 || true
	done
	return 1
}

inst_down() {	# dir
	AIM_VAR=$1 bash scripts/down >/dev/null 2>&1 || true
}
