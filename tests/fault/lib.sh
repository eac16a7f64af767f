# Shared by the fault tests (tests/fault/*.test.sh), sourced from the
# repository root: counting, a private site (scripts/instance.sh), and
# filing, correcting and canceling through the API and the web pages
# with curl, each printing the HTTP status it got.

. scripts/instance.sh

. tests/checks.sh

# Ends the suite (finish) unless each command is on the PATH.
need_commands() {	# suite command...
	local suite=$1 c
	shift
	for c in "$@"; do
		command -v "$c" >/dev/null ||
		    { fail "$c is missing (scripts/deps)"; finish "$suite"; }
	done
}

# Ends the suite unless each program is built.
need_built() {	# suite program...
	local suite=$1 p
	shift
	for p in "$@"; do
		[ -x "$p" ] || { fail "not built (make)"; finish "$suite"; }
	done
}

# YYYY-MM-DD, N days from today (UTC, as the gateway counts).
day() { date -u -d "+$1 days" +%F; }

# A valid aluminum application as JSON; VALUE is the customs value.
form_json() {	# importer value
	cat <<JSON
{"product":"aluminum","license_type":"standard","entry_type":"consumption",
 "importer_name":"$1","exporter_name":"Fault Export GmbH",
 "manufacturer_name":"Fault Works","country_of_origin":"Germany",
 "country_of_exportation":"Germany","expected_export_date":"$(day 5)",
 "expected_import_date":"$(day 20)","port_of_entry":"Baltimore, MD",
 "lines":[{"hts_code":"7601103000","customs_value_usd":"$2",
 "volume_kg":"10000","country_of_largest_smelt":"Norway",
 "country_of_second_largest_smelt":"not applicable",
 "country_of_most_recent_cast":"Germany"}]}
JSON
}

# The same application as the web form posts it (urlencoded).
form_url() {	# importer value
	local imp=${1// /+}
	printf '%s' "product=aluminum&license_type=standard" \
	    "&entry_type=consumption&importer_name=$imp" \
	    "&exporter_name=Fault+Export+GmbH&manufacturer_name=Fault+Works" \
	    "&country_of_origin=Germany&country_of_exportation=Germany" \
	    "&expected_export_date=$(day 5)&expected_import_date=$(day 20)" \
	    "&port_of_entry=Baltimore%2C+MD&lines%5B1%5D.hts_code=7601103000" \
	    "&lines%5B1%5D.customs_value_usd=$2&lines%5B1%5D.volume_kg=10000" \
	    "&lines%5B1%5D.country_of_largest_smelt=Norway" \
	    "&lines%5B1%5D.country_of_second_largest_smelt=not+applicable" \
	    "&lines%5B1%5D.country_of_most_recent_cast=Germany&certify=1"
}

# An API call: prints the status; the body in $f_tmp/body, the
# headers in $f_tmp/headers.  curl failing (no answer) prints 000.
api() {	# method path [json]
	local code
	code=$(curl -s --max-time 30 -o "$f_tmp/body" -D "$f_tmp/headers" \
	    -w '%{http_code}' -X "$1" -H "Authorization: Bearer $inst_token1" \
	    ${3:+-H 'Content-Type: application/json' --data-binary "$3"} \
	    "$f_url$2") || code=000
	echo "${code:-000}"
}

# The license number in the last answer's body (API JSON).
body_number() {
	grep -o '"license_number": *"[0-9A-Z]*"' "$f_tmp/body" | head -n 1 |
	    grep -o '[0-9A-Z]\{9\}'
}

# A filer filing through the API without pause until $f_tmp/stop
# appears, at most count times, the customs value from base + 1: one
# line "status number" an answer in $f_tmp/answers.ID (000: no answer).
file_load() {	# id count base
	local i code
	for i in $(seq 1 "$2"); do
		[ -e "$f_tmp/stop" ] && break
		code=$(curl -s --max-time 30 -o "$f_tmp/b.$1" -w '%{http_code}' \
		    -H "Authorization: Bearer $inst_token1" \
		    -H 'Content-Type: application/json' \
		    --data-binary "$(form_json "Web Test Metals LLC" "$(($3 + i)).00")" \
		    "$f_url/api/v1/licenses") || code=000
		echo "$code $(grep -o '"license_number": *"[0-9A-Z]*"' "$f_tmp/b.$1" 2>/dev/null |
		    grep -o '[0-9A-Z]\{9\}')" >>"$f_tmp/answers.$1"
	done
}

