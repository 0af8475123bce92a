#!/bin/sh
# @NAME@: run /tests/@PROG@ @ARGS@ in the VM harness (generated from
# tests/bench/wrapper.sh). Benchmarks are not tests: the cmocka summary
# says only that the benchmark ran to completion, never judges a figure.
echo "info|cpu|$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "info|cpus|$(grep -c '^processor' /proc/cpuinfo)"
/tests/@PROG@ @ARGS@
rc=$?
if [ $rc = 0 ]; then
	echo "[  PASSED  ] 1 test(s)."
else
	echo "[  FAILED  ] 1 test(s), listed below:"
	echo "[  FAILED  ] @PROG@ (exit status $rc)"
fi
exit $rc
