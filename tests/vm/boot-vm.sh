#!/bin/bash
# boot-vm.sh --vmlinux ELF --initrd CPIO --console LOG --results LOG
#            [--timeout SEC] [--mem MIB] [--smp N] [--append ARGS]...
#
# Boot one test VM and wait for it to power off. QEMU's exit status is ours;
# 124 means the host-side timeout killed it. The guest's console (ttyS0) is
# written to --console, its result channel (ttyS1) to --results.
#
# Choices, all measured on the 2-core Debian 12 host:
# - TCG: /dev/kvm exists there but guests hang after the firmware.
# - The ELF vmlinux through its PVH entry: about 2 s to /init, twice as fast
#   as the bzImage's own decompressor under TCG, and no KASLR, so guest
#   addresses match the vmlinux on the host.
# - -cpu max: SMAP/SMEP catch direct __user dereferences.
# - -smp 2: races between a trapped thread and its siblings need two CPUs.
# - -nodefaults: no NIC, VGA, IDE CD-ROM to probe; only our two UARTs.
# - A panic, oops, WARN or lockup ends the guest at once (panic=-1 with
#   -no-reboot) instead of waiting for the host timeout.
set -euo pipefail

vmlinux='' initrd='' console='' results='' timeout=600 mem=512 smp=2 append=''
while (($#)); do
	case $1 in
	--vmlinux) vmlinux=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--console) console=$2; shift 2 ;;
	--results) results=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--append) append+=" $2"; shift 2 ;;	# repeatable: all are kept
	*) echo "boot-vm: unknown argument $1" >&2; exit 2 ;;
	esac
done
[[ -n $vmlinux && -n $initrd && -n $console && -n $results ]] || {
	echo "usage: $0 --vmlinux ELF --initrd CPIO --console LOG --results LOG" >&2
	exit 2
}

# hung_task_panic through the generic sysctl.* form: 5.10 has no
# "hung_task_panic=" alias and would hand the unknown word to /init.
cmdline="console=ttyS0 panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1"
cmdline+=" watchdog_thresh=5 sysctl.kernel.hung_task_panic=1 $append"

# -k: a QEMU that ignores SIGTERM (stuck in an emulated device) still dies.
# Its stdin is /dev/null, so nothing waits on a terminal.
exec timeout -k 10 "$timeout" qemu-system-x86_64 \
	-accel tcg -cpu max -smp "$smp" -m "$mem" \
	-nographic -nodefaults -monitor none -no-reboot \
	-kernel "$vmlinux" -initrd "$initrd" -append "$cmdline" \
	-serial "file:$console" -serial "file:$results" </dev/null
