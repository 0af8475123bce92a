#!/bin/sh
# test_profile_fused: where the round trips of bench_roundtrip spend their
# kernel time, by ftrace's function_graph tracer (generated into the suite
# by tests/bench/run-profile; a profile, never a verdict on a figure).
#
# Traced: every function of seccomp_pin, seccomp's notification ioctl, and
# what the unpinned baseline and the pin both do to read the target:
# mem_read (pread of /proc/pid/mem), mm_access, access_remote_vm,
# get_user_pages_remote. Only those: function_graph on every function
# would patch the whole kernel text, which QEMU's multi-threaded TCG does
# not survive (tests/guest/test_hook_registration.c). Prints, per traced
# function, calls and average microseconds including what it calls
# (TCG and tracer overhead included: read the shares, not the times).
T=/sys/kernel/tracing
[ -e $T/trace ] || mount -t tracefs tracefs $T
cd $T || exit 1
echo 0 >tracing_on
echo >trace
echo ':mod:seccomp_pin' >set_ftrace_filter
for f in seccomp_notify_ioctl mem_read mm_access access_remote_vm \
	get_user_pages_remote; do
	echo "$f" >>set_ftrace_filter || echo "profile: $f not traceable"
done
echo "info|traced functions|$(wc -l <set_ftrace_filter)"
echo function_graph >current_tracer || echo "profile: no function_graph tracer"
echo funcgraph-tail >trace_options || echo "profile: no funcgraph-tail"
echo nofuncgraph-irqs >trace_options || echo "profile: no funcgraph-irqs"
echo 8192 >buffer_size_kb
echo 1 >tracing_on
/tests/bench_roundtrip @ARGS@ >/tmp/roundtrip.out
rc=$?
echo 0 >tracing_on
# Changing the tracer empties the buffer: keep it first.
cat trace >/tmp/trace.txt
echo nop >current_tracer
echo >set_ftrace_filter
sed -n 's/^goal|/roundtrip goal|/p' /tmp/roundtrip.out
# " 0) + 12.345 us   |    } /* spin_pin_request [seccomp_pin] */"
# " 0)   1.234 us    |      mm_access();"
awk -F'|' '
	$1 ~ /[0-9.]+ us/ {
		match($1, /[0-9]+\.[0-9]+ us/)
		us = substr($1, RSTART, RLENGTH - 3) + 0
		name = $2
		sub(/^[ \t]*/, "", name)
		sub(/^} \/\* /, "", name)
		sub(/ \*\/.*$/, "", name)
		sub(/\(\);.*$/, "", name)
		sub(/ \[seccomp_pin\]/, "", name)
		calls[name]++
		total[name] += us
	}
	END {
		for (n in calls)
			printf "profile|%s|%d|%.1f\n", n, calls[n], total[n] / calls[n]
	}' /tmp/trace.txt
echo "info|trace lines|$(wc -l </tmp/trace.txt)"
echo "info|lost events|$(grep -c LOST /tmp/trace.txt)"
rm -f /tmp/trace.txt
echo >trace
if [ $rc = 0 ]; then
	echo "[  PASSED  ] 1 test(s)."
else
	echo "[  FAILED  ] 1 test(s), listed below:"
	echo "[  FAILED  ] bench_roundtrip under function_graph (exit status $rc)"
fi
exit $rc
