# SPDX-License-Identifier: GPL-2.0
#
# seccomp-pin top-level Makefile.
#   make modules [KDIR=...]   build module/seccomp_pin.ko (what DKMS runs)
#   make lib                  user library (userspace/)
#   make check                host unit tests + module tests in QEMU VMs
#   make demo                 the race, with and without pinning, in a VM

KDIR ?= /lib/modules/$(shell uname -r)/build
VM_KERNELS ?= 6.1 6.12

.PHONY: all modules modules_clean lib unit guest check check-vm demo clean

all: modules lib

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module modules

modules_clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module clean

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
	$(MAKE) guest
	tests/vm/selftest-harness
	tests/vm/run-vm-tests $(addprefix --kernel ,$(VM_KERNELS))

demo:
	tests/vm/run-demo

clean:
	-$(MAKE) -C userspace clean
	-$(MAKE) -C tests/unit clean
	-$(MAKE) -C tests/guest clean
	rm -rf build
	rm -f module/*.o module/sites/*.o module/*.ko module/*.mod* \
		module/.*.cmd module/sites/.*.cmd module/Module.symvers \
		module/modules.order module/compat-generated.h* \
		module/probe-*.log