# The web: a signed-in filer's cookie jar ($f_tmp/jar) and CSRF token.
web_signin() {
	local page
	rm -f "$f_tmp/jar"
	page=$(curl -s --max-time 30 -c "$f_tmp/jar" "$f_url/signin") ||
	    return 1
	f_csrf=$(grep -o 'name="csrf" value="[0-9a-f]\{64\}"' <<<"$page" |
	    head -n 1 | grep -o '[0-9a-f]\{64\}')
	[ -n "$f_csrf" ] || return 1
	[ "$(curl -s --max-time 30 -b "$f_tmp/jar" -c "$f_tmp/jar" \
	    -o /dev/null -w '%{http_code}' \
	    --data-urlencode "email=$inst_email1" \
	    --data-urlencode "password=$inst_password1" \
	    --data "csrf=$f_csrf" "$f_url/signin")" = 303 ]
}

# A web form post: prints the status; the page in $f_tmp/body, the
# headers (Location) in $f_tmp/headers.
web_post() {	# path [urlencoded]
	local code
	code=$(curl -s --max-time 30 -b "$f_tmp/jar" -c "$f_tmp/jar" \
	    -o "$f_tmp/body" -D "$f_tmp/headers" -w '%{http_code}' \
	    --data "${2:+$2&}csrf=$f_csrf" "$f_url$1") || code=000
	echo "${code:-000}"
}

# The license number a web post was sent on to (/licenses/N?...).
location_number() {
	tr -d '\r' <"$f_tmp/headers" | sed -n 's|^[Ll]ocation: .*/licenses/\([0-9A-Z]\{9\}\).*|\1|p'
}

# Read-only SQL on the instance's database.
sql() {
	sqlite3 -cmd '.timeout 5000' "$f_db" "$1"
}

# What a partial license would leave: prints one line per problem
# (none: every license whole).  Each license has every version up to
# its current one, each version its lines, its history events, the
# email queued with it, and a cancellation both in its status and its
# date; the file is consistent.
partial() {
	sql "SELECT 'integrity: ' || integrity_check FROM pragma_integrity_check
	     WHERE integrity_check <> 'ok';
	   SELECT 'foreign key: ' || \"table\" FROM pragma_foreign_key_check;
	   SELECT 'versions: ' || number FROM license l WHERE l.version <>
	     (SELECT count(*) FROM license_version v WHERE v.license_id = l.id
	     AND v.version BETWEEN 1 AND l.version);
	   SELECT 'no lines: ' || l.number || ' v' || v.version FROM
	     license_version v JOIN license l ON l.id = v.license_id
	     WHERE NOT EXISTS (SELECT 1 FROM license_line x WHERE
	     x.license_id = v.license_id AND x.version = v.version);
	   SELECT 'no event: ' || number FROM license l WHERE NOT EXISTS
	     (SELECT 1 FROM event e WHERE e.license_id = l.id);
	   SELECT 'no email: ' || number FROM license l WHERE NOT EXISTS
	     (SELECT 1 FROM outbox o WHERE o.license_id = l.id);
	   SELECT 'canceled half: ' || number FROM license WHERE
	     (status = 'canceled') <> (canceled_at IS NOT NULL);"
}

# Whether the last answer is the API's 503: JSON "unavailable" with a
# message, and Retry-After.
api_unavailable() {
	grep -q '"error": *"unavailable"' "$f_tmp/body" &&
	    grep -q '"message": *"[^"]\{10,\}"' "$f_tmp/body" &&
	    grep -qi '^Retry-After: ' "$f_tmp/headers"
}

# Whether the last answer is a web page telling the filer that nothing
# was saved and to try again.
web_unavailable() {
	grep -q 'class="usa-alert\|<h1' "$f_tmp/body" &&
	    grep -qiE 'nothing was (stored|lost|changed)|try again' "$f_tmp/body"
}

# The gateway's workers that ended since the suite began (a crash).
crashes() {
	grep -c 'worker .* ended' "$f_var/log/aim-gateway.log" 2>/dev/null ||
	    true
}

