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
# SPT_EXTRA_MODULES and LD_LIBRARY_PATH, and for the debug kernel's runs
# (make check-debug) SPT_KMEMLEAK and SPT_FAILSLAB_*; see below.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# kmemleak, fault injection (test_alloc_faults drives failslab itself) and
# ftrace's files live there; the suites may expect it mounted.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# shellcheck source=/dev/null # generated into the initramfs
. /etc/spt.conf
export LD_LIBRARY_PATH

# Raw mode: no "\r" added to each line, no echo of anything sent back.
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1

say() { echo "SPT-$*" >&3; }
note() { echo "spt-init: $*"; }

# kmemleak_report PHASE: with SPT_KMEMLEAK=1, scan twice (an object must be
# older than kmemleak's 5 s minimum age to be reported, so the second scan
# sees what the last suite left) and send every unreferenced object's
# record to the host, which tells the module's from the rest
# (check-results.sh). A kernel without kmemleak must not pass silently.
kmemleak_report() {
	[ "${SPT_KMEMLEAK:-0}" = 1 ] || return 0
	kl=/sys/kernel/debug/kmemleak
	if [ ! -w $kl ]; then
		say "KMEMLEAK phase=$1 status=unavailable"
		return 0
	fi
	# (Not the word kmemleak: the console log is scanned for it.)
	note "leak scan ($1)"
	if echo scan >$kl && sleep 6 && echo scan >$kl; then
		say "KMEMLEAK phase=$1 status=scanned"
		sed "s/^/SPT-KMEMLEAK-OBJ phase=$1 /" $kl >&3
	else
		say "KMEMLEAK phase=$1 status=failed"
	fi
}

# With SPT_FAILSLAB_SUITES (space-separated suite names), those suites run
# with failslab on for their own process tree (task-filter=Y, and
# /proc/self/make-it-fail=1 set by the shell that then execs the suite),
# and only for allocations made with the module's code on the stack
# (require-start/-end: the module's memory, from /proc/modules; needs
# FAULT_INJECTION_STACKTRACE_FILTER). The suite's own syscalls (exec,
# fork, mmap...) never fail, so what is tested is the module's handling of
# its failed allocations: each fails with SPT_FAILSLAB_PROBABILITY percent,
# GFP_KERNEL ones included. "times" counts down once per injected fault:
# its decrease is the number reported (verbose=0: no log line per fault).
FAILSLAB=/sys/kernel/debug/failslab
FAILSLAB_TIMES=100000000
failslab_injected=0
# kmemleak records each of the module's allocations with allocations of
# its own, made with the module on the stack: failed, they only cost
# kmemleak precision or, worse, disable it ("Cannot allocate a
# kmemleak_object structure"). They all come from kmemleak's own caches, so
# failslab's cache filter keeps them out: the kernel boots with
# slub_debug=A on every cache but those (tests/vm/run-debug), and only
# caches marked so fail. A text range cannot do it: kmemleak's entry points
# are __ref functions, far from the rest of mm/kmemleak.c.
failslab_spare_kmemleak() {
	local slab=/sys/kernel/slab
	if [ "$(cat $slab/kmemleak_object/failslab 2>/dev/null)" != 0 ] ||
	   [ "$(cat $slab/kmalloc-64/failslab 2>/dev/null)" != 1 ]; then
		note "failslab: slab caches not marked for it (slub_debug, see tests/vm/run-debug)"
		return 1
	fi
	echo Y >$FAILSLAB/cache-filter
	note "failslab: cache filter on, the leak detector's caches spared"
}
failslab_setup() {
	[ -n "${SPT_FAILSLAB_SUITES:-}" ] || return 0
	# name size refs deps state address
	# shellcheck disable=SC2046 # the fields of its line
	set -- $(grep '^seccomp_pin ' /proc/modules)
	if [ ! -d $FAILSLAB ] || [ ! -w $FAILSLAB/require-start ] ||
	   [ $# -lt 6 ] || [ "$(($6))" = 0 ]; then
		say "FAILSLAB status=unavailable"
		return 0
	fi
	printf '0x%x\n' "$(($6))" >$FAILSLAB/require-start
	printf '0x%x\n' "$(($6 + $2))" >$FAILSLAB/require-end
	if ! failslab_spare_kmemleak; then
		say "FAILSLAB status=unavailable"
		return 0
	fi
	echo 32 >$FAILSLAB/stacktrace-depth
	echo Y >$FAILSLAB/task-filter
	echo N >$FAILSLAB/ignore-gfp-wait
	echo 0 >$FAILSLAB/verbose
	echo 1 >$FAILSLAB/interval
	echo "${SPT_FAILSLAB_PROBABILITY:-10}" >$FAILSLAB/probability
}
failslab_wanted() {
	[ -d $FAILSLAB ] || return 1
	case " ${SPT_FAILSLAB_SUITES:-} " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

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

	failslab_setup
	for t in /tests/test_*; do
		[ -x "$t" ] || continue
		name=${t##*/}
		note "running $name"
		say "START suite=$name"
		# Streamed through sed, so output written before a crash still
		# reaches the host; the suite's status comes back through a file
		# because a pipeline's status is sed's.
		{
			cd /tmp || exit
			if failslab_wanted "$name"; then
				echo $FAILSLAB_TIMES >$FAILSLAB/times
				# shellcheck disable=SC2016 # $0 is the inner shell's
				CMOCKA_MESSAGE_OUTPUT=stdout \
					timeout -s KILL "$SPT_SUITE_TIMEOUT" /bin/sh -c \
					'echo 1 >/proc/self/make-it-fail && exec "$0"' "$t" </dev/null
				echo $? >/tmp/.spt-rc
				echo $((FAILSLAB_TIMES - $(cat $FAILSLAB/times))) >/tmp/.spt-faults
			else
				CMOCKA_MESSAGE_OUTPUT=stdout \
					timeout -s KILL "$SPT_SUITE_TIMEOUT" "$t" </dev/null
				echo $? >/tmp/.spt-rc
			fi
		} 2>&1 | sed "s/^/SPT-OUT suite=$name /" >&3
		rc=$(cat /tmp/.spt-rc)
		if [ -f /tmp/.spt-faults ]; then
			n=$(cat /tmp/.spt-faults)
			failslab_injected=$((failslab_injected + n))
			say "FAILSLAB suite=$name injected=$n"
			rm -f /tmp/.spt-faults
		fi
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

	if [ -n "${SPT_FAILSLAB_SUITES:-}" ] && [ -d $FAILSLAB ]; then
		echo 0 >$FAILSLAB/probability
		say "FAILSLAB total injected=$failslab_injected"
	fi

	kmemleak_report loaded
	note "rmmod seccomp_pin"
	rmmod seccomp_pin
	say "RMMOD rc=$?"
fi
# Objects the module leaked at unload: their backtraces name no symbol
# any more (the module's text is gone), only raw addresses.
kmemleak_report unloaded

# Messages below the console loglevel appear only here.
dmesg | sed 's/^/SPT-DMESG /' >&3
say "DONE"
# Closing the tty waits until its output has left the UART, so nothing is
# cut off by the power-off.
exec 3>&-
note "powering off"
poweroff -f
