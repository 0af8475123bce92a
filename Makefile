# SPDX-License-Identifier: GPL-2.0
#
# seccomp-pin top-level Makefile.
#   make modules [KDIR=...]   build module/seccomp_pin.ko (what DKMS runs)
#   make lib                  user library (userspace/)
#   make check                host unit tests + module tests in QEMU VMs
#   make check-runtimes       the agent under Debian's runc and crun in the VMs
#   make check-bindings       the Go and Rust bindings: layout on the host
#                             (check-bindings-host), the race in the VMs
#   make check-matrix         the same on every kernel of tests/vm/kernels.conf
#   make demo                 the race, with and without pinning, in a VM
#   make install              library, headers, pkg-config file, tools, man pages
#                             (PREFIX=/usr/local DESTDIR= LIBDIR= INCLUDEDIR= BINDIR= MANDIR=)
#   make check-packaging      Debian packages, DKMS and install test (packaging/)
#   make check-debug          the VM suites on a KASAN/lockdep/kmemleak build of
#                             Debian's 6.12 (built once, ~25 min; cached after)

KDIR ?= /lib/modules/$(shell uname -r)/build
VM_KERNELS ?= 6.1 6.12

.PHONY: all modules modules_clean lib unit guest check check-vm demo clean

all: modules lib

# The top-level Kbuild descends into module/: the same build DKMS runs
# (dkms.conf), and what "make -C $(KDIR) M=$PWD" at the top does.
modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Cleaning from the top would make kbuild delete every *.o, *.a, *.ko of
# the tree (userspace/build, tests/*/build...): only module/'s, then the
# two files the top-level build leaves.
modules_clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module clean
	rm -f Module.symvers modules.order .Module.symvers.cmd .modules.order.cmd \
		.module-common.o ..module-common.o.cmd

lib:
	$(MAKE) -C userspace

unit:
	$(MAKE) -C tests/unit check

guest:
	$(MAKE) -C tests/guest

check-vm: guest
	tests/vm/run-vm-tests $(addprefix --kernel ,$(VM_KERNELS))

# setup-host.sh installs (apt) whatever the host lacks: gcc, cmocka,
# QEMU, busybox; the harness fetches the kernels itself.
check:
	tests/vm/setup-host.sh
	$(MAKE) unit
	$(MAKE) check-bindings-host
	$(MAKE) guest
	tests/vm/selftest-harness
	tests/vm/run-vm-tests $(addprefix --kernel ,$(VM_KERNELS))
	tests/tools/run-tools-tests $(addprefix --kernel ,$(VM_KERNELS))
	tests/runtimes/run-runtime-tests $(addprefix --kernel ,$(VM_KERNELS))
	tests/bindings/run-bindings-tests $(addprefix --kernel ,$(VM_KERNELS))

# Every kernel of tests/vm/kernels.conf (Debian 5.10, 6.1, 6.1-rt, 6.12,
# 7.x), all guest suites on each; MATRIX_KERNELS="5.10 7.x" narrows it.
# The 5.10 and 7.x kernels are built in debootstrap chroots of their suites
# (bullseye's gcc-10, trixie's glibc and gcc-14), made on the first run and
# cached under /var/cache/seccomp-pin/chroots (README.md, "Kernel support").
MATRIX_KERNELS ?=
MATRIX_BUILD_DIR ?= build/matrix-vm

check-matrix:
	tests/vm/setup-host.sh
	$(MAKE) unit
	$(MAKE) guest
	tests/vm/run-vm-tests --build-dir $(MATRIX_BUILD_DIR) \
		$(addprefix --kernel ,$(MATRIX_KERNELS))

.PHONY: check-matrix

