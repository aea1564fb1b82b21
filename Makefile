# Tenxen: make (build), make check (all tests), make deps (Debian packages, as root),
# make install DESTDIR= PREFIX=, make bench, make fuzz, make format.

CC	?= gcc
CLANG	?= clang
PREFIX	?= /usr/local
SYSCONFDIR ?= /etc
# where udev and initramfs-tools look for a package's files, whatever PREFIX is
UDEVRULESDIR ?= /usr/lib/udev/rules.d
INITRAMFSDIR ?= /usr/share/initramfs-tools
DESTDIR	?=
VERSION	:= 0.1
# The Debian release the payload is built from, and the one a plan names when it has no payload
SUITE	?= bookworm

PKGS	:= blkid json-c libparted libcurl libnewt libzstd libcrypto
CFLAGS	?= -O2 -g
FIRMWARE ?= bios
TX_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral \
	     -I. -D_GNU_SOURCE -DTENXEN_VERSION='"$(VERSION)"' -DTENXEN_SUITE='"$(SUITE)"' $(shell pkg-config --cflags $(PKGS))
LIBS	:= $(shell pkg-config --libs $(PKGS)) -lcrypt -pthread
SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The rooms of C code, lowest first (docs/architecture.md says what each may include).
ROOMS	:= common storage machine bootcfg net lang plan guest profiler apply ui cli
SRCS	:= $(foreach d,$(ROOMS),$(wildcard $(d)/*.c))
CORE	:= $(filter-out cli/%.c,$(SRCS))
HDRS	:= $(foreach d,$(ROOMS),$(wildcard $(d)/*.h))

OBJ	:= $(SRCS:%.c=build/obj/%.o)
SANOBJ	:= $(SRCS:%.c=build/san/%.o)
SANCORE	:= $(CORE:%.c=build/san/%.o)
UNITS	:= $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))

# Debian packages the build and the tests need (make deps installs what is missing).
DEB_PACKAGES := build-essential pkg-config clang libclang-rt-14-dev clang-format dnsmasq-base iproute2 \
	libblkid-dev libjson-c-dev libcrypt-dev libparted-dev liblvm2-dev libnewt-dev \
	libcurl4-openssl-dev libssl-dev libzstd-dev e2fsprogs lvm2 parted util-linux fdisk tzdata jq bc qemu-system-x86 extlinux syslinux-common cpio gzip mdadm kmod busybox-static \
	mmdebstrap isolinux pxelinux xorriso zstd tar dpkg-dev debhelper lintian python3 tmux \
	dosfstools mtools efibootmgr ovmf grub-efi-amd64-bin man-db groff-base bash-completion openssh-client

# The guides a host keeps in /usr/share/doc/tenxen (the man pages name them).
GUIDES	:= docs/answer-file.md docs/bootcfg.md docs/guests.md docs/installer.md docs/profiling.md

# The Debian package and what it is built from (make deb, below).
DEB_ARCH := $(shell dpkg-architecture -qDEB_HOST_ARCH 2> /dev/null || echo amd64)
DEB	:= build/deb/tenxen_$(VERSION)_$(DEB_ARCH).deb
DEB_SRCS := Makefile .clang-format $(SRCS) $(HDRS) $(wildcard debian/* debian/source/*) \
	    $(GUIDES) docs/tenxen.8 docs/md2man.awk $(shell find data -type f)

.PHONY: deb man all check check-fast check-run deps install bench fuzz format format-check clean san units env payload iso netboot demo

all: build/tenxen

# make V=1 shows the commands
Q := $(if $(V),,@)

# Each object depends on the headers it includes (-MMD writes them to its .d file), so that a
# changed header rebuilds only what includes it.
DEPFLAGS = -MMD -MP
build/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $@')
	$(Q)$(CC) $(TX_CFLAGS) $(DEPFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/san/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC-SAN  $@')
	$(Q)$(CC) $(TX_CFLAGS) $(DEPFLAGS) -O1 -g $(SAN) -c -o $@ $<

build/tenxen: $(OBJ)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The same program under AddressSanitizer and UBSan: the one the tests run.
build/san/tenxen: $(SANOBJ)
	@$(if $(Q),echo '  LD-SAN  $@')
	$(Q)$(CC) $(SAN) -o $@ $^ $(LIBS)

build/tests/%: tests/unit/%.c tests/unit/unit.h $(SANCORE)
	@mkdir -p $(dir $@) build/deps
	@$(if $(Q),echo '  UNIT    $@')
	$(Q)$(CC) $(TX_CFLAGS) -MMD -MP -MF build/deps/$(@F).d -O1 -g $(SAN) -I. -o $@ $< $(SANCORE) $(LIBS)

san: build/san/tenxen
units: $(UNITS)

# libFuzzer target for the answer-file parser, under ASan and UBSan.
# The core is compiled once for every fuzzer (instrumented for libFuzzer, ASan and UBSan), then
# each target is linked against it.
FUZZ_SRCS := $(filter-out cli/%.c,$(SRCS))
FUZZ_OBJ  := $(FUZZ_SRCS:%.c=build/fuzzobj/%.o)
FUZZ_CFLAGS := $(TX_CFLAGS) -Wno-unused-command-line-argument -O1 -g -fno-sanitize-recover=all -I.
build/fuzzobj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC-FUZZ $@')
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(DEPFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(dir $@) build/deps
	@$(if $(Q),echo '  FUZZ    $@')
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -MMD -MP -MF build/deps/$(@F).d -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(LIBS)

FUZZERS := build/fuzz/fuzz_answers build/fuzz/fuzz_extlinux build/fuzz/fuzz_bootcfg_set \
	   build/fuzz/fuzz_rootfs build/fuzz/fuzz_xencfg build/fuzz/fuzz_lvmmeta \
	   build/fuzz/fuzz_xlcfg build/fuzz/fuzz_manifest
fuzz: $(FUZZERS)

# tenxen-answers(5) is docs/answer-file.md made a man page (one source for the text).
build/man/tenxen-answers.5: docs/answer-file.md docs/md2man.awk
	@mkdir -p $(dir $@)
	$(Q)awk -v name=TENXEN-ANSWERS -v section=5 -v version=$(VERSION) \
		-v title="tenxen-answers - the answer-file language of Tenxen's installer" \
		-f docs/md2man.awk $< > $@.new && mv $@.new $@

man: build/man/tenxen-answers.5

# The installer environment: Debian's kernel and an initramfs with tenxen (iso/build-env.sh).
build/env/initrd.img: build/tenxen iso/build-env.sh iso/init iso/modules iso/lvm.conf iso/debs.sh
	@echo '  ENV     build/env'
	$(Q)iso/build-env.sh build/env build/tenxen

env: build/env/initrd.img

# The payload: the Debian dom0 root and the package-set repository (iso/payload.sh; minutes, and
# rebuilt only when its recipe changes); tenxen itself comes as its Debian package (make deb).
build/payload/root.img.zst: iso/payload.sh iso/root-image.sh iso/layers.sh iso/package-sets data/initramfs/tenxen-degraded-root data/udev/60-tenxen-writeback.rules
	@echo '  PAYLOAD build/payload'
	$(Q)SUITE=$(SUITE) iso/payload.sh build/payload

payload: build/payload/root.img.zst $(DEB)

# The install ISO (iso/build-iso.sh): boots from a CD or a USB stick.
build/tenxen.iso: build/env/initrd.img build/payload/root.img.zst $(DEB) iso/build-iso.sh iso/payload-tree.sh iso/menu.sh iso/payload-sums.sh $(wildcard iso/answers/*.ks)
	@echo '  ISO     $@'
	$(Q)iso/build-iso.sh $@ build/env build/payload $(DEB)

iso: build/tenxen.iso

# The installer over the network (iso/netboot.sh, docs/netboot.md): build/netboot/tftp for a TFTP
# server, build/netboot/http for a web server at NETBOOT_URL (by default this machine's first
# address), which the boot menus name; NETBOOT_REPORT=URL makes every install post its steps there.
NETBOOT_URL ?= http://$(firstword $(shell hostname -I 2> /dev/null) 127.0.0.1)/tenxen/
netboot: build/env/initrd.img build/payload/root.img.zst $(DEB)
	@echo '  NETBOOT build/netboot ($(NETBOOT_URL))'
	$(Q)NETBOOT_REPORT=$(NETBOOT_REPORT) iso/netboot.sh build/netboot build/env build/payload $(DEB) $(NETBOOT_URL)

# Boot the ISO in qemu, install a mirrored host unattended onto two virtual disks, boot it.
# make demo FIRMWARE=uefi does it all under OVMF (UEFI).
demo:
	@$(MAKE) -s deps
	@$(MAKE) build/tenxen.iso
	@FIRMWARE=$(FIRMWARE) iso/demo.sh build/tenxen.iso

# check and demo set up first (make deps), then build with the flags pkg-config now knows
check:
	@$(MAKE) -s deps
	@$(MAKE) check-run

check-run: build/tenxen build/san/tenxen $(UNITS) $(FUZZERS) build/man/tenxen-answers.5 $(DEB) build/env/initrd.img build/tenxen.iso
	@tests/run.sh

# tier 1 alone (unit, expected-output, command-line, screens, fuzzers 5 s each), no ISO: the
# loop of a change, in a few minutes
check-fast:
	@$(MAKE) -s deps
	@$(MAKE) build/tenxen build/san/tenxen $(UNITS) $(FUZZERS) build/man/tenxen-answers.5 $(DEB)
	@tests/run.sh --tier 1

bench: build/tenxen build/tenxen.iso
	@tests/bench.sh

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then \
		echo "deps: all $(words $(DEB_PACKAGES)) packages present"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "deps: missing $$missing; run make deps as root to install them" >&2; exit 1; \
	else \
		echo "deps: installing" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $$missing; \
	fi

install: build/tenxen build/man/tenxen-answers.5
	install -D -m 0755 build/tenxen $(DESTDIR)$(PREFIX)/sbin/tenxen
	install -D -m 0644 docs/tenxen.8 $(DESTDIR)$(PREFIX)/share/man/man8/tenxen.8
	install -D -m 0644 build/man/tenxen-answers.5 $(DESTDIR)$(PREFIX)/share/man/man5/tenxen-answers.5
	install -d $(DESTDIR)$(PREFIX)/share/doc/tenxen
	install -m 0644 $(GUIDES) $(DESTDIR)$(PREFIX)/share/doc/tenxen/
	install -d $(DESTDIR)$(PREFIX)/share/tenxen/templates
	install -m 0644 data/templates/*.tmpl $(DESTDIR)$(PREFIX)/share/tenxen/templates/
	install -D -m 0644 data/completion/tenxen $(DESTDIR)$(PREFIX)/share/bash-completion/completions/tenxen
	install -D -m 0755 data/hooks/kernel-zz-tenxen $(DESTDIR)$(SYSCONFDIR)/kernel/postinst.d/zz-tenxen
	install -D -m 0755 data/hooks/kernel-zz-tenxen $(DESTDIR)$(SYSCONFDIR)/kernel/postrm.d/zz-tenxen
	install -D -m 0644 data/hooks/apt-90tenxen $(DESTDIR)$(SYSCONFDIR)/apt/apt.conf.d/90tenxen
	install -D -m 0755 data/initramfs/tenxen-degraded-root $(DESTDIR)$(INITRAMFSDIR)/scripts/local-block/tenxen-degraded-root
	install -D -m 0644 data/udev/60-tenxen-writeback.rules $(DESTDIR)$(UDEVRULESDIR)/60-tenxen-writeback.rules

# The Debian package (debian/), built by dpkg-buildpackage in a copy of the sources, so that its
# clean step leaves this tree's build/ alone; lintian checks it (tests/cli/deb.sh).
$(DEB): $(DEB_SRCS)
	@echo '  DEB     $@'
	$(Q)rm -rf build/deb && mkdir -p build/deb/tenxen-$(VERSION)
	$(Q)tar -cf - $(DEB_SRCS) | tar -C build/deb/tenxen-$(VERSION) -xf -
	$(Q)cd build/deb/tenxen-$(VERSION) && dpkg-buildpackage -b -us -uc > ../build.log 2>&1 || \
		{ tail -30 ../build.log; echo "make deb: dpkg-buildpackage failed; its log is build/deb/build.log" >&2; exit 1; }

deb: $(DEB)

format:
	clang-format -i $(SRCS) $(HDRS) $(wildcard tests/unit/*.[ch] tests/fuzz/*.c)

format-check:
	@clang-format --dry-run -Werror $(SRCS) $(HDRS) $(wildcard tests/unit/*.[ch] tests/fuzz/*.c)

clean:
	rm -rf build/obj build/san build/tests build/fuzz build/fuzzobj build/deps build/tenxen build/check build/env

# the headers each object was built from (written by -MMD; absent before the first build)
-include $(wildcard build/obj/*/*.d build/san/*/*.d build/fuzzobj/*/*.d build/deps/*.d)
