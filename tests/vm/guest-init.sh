#!/bin/sh
# PID 1 of the test VM (busybox sh). Loads the module, runs the suites,
# unloads the module, dumps the kernel log, powers off.
#
# Everything the host needs goes to the second serial port (/dev/ttyS1) as
# lines starting with "SPT-"; the console (ttyS0) carries the kernel log plus
# short progress notes, so that a panic in the console log shows which step
# caused it. Suite output goes only to ttyS1, so nothing a test prints can be
# mistaken for a kernel warning in the console log.
#
# No "set -e": every step must run and report, whatever failed before it.
# /etc/spt.conf (written by build-initramfs.sh) sets SPT_SUITE_TIMEOUT,
# SPT_EXTRA_MODULES and LD_LIBRARY_PATH.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# shellcheck source=/dev/null # generated into the initramfs
. /etc/spt.conf
export LD_LIBRARY_PATH

# Raw mode: no "\r" added to each line, no echo of anything sent back.
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1

say() { echo "SPT-$*" >&3; }
note() { echo "spt-init: $*"; }

say "BOOT kernel=$(uname -r)"

# keep_hooks=1: the module normally registers its ftrace hooks on demand
# and removes them when idle, i.e. patches kernel text at run time, which
# QEMU's multi-threaded TCG gets wrong when another vCPU runs the patched
# function (docs/SECURITY.md). Suites load it as here; test_lifecycle's
# hook test exercises the on-demand path on one vCPU.
note "insmod /seccomp_pin.ko keep_hooks=1"
insmod /seccomp_pin.ko keep_hooks=1
rc=$?
say "INSMOD rc=$rc"
loaded=$((rc == 0))

if [ "$loaded" = 1 ]; then
	if [ -c /dev/seccomp_pin ]; then
		say "DEVNODE mode=$(stat -c %a /dev/seccomp_pin)"
	else
		say "DEVNODE missing"
	fi

	for name in $SPT_EXTRA_MODULES; do
		note "insmod /extra/$name.ko"
		insmod "/extra/$name.ko"
		say "EXTRA-INSMOD name=$name rc=$?"
	done

	for t in /tests/test_*; do
		[ -x "$t" ] || continue
		name=${t##*/}
		note "running $name"
		say "START suite=$name"
		# Streamed through sed, so output written before a crash still
		# reaches the host; the suite's status comes back through a file
		# because a pipeline's status is sed's.
		{
			cd /tmp && CMOCKA_MESSAGE_OUTPUT=stdout \
				timeout -s KILL "$SPT_SUITE_TIMEOUT" "$t" </dev/null
			echo $? >/tmp/.spt-rc
		} 2>&1 | sed "s/^/SPT-OUT suite=$name /" >&3
		rc=$(cat /tmp/.spt-rc)
		# Every suite must leave no pin and no snapshot byte behind:
		# spin_counters_zero (tests/guest) fails on non-zero INFO counters.
		if [ -x /tests/spin_counters_zero ] && [ -e /dev/seccomp_pin ]; then
			/tests/spin_counters_zero >/tmp/.spt-counters 2>&1 || rc=99
			sed "s/^/SPT-OUT suite=$name /" /tmp/.spt-counters >&3
		fi
		say "RESULT suite=$name rc=$rc"
		rm -f /tmp/.spt-rc /tmp/.spt-counters
	done

	# Reverse order: an extra module may use ours.
	for name in $(echo "$SPT_EXTRA_MODULES" | tr ' ' '\n' | sed '1!G;h;$!d'); do
		rmmod "$name"
		say "EXTRA-RMMOD name=$name rc=$?"
	done

	note "rmmod seccomp_pin"
	rmmod seccomp_pin
	say "RMMOD rc=$?"
fi

# Messages below the console loglevel appear only here.
dmesg | sed 's/^/SPT-DMESG /' >&3
say "DONE"
# Closing the tty waits until its output has left the UART, so nothing is
# cut off by the power-off.
exec 3>&-
note "powering off"
poweroff -f
