# Checks on the build machine after a VM install, for the scenarios' host.sh:
#   attach IMG VAR      a loop device for an image (detached at exit)
#   lvm_on DEV... -- ARGS   lvm reading only these devices (metadata only: no device-mapper here)
set -eu
loops=()
# partitions partx registers outlive losetup -d on this kernel: always remove them first
trap 'for l in "${loops[@]}"; do partx -d "$l" 2> /dev/null; losetup -d "$l"; done' EXIT
attach() {
	local l
	l=$(losetup -f --show "$1")
	loops+=("$l")
	partx -d "$l" 2> /dev/null
	partx -a "$l"
	printf -v "$2" '%s' "$l"
}
lvm_on() {
	local filter="" d
	while [ "$1" != -- ]; do filter="$filter\"a|^$1|\","; shift; done
	shift
	LVM_SUPPRESS_FD_WARNINGS=1 lvm "$1" --config "devices{global_filter=[$filter\"r|.*|\"] use_devicesfile=0 obtain_device_list_from_udev=0} global{use_lvmpolld=0}" "${@:2}"
}
