#!/bin/bash
# Bash completion (data/completion/tenxen), driven as bash drives it: COMP_WORDS and COMP_CWORD
# set, the function called, COMPREPLY read. Verbs, options, their values, bootcfg set's keys and
# template names come from the program, so this also proves they follow it.
. tests/lib/cli.sh
export LC_ALL=C
d=$(tmpdir completion)
bc=/usr/share/bash-completion/bash_completion
[ -r "$bc" ] || fail "$bc is missing (make deps installs bash-completion)"
# shellcheck disable=SC1090
. "$bc"
# shellcheck disable=SC1091
. data/completion/tenxen
T=$TENXEN
# comp WORD...: what Tab offers for the last word, sorted, one line
comp() {
	COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMP_LINE="$*" COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_tenxen 2> /dev/null
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
want() { # WANT GOT WHAT
	[ "$2" = "$1" ] || fail "$3: Tab offered \"$2\", expected \"$1\""
}

verbs=$("$T" --help | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
want "$verbs" "$(comp "$T" "")" "the verbs"
want "serial-console" "$(comp "$T" se)" "a verb's start"
want "$verbs" "$(comp "$T" help "")" "help's argument"
want "--config --dev --help --machine --medium --proc --root --sys --version --zoneinfo" "$(comp "$T" --)" "the global options"
# each verb's options: every one its --help prints
for v in $verbs; do
	opts=$("$T" "$v" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ' | sed 's/ $//')
	want "$opts" "$(comp "$T" "$v" --)" "the options of $v"
done
want "--dry-run --port --remove --speed" "$(comp "$T" serial-console --)" "serial-console's options"
# values written a|b|c in the help
want "ttyS0 ttyS1 ttyS2 ttyS3" "$(comp "$T" serial-console --port "")" "serial ports"
want "115200 19200" "$(comp "$T" serial-console --speed 1)" "serial speeds"
want "none" "$(comp "$T" guest create --bridge n)" "a bridge"
# subcommands, and bootcfg set's keys and their values
want "install new refresh set show" "$(comp "$T" bootcfg "")" "bootcfg's subcommands"
want "create templates" "$(comp "$T" guest "")" "guest's subcommands"
want "default= dom0-append= dom0_mem= vpmu= xen-append=" "$(comp "$T" bootcfg set "")" "bootcfg set's keys"
want "" "$(comp "$T" bootcfg set dom0-append=)" "dom0-append takes options: nothing to offer"
want "arch bts ipc off on" "$(comp "$T" bootcfg set dom0_mem=4G vpmu=)" "vpmu's modes"
want "bts" "$(comp "$T" bootcfg set vpmu=b)" "a vpmu mode"
want "" "$(comp "$T" bootcfg set dom0_mem=)" "dom0_mem takes a size: nothing to offer"
# template names: the package's and the host's own, under --root, each once
h=$d/host
mkdir -p "$h/usr/share/tenxen/templates" "$h/etc/tenxen/templates"
cp data/templates/debian-12-pv.tmpl data/templates/hvm-iso.tmpl "$h/usr/share/tenxen/templates/"
cp data/templates/debian-12-pv.tmpl "$h/etc/tenxen/templates/"
printf 'type = hvm\n' > "$h/etc/tenxen/templates/mine.tmpl"
want "debian-12-pv hvm-iso mine" "$(comp "$T" --root "$h" guest create --template "")" "template names"
want "debian-12-pv" "$(comp "$T" --root "$h" guest create --name web1 --template deb)" "a template's start"
# files and folders where the help says FILE and DIR
want "tests/kickstart/converted.expected tests/kickstart/converted.ks" "$(comp "$T" check tests/kickstart/conv)" "a file to check"
want "$h/usr" "$(comp "$T" --root "$h/u")" "a folder for --root"
want "" "$(comp "$T" --root "$h/usr/share/tenxen/templates/hvm")" "no file for --root, which takes a folder"
echo "ok: verbs, options of every verb, values, bootcfg keys and template names complete"
