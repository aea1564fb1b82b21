# SPDX-License-Identifier: GPL-2.0-or-later
# The Markdown of docs/ as a man page, so that a text has one source: make turns
# docs/answer-file.md into tenxen-answers(5) with it. It knows the Markdown these pages use:
# headings, paragraphs, "- " lists, ``` blocks, tables, `code`, **bold** and [text](links).
#   awk -v name=TENXEN-ANSWERS -v section=5 -v title="..." -v version=0.1 -f md2man.awk FILE.md

# Text for roff: backslashes and dashes escaped, inline marks turned into fonts.
function inline(s,    out, i, n, parts) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	# links: [text](target) keeps the text
	while (match(s, /\[[^]]*\]\([^)]*\)/)) {
		n = substr(s, RSTART + 1, RLENGTH - 1)
		sub(/\]\(.*/, "", n)
		s = substr(s, 1, RSTART - 1) n substr(s, RSTART + RLENGTH)
	}
	# `code` and **bold** are bold
	out = ""
	n = split(s, parts, "`")
	for (i = 1; i <= n; i++)
		out = out (i % 2 == 0 ? "\\fB" parts[i] "\\fR" : parts[i])
	while (match(out, /\*\*[^*]+\*\*/))
		out = substr(out, 1, RSTART - 1) "\\fB" substr(out, RSTART + 2, RLENGTH - 4) "\\fR" \
		      substr(out, RSTART + RLENGTH)
	return out
}

# A line of text never starts with a control character.
function line(s) {
	if (s ~ /^[.']/)
		s = "\\&" s
	print s
}

function cells(s, arr,    n, i) {
	sub(/^[ \t]*\|/, "", s)
	sub(/\|[ \t]*$/, "", s)
	n = split(s, arr, "|")
	for (i = 1; i <= n; i++) {
		sub(/^[ \t]+/, "", arr[i])
		sub(/[ \t]+$/, "", arr[i])
	}
	return n
}

function end_table(    i, j, fmt) {
	if (!ntable)
		return
	print ".TS"
	print "tab(\t);"
	fmt = ""
	for (j = 1; j <= ncols; j++)
		fmt = fmt (j > 1 ? " " : "") "lb"
	print fmt
	fmt = ""
	for (j = 1; j <= ncols; j++)
		fmt = fmt (j > 1 ? " " : "") (j == ncols ? "lx" : "l")
	print fmt "."
	for (i = 1; i <= ntable; i++) {
		for (j = 1; j <= ncols; j++) {
			printf "%sT{\n", (j > 1 ? "\t" : "")
			line(inline(table[i, j]))
			printf "T}"
		}
		printf "\n"
		if (i == 1)
			print "_"
	}
	print ".TE"
	ntable = 0
}

BEGIN {
	print "'\\\" t"
	printf ".TH %s %s \"2026\" \"Tenxen %s\" \"File Formats\"\n", name, section, version
	print ".nh"
	print ".ad l"
	print ".SH NAME"
	line(inline(title))
	code = 0
	ntable = 0
	list = 0
}

# the page's own title is the NAME above
NR == 1 && /^# / { next }

code {
	if (/^```/) {
		print ".fi"
		print ".RE"
		code = 0
		next
	}
	s = $0
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	line(s)
	next
}

/^```/ {
	end_table()
	print ".PP"
	print ".RS 4"
	print ".nf"
	code = 1
	next
}

/^\|/ {
	if (/^\|[ \t]*---/)
		next
	ntable++
	ncols = cells($0, row)
	for (j = 1; j <= ncols; j++)
		table[ntable, j] = row[j]
	next
}

{ end_table() }

/^## / {
	s = substr($0, 4)
	print ".SH"
	line(inline(toupper(s)))
	list = 0
	next
}

/^### / {
	print ".SS"
	line(inline(substr($0, 5)))
	list = 0
	next
}

/^[ \t]*$/ {
	list = 0
	para = 1
	next
}

/^- / {
	print ".IP \\(bu 2"
	line(inline(substr($0, 3)))
	list = 1
	para = 0
	next
}

{
	s = $0
	if (list)
		sub(/^[ \t]+/, "", s)
	else if (para)
		print ".PP"
	para = 0
	line(inline(s))
}

END { end_table() }
