#!/usr/bin/env bash
# Makes the PDF golden files of tests/forms/good and tests/forms/bad:
# the forms `aimctl form pdf` generates, filled by pdftk (XFDF with
# UTF-8 values, FDF with UTF-16BE strings) and then changed by qpdf
# (PDFDocEncoding and object streams, passwords), flattened, cut short,
# and a few PDFs that are not our form at all.  The files are kept in
# git, so make check needs neither Java nor pdftk; run this again when
# the form changes (files made from an older form stay good tests: filers
# keep old downloads).  Dates suit golden.sh's --as-of 2026-01-15.
# usage: tests/forms/pdf/make-fixtures.sh    (AIMCTL=path overrides ./aimctl)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
aimctl=${AIMCTL:-$top/aimctl}
good=$here/../good
bad=$here/../bad
for t in pdftk qpdf iconv od; do
	command -v "$t" >/dev/null ||
	    { echo "make-fixtures: $t is missing (scripts/deps)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$aimctl" form pdf --product aluminum >"$tmp/aluminum.pdf"
"$aimctl" form pdf --product steel >"$tmp/steel.pdf"

# XFDF: name value pairs on stdin ("name<TAB>value"), UTF-8 kept.
xfdf() {
	local name value
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">\n<fields>\n'
	while IFS=$'\t' read -r name value; do
		value=${value//&/&amp;}
		value=${value//</&lt;}
		printf '<field name="%s"><value>%s</value></field>\n' "$name" "$value"
	done
	printf '</fields>\n</xfdf>\n'
}

# FDF: the same pairs as UTF-16BE hex strings (/V <FEFF...>), the
# product lines as /Kids under "line" and "N" as a viewer writes them.
fdf() {
	local name value hex n f
	printf '%%FDF-1.2\n1 0 obj\n<< /FDF << /Fields [\n'
	while IFS=$'\t' read -r name value; do
		hex=$(printf '%s' "$value" | iconv -f UTF-8 -t UTF-16BE |
		    od -An -tx1 | tr -d ' \n')
		case $name in
		certify) printf '<< /T (certify) /V /%s >>\n' "$value" ;;
		line.*.*)
			n=${name#line.}; f=${n#*.}; n=${n%%.*}
			printf '<< /T (line) /Kids [<< /T (%s) /Kids [<< /T (%s) /V <FEFF%s> >>] >>] >>\n' \
			    "$n" "$f" "$hex" ;;
		*) printf '<< /T (%s) /V <FEFF%s> >>\n' "$name" "$hex" ;;
		esac
	done
	printf '] >> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n'
}

fill() {	# form data-file out
	pdftk "$1" fill_form "$2" output "$3"
}

# The aluminum form of good/aluminum-standard.json, with non-ASCII
# names and a date typed the paper way.
aluminum_values() {
	cat <<'V'
filer_company_name	Harbor Metals Importing LLC
filer_address	12 Pier Road, Long Beach, CA 90802
filer_contact_name	Dana Ortiz
filer_phone	+1 562 555 0100
filer_email	dana@harbor.example
license_type	standard
entry_type	consumption
importer_name	Harbor Metals Importing LLC
exporter_name	Société Nordique d’Aluminium SA
manufacturer_name	Shandong Nanshan Aluminium Co., Ltd. — Łódź branch
country_of_origin	China
country_of_exportation	China
expected_export_date	01/30/2026
expected_import_date	2026-02-27
port_of_entry	Long Beach, CA
line.1.hts_code	7601103000
line.1.customs_value_usd	48250.25
line.1.volume_kg	19500
line.1.country_of_largest_smelt	China
line.1.country_of_second_largest_smelt	Canada
line.1.country_of_most_recent_cast	China
line.2.hts_code	7606123045
line.2.customs_value_usd	12,875.50
line.2.volume_kg	4100.5
line.2.country_of_largest_smelt	China
line.2.country_of_second_largest_smelt	Canada
line.2.country_of_most_recent_cast	Korea, Republic of
V
}

steel_values() {
	cat <<'V'
filer_company_name	Great Lakes Steel Supply Inc.
filer_email	imports@greatlakes.example
license_type	standard
entry_type	consumption
importer_name	Great Lakes Steel Supply Inc.
exporter_name	Hyundai Steel Company (현대제철)
manufacturer_name	Hyundai Steel Company
country_of_origin	Korea, Republic of
country_of_exportation	South Korea
expected_export_date	2026-01-20
expected_import_date	02/18/2026
port_of_entry	Detroit, MI
customs_entry_number	GLS-0045821-3
line.1.hts_code	7208100015
line.1.customs_value_usd	61200.00
line.1.volume_kg	72000
line.1.country_of_melt_and_pour	Korea, Republic of
line.2.hts_code	7306303000
line.2.customs_value_usd	18340.75
line.2.volume_kg	9800
line.2.country_of_melt_and_pour	South Korea
certify	Yes
V
}

# ---- good ----
{ aluminum_values; printf 'certify\tYes\n'; } | xfdf >"$tmp/al.xfdf"
fill "$tmp/aluminum.pdf" "$tmp/al.xfdf" "$good/aluminum-xfdf.pdf"
steel_values | fdf >"$tmp/st.fdf"
fill "$tmp/steel.pdf" "$tmp/st.fdf" "$good/steel-fdf.pdf"
# pdftk writes every value in UTF-16BE; through qpdf's JSON the values
# come back in PDFDocEncoding wherever they fit, in object streams.
qpdf --json-output "$good/aluminum-xfdf.pdf" "$tmp/al.json"
qpdf --json-input --object-streams=generate "$tmp/al.json" \
    "$good/aluminum-pdfdoc-objstm.pdf"
# An owner password alone: any viewer opens it, and so do we.
qpdf --object-streams=generate --encrypt "" owner 256 -- "$good/aluminum-xfdf.pdf" \
    "$good/aluminum-owner-password.pdf"

# ---- bad, with errors on fields ----
aluminum_values | xfdf >"$tmp/nocert.xfdf"
fill "$tmp/aluminum.pdf" "$tmp/nocert.xfdf" "$bad/aluminum-not-certified.pdf"
echo certify >"$bad/aluminum-not-certified.pdf.expect"
# Line 2 left empty, line 3 a steel code: both named as the filer
# numbered them.
{ aluminum_values | grep -v '^line\.2\.'; cat <<'V'
line.3.hts_code	7208100015
line.3.customs_value_usd	1000
line.3.volume_kg	500
line.3.country_of_largest_smelt	China
line.3.country_of_second_largest_smelt	Canada
line.3.country_of_most_recent_cast	China
certify	Yes
V
} | xfdf >"$tmp/gap.xfdf"
fill "$tmp/aluminum.pdf" "$tmp/gap.xfdf" "$bad/aluminum-line-gap.pdf"
printf 'lines[2]\nlines[3].hts_code\n' >"$bad/aluminum-line-gap.pdf.expect"

# ---- bad, refused whole ----
pdftk "$good/aluminum-xfdf.pdf" output "$bad/aluminum-flattened.pdf" flatten
qpdf --object-streams=generate --encrypt user owner 256 -- "$good/aluminum-xfdf.pdf" \
    "$bad/aluminum-password.pdf"
size=$(wc -c <"$good/aluminum-xfdf.pdf")
head -c $((size / 2)) "$good/aluminum-xfdf.pdf" >"$bad/aluminum-truncated.pdf"

# Small PDFs written by hand, objects 1 (the catalog) ... on stdin,
# each ending in a line "%%"; qpdf writes the cross-reference table.
raw() {	# out
	local i=1 line
	{
		printf '%%PDF-1.7\n1 0 obj\n'
		while IFS= read -r line; do
			if [ "$line" = "%%" ]; then
				i=$((i + 1))
				printf 'endobj\n%d 0 obj\n' "$i"
			else
				printf '%s\n' "$line"
			fi
		done
		printf 'null\nendobj\ntrailer\n<< /Root 1 0 R /Size %d >>\n%%%%EOF\n' \
		    $((i + 1))
	} >"$tmp/raw.pdf"
	qpdf --warning-exit-0 --no-warn "$tmp/raw.pdf" "$1"
}
# An XFA form (LiveCycle): the form is XML in /XFA, /Fields is empty.
raw "$bad/xfa-only.pdf" <<'O'
<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R /NeedsRendering true >> >>
%%
<< /Type /Pages /Kids [3 0 R] /Count 1 >>
%%
<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>
%%
<< /Length 67 >> stream
<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>
endstream
%%
O
# Another agency's form.
raw "$bad/not-our-form.pdf" <<'O'
<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R 6 0 R] >> >>
%%
<< /Type /Pages /Kids [3 0 R] /Count 1 >>
%%
<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R 5 0 R 6 0 R] >>
%%
<< /T (applicant_name) /FT /Tx /V (Harbor Metals Importing LLC) /Subtype /Widget /Rect [50 700 300 720] /P 3 0 R >>
%%
<< /T (product) /FT /Tx /V (aluminum) /Subtype /Widget /Rect [50 670 300 690] /P 3 0 R >>
%%
<< /T (signature_date) /FT /Tx /V (01/15/2026) /Subtype /Widget /Rect [50 640 300 660] /P 3 0 R >>
%%
O
# A scan: one page of image, no fields.
raw "$bad/scanned.pdf" <<'O'
<< /Type /Catalog /Pages 2 0 R >>
%%
<< /Type /Pages /Kids [3 0 R] /Count 1 >>
%%
<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>
%%
<< /Length 30 >> stream
q 612 0 0 792 0 0 cm /Im1 Do Q
endstream
%%
<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >> stream
ABCD
endstream
%%
O
for f in aluminum-flattened aluminum-password aluminum-truncated xfa-only \
    not-our-form scanned; do
	echo unreadable >"$bad/$f.pdf.expect"
done
ls -l "$good"/*.pdf "$bad"/*.pdf
