# What a test leaves behind, undone when its shell exits (passed or failed), through one EXIT
# trap that every helper shares, so that one helper's trap never replaces another's:
#   on_exit CMD [ARGS]   run CMD when the test ends; the last asked runs first
#   scratch FILE...      remove FILE when the test ends (its disk images: an install writes about
#                        1 GiB to each, and a run of tier 3 must fit on a small build machine);
#                        TENXEN_KEEP_DISKS=1 keeps them to look at
if [ -z "${_ON_EXIT_SET:-}" ]; then
	_ON_EXIT_SET=1
	_ON_EXIT=()
	trap _on_exit_run EXIT
fi
on_exit() { _ON_EXIT+=("$(printf '%q ' "$@")"); }
_on_exit_run() {
	local i
	for ((i = ${#_ON_EXIT[@]} - 1; i >= 0; i--)); do eval "${_ON_EXIT[$i]}"; done
	_ON_EXIT=()
}
scratch() { [ "${TENXEN_KEEP_DISKS:-}" = 1 ] || on_exit rm -f "$@"; }
