# the third disk holds somebody's data
mkfs.ext4 -q -F -L precious "$DISK_c"
