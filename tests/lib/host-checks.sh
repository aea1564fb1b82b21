# Checks on the build machine after a VM install, for the scenarios' host.sh:
#   attach IMG VAR          a loop device for an image, with its partitions (detached at exit)
#   lvm_on DEV... -- ARGS   lvm reading only these devices (metadata only: no device-mapper here)
set -eu
_loops=()
# partitions partx registers outlive losetup -d on this kernel: always remove them first
_detach_all() {
	local dev
	for dev in "${_loops[@]}"; do
		partx -d "$dev" 2> /dev/null || true
		losetup -d "$dev" 2> /dev/null || true
	done
	_loops=()
}
trap _detach_all EXIT
attach() {
	local _dev
	_dev=$(losetup -f --show "$1")
	_loops+=("$_dev")
	partx -d "$_dev" 2> /dev/null || true
	partx -a "$_dev"
	printf -v "$2" '%s' "$_dev"
}
lvm_on() {
	local filter="" d
	while [ "$1" != -- ]; do filter="$filter\"a|^$1|\","; shift; done
	shift
	LVM_SUPPRESS_FD_WARNINGS=1 lvm "$1" --config "devices{global_filter=[$filter\"r|.*|\"] use_devicesfile=0 obtain_device_list_from_udev=0} global{use_lvmpolld=0}" "${@:2}"
}
