#!/bin/sh
# test_bindings_go, test_bindings_rust (copies of this file; the name says
# which language): run that binding's example supervisor in the guest and
# report in cmocka's format, which the VM harness counts.
#
#   selftest: INFO (features PINNABLE and RECV_PIN, max_rules 512),
#             PINNABLE (openat: arg 1 CSTRING 4096 PATH; getpid: none),
#             SET_RULES and RECV_PIN error paths (no rule, a failed pin,
#             NONBLOCK),
#             other error paths, an execve argv pinned as CSTRING_ARRAY
#   race:     the openat race, plain CONTINUE (must be bypassed at least
#             once), then CONTINUE_PINNED with PIN_ARGS (pinned) and with
#             SET_RULES + RECV_PIN (recvpin), 2,000 rounds each, no bypass,
#             and INFO must count one pin per round and one fetch served
#             from a snapshot per allowed open
#
# The assertions are the supervisor's own (its exit status); this only
# names the tests.
lang=${0##*_}
bin=/tests/race-supervisor-$lang
passed=0 failed=''

echo "[==========] Running 2 test(s)."
for t in selftest race; do
	name=${lang}_$t
	# Nothing else pins in the guest: the module's counters must add up.
	opts=
	[ "$t" = race ] && opts=--exact-counters
	echo "[ RUN      ] $name"
	if "$bin" $opts "$t"; then
		echo "[       OK ] $name"
		passed=$((passed + 1))
	else
		echo "[  FAILED  ] $name"
		failed="$failed $name"
	fi
done
echo "[==========] 2 test(s) run."
echo "[  PASSED  ] $passed test(s)."
[ -z "$failed" ] && exit 0
set -- $failed
echo "[  FAILED  ] $# test(s), listed below:"
for name; do
	echo "[  FAILED  ] $name"
done
exit 1
