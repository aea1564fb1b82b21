# an old GPT with two partitions on disk a
parted -s "$DISK_a" mklabel gpt mkpart old1 1MiB 1000MiB mkpart old2 1000MiB 4000MiB