# One round of a fault (ARM and DISARM are commands): submit, correct
# and cancel through the API and the web while it lasts each get a 503
# that says so and change nothing; afterwards each works again, and no
# license is partial.  NAME prefixes the tests.
fault_round() {	# name arm-command disarm-command
	local name=$1 arm=$2 disarm=$3 a b n0 va sb code c0 wn
	c0=$(crashes)
	# Two licenses to correct and cancel, filed before the fault.
	[ "$(api POST /api/v1/licenses "$(form_json "Web Test Metals LLC" 1000.00)")" = 201 ] &&
	    a=$(body_number)
	[ "$(api POST /api/v1/licenses "$(form_json "Web Test Metals LLC" 1001.00)")" = 201 ] &&
	    b=$(body_number)
	check "$name: two licenses filed before the fault" test -n "$a" -a -n "$b"
	check "$name: the web filer signs in" web_signin
	n0=$(sql "SELECT count(*) FROM license")
	va=$(sql "SELECT version FROM license WHERE number = '$a'")
	sb=$(sql "SELECT status FROM license WHERE number = '$b'")

	$arm
	code=$(api POST /api/v1/licenses "$(form_json "Web Test Metals LLC" 1002.00)")
	check "$name: API submit answers 503 (got $code)" test "$code" = 503
	check "$name: ... as unavailable, with a message and Retry-After" api_unavailable
	code=$(api PUT "/api/v1/licenses/$a" "$(form_json "Web Test Metals LLC" 1003.00)")
	check "$name: API correct answers 503 (got $code)" test "$code" = 503
	check "$name: ... as unavailable, with a message" api_unavailable
	code=$(api POST "/api/v1/licenses/$b/cancel")
	check "$name: API cancel answers 503 (got $code)" test "$code" = 503
	check "$name: ... as unavailable, with a message" api_unavailable
	code=$(web_post /apply/form "$(form_url "Web Test Metals LLC" 1004.00)")
	check "$name: web submit answers 503 (got $code)" test "$code" = 503
	check "$name: ... with a page saying nothing was stored" web_unavailable
	code=$(web_post "/licenses/$a/edit" "$(form_url "Web Test Metals LLC" 1005.00)")
	check "$name: web correct answers 503 (got $code)" test "$code" = 503
	check "$name: ... with a page saying so" web_unavailable
	code=$(web_post "/licenses/$b/cancel")
	check "$name: web cancel answers 503 (got $code)" test "$code" = 503
	check "$name: ... with a page saying so" web_unavailable
	$disarm

	check "$name: no license was added" \
	    test "$(sql "SELECT count(*) FROM license")" = "$n0"
	check "$name: the corrected license kept its version" \
	    test "$(sql "SELECT version FROM license WHERE number = '$a'")" = "$va"
	check "$name: the canceled license kept its status" \
	    test "$(sql "SELECT status FROM license WHERE number = '$b'")" = "$sb"
	check "$name: no partial license, the file consistent" \
	    test -z "$(partial)"
	check "$name: no worker crashed" test "$(crashes)" = "$c0"

	# Afterwards: each works at once.
	check "$name: then API submit works" \
	    test "$(api POST /api/v1/licenses "$(form_json "Web Test Metals LLC" 1006.00)")" = 201
	check "$name: then API correct works" \
	    test "$(api PUT "/api/v1/licenses/$a" "$(form_json "Web Test Metals LLC" 1007.00)")" = 200
	check "$name: ... version $((va + 1))" \
	    test "$(sql "SELECT version FROM license WHERE number = '$a'")" = $((va + 1))
	check "$name: then API cancel works" \
	    test "$(api POST "/api/v1/licenses/$b/cancel")" = 200
	check "$name: then web submit works" \
	    test "$(web_post /apply/form "$(form_url "Web Test Metals LLC" 1008.00)")" = 303
	wn=$(location_number)
	check "$name: then web correct works" \
	    test "$(web_post "/licenses/$wn/edit" "$(form_url "Web Test Metals LLC" 1009.00)")" = 303
	check "$name: then web cancel works" \
	    test "$(web_post "/licenses/$wn/cancel")" = 303
	check "$name: two licenses more, all whole" bash -c "
	    test \"\$1\" = $((n0 + 2)) && test -z \"\$2\"" _ \
	    "$(sql "SELECT count(*) FROM license")" "$(partial)"
}
