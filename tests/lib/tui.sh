# Helpers for the installer-screen tests: tenxen install --interactive --dry-run runs in a tmux
# session of 80x24 against a recorded machine; a test waits for each screen by its title before
# it sends keys, as a person would, and ends by comparing the answer file the run saved.
. tests/lib/cli.sh
TUI_SESSION=tenxen-tui-$$
# a tmux server of the test's own, in a UTF-8 locale whatever the caller's (the runner sets
# LC_ALL=C), so that the screens' frames read the same everywhere
# (its socket in the run's own folder, removed when the test ends: none is left in /tmp)
TUI_SOCKET=$OUT/$TUI_SESSION.sock
tmux() { LC_ALL=C.UTF-8 command tmux -S "$TUI_SOCKET" "$@"; }
trap 'tmux kill-server 2> /dev/null; rm -f "$TUI_SOCKET"' EXIT
TUI_PROC=$OUT/tui-proc
mkdir -p "$TUI_PROC" && echo "BOOT_IMAGE=/vmlinuz ro quiet" > "$TUI_PROC/cmdline"

# tui_start NAME MACHINE [TERM]: the screens, saving to $TUI_SAVED
tui_start() {
	TUI_SAVED=$OUT/tui-$1.ks
	TUI_SCREEN=$OUT/tui-$1.screen
	rm -f "$TUI_SAVED"
	tmux kill-server 2> /dev/null
	tmux new-session -d -s "$TUI_SESSION" -x 80 -y 24 \
		"TERM=${3:-screen} ASAN_OPTIONS='$ASAN_OPTIONS' UBSAN_OPTIONS='${UBSAN_OPTIONS:-}' $PWD/$TENXEN --proc $TUI_PROC --machine tests/machines/$2.json install --interactive --dry-run --save-answers $TUI_SAVED 2> $OUT/tui-$1.err; echo TUI-EXIT=\$?; sleep 300" ||
		fail "cannot start tmux"
}
tui_capture() { tmux capture-pane -t "$TUI_SESSION" -p > "$TUI_SCREEN"; }
# wait_for TEXT: until the screen shows TEXT (10 s); text wrapped in a window counts, its
# lines joined
wait_for() {
	local i
	for i in $(seq 1 100); do
		tui_capture
		grep -qF -- "$1" "$TUI_SCREEN" && return 0
		sed 's/│//g' "$TUI_SCREEN" | tr -s ' \n' '  ' | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	cat "$TUI_SCREEN"
	fail "the screen never showed: $1"
}
# screen TITLE: the window titled TITLE is up (its frame drawn with line-drawing characters, or
# with the VT100 ones a terminal without them shows as letters)
screen() {
	local i
	for i in $(seq 1 100); do
		tui_capture
		grep -qE -- "(┤|u) $1 (├|t)" "$TUI_SCREEN" && { sleep 0.2; return 0; }
		sleep 0.1
	done
	cat "$TUI_SCREEN"
	fail "the screen never showed the window $1"
}
keys() { tmux send-keys -t "$TUI_SESSION" "$@"; sleep 0.2; }
type_text() { tmux send-keys -t "$TUI_SESSION" -l "$1"; sleep 0.2; }
# retype TEXT: replace what the focused entry holds (^A goes to its start, ^K erases to its end)
retype() { keys C-a C-k; type_text "$1"; }
# tui_end: the run ended; its exit status is $1
tui_end() {
	wait_for "TUI-EXIT="
	grep -q "TUI-EXIT=${1:-0}" "$TUI_SCREEN" || { cat "${TUI_SAVED%.ks}.err" 2> /dev/null; fail "the run ended with $(grep -o 'TUI-EXIT=[0-9]*' "$TUI_SCREEN")"; }
	tmux kill-server 2> /dev/null
}
# expect_saved EXPECTED: the saved answer file, the password hash aside, is EXPECTED; it checks
# clean; its hash is of PASSWORD ($2), stored only hashed, mode 0600
expect_saved() {
	[ -f "$TUI_SAVED" ] || fail "no answer file was saved"
	[ "$(stat -c %a "$TUI_SAVED")" = 600 ] || fail "the saved answer file is not mode 0600"
	grep -qF -- "$2" "$TUI_SAVED" && fail "the password is in the answer file in clear"
	hash=$(sed -n "s/^rootpw --iscrypted '\(.*\)'$/\1/p" "$TUI_SAVED")
	python3 -W ignore -c 'import crypt,sys; sys.exit(crypt.crypt(sys.argv[1], sys.argv[2]) != sys.argv[2])' "$2" "$hash" ||
		fail "the saved hash is not of the password typed"
	sed "s/^rootpw --iscrypted '.*'$/rootpw --iscrypted 'HASH'/" "$TUI_SAVED" > "$TUI_SAVED.cmp"
	diff -u "$1" "$TUI_SAVED.cmp" || fail "the saved answer file differs from $1"
	"$TENXEN" check "$TUI_SAVED" > "$TUI_SAVED.check" 2>&1 || { cat "$TUI_SAVED.check"; fail "the saved answer file does not check clean"; }
}
# the password screen: the same password twice
password() { screen "Root password"; type_text "$1"; keys Tab; type_text "$1"; keys F12; }
# the summary: yes, then Install
confirm() { screen "Summary"; type_text yes; keys Tab Enter; }
# (In the disks' list the space bar marks or unmarks a disk and moves to the next one.)
