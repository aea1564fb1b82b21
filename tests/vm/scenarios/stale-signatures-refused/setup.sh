parted -s "$DISK_b" mklabel gpt mkpart data 1MiB 4000MiB