# The module on a debug build of Debian's 6.12 source (KASAN, KFENCE,
# UBSAN, lockdep, DEBUG_LIST, DEBUG_OBJECTS, kmemleak, fault injection):
# every guest suite, the fuzzer, a failslab pass, kmemleak scans. The
# kernel is built on the first run (tests/vm/debug-kernel/, about 25 min
# on 2 cores) and cached under /var/cache/seccomp-pin/debug-kernel.
# CHECK_DEBUG_ARGS=--cached-only skips (SKIPPED line, status 0) instead of
# building the kernel when it is not cached: what CI can afford.
CHECK_DEBUG_ARGS ?=
.PHONY: check-debug
check-debug:
	tests/vm/setup-host.sh
	$(MAKE) guest
	tests/vm/run-debug $(CHECK_DEBUG_ARGS)

demo:
	tests/vm/run-demo

bench:
	tests/bench/run-bench

# Where a round trip's kernel time goes (function_graph; not a benchmark).
.PHONY: bench-profile
bench-profile:
	tests/bench/run-profile

# The seccomp-pin tool (status, run, agent): host unit tests, then its
# suites in the QEMU VMs (tests/tools/run-tools-tests).
.PHONY: check-tools
check-tools:
	tests/tools/run-tools-tests

# The Go and Rust bindings (bindings/): on the host, every struct, field,
# ioctl number and constant against include/seccomp_pin.h, and the
# snapshot accessors; in the VMs, each binding's example supervisor runs
# the openat race (tests/bindings/run-bindings-tests).
.PHONY: check-bindings-host check-bindings
check-bindings-host:
	$(MAKE) -C bindings check-host

check-bindings: check-bindings-host
	tests/bindings/run-bindings-tests $(addprefix --kernel ,$(VM_KERNELS))

# "seccomp-pin agent" supervising containers of Debian 12's runc and crun
# (fetched into the cache, never installed) in the QEMU VMs.
.PHONY: check-runtimes
check-runtimes:
	tests/runtimes/run-runtime-tests $(addprefix --kernel ,$(VM_KERNELS))

clean:
	-$(MAKE) -C userspace clean
	-$(MAKE) -C tests/unit clean
	-$(MAKE) -C tests/guest clean
	-$(MAKE) -C bindings clean
	rm -rf build
	rm -f module/*.o module/sites/*.o module/*.ko module/*.mod* \
		module/.*.cmd module/sites/.*.cmd module/Module.symvers \
		module/modules.order module/compat-generated.h* \
		module/probe-*.log Module.symvers modules.order .Module.symvers.cmd \
		.modules.order.cmd .module-common.o ..module-common.o.cmd

# Install the user-space side: libseccomp-pin (shared with soname, static),
# <seccomp_pin.h> and <libseccomp_pin.h>, seccomp-pin.pc, the seccomp-pin
# tool, man pages. PREFIX, LIBDIR, INCLUDEDIR, BINDIR, MANDIR given to this
# make reach the sub-makes as they are; DESTDIR is made absolute first (the
# sub-makes run in other dirs).
# The module is installed by DKMS (see README.md, "Installing").
install:
	$(MAKE) -C userspace install $(if $(DESTDIR),DESTDIR=$(abspath $(DESTDIR)))
	$(MAKE) -C man install $(if $(DESTDIR),DESTDIR=$(abspath $(DESTDIR)))

# Build the .debs (lintian-clean), install them into a clean bookworm
# chroot (DKMS builds the module there), build a pkg-config consumer, and
# boot the DKMS-built module with the consumer in a VM (needs root).
# PACKAGING_KERNELS: kernels.conf names (default: packaging/test-install's, 6.1).
check-packaging:
	packaging/test-install $(addprefix --kernel ,$(PACKAGING_KERNELS))

.PHONY: install check-packaging

# The long variants of the hardening suites on every kernel: the device
# fuzzer (1,000,000 calls), 800 injected faults, 100 module reloads under
# load, 60 s of racing supervisors (tests/vm/run-long; its parameters can
# be overridden from the environment, e.g. SPT_SEED to replay a failure).
check-long:
	tests/vm/setup-host.sh
	$(MAKE) guest
	tests/vm/run-long $(addprefix --kernel ,$(VM_KERNELS))

.PHONY: check-long
