#!/bin/bash
# check-results.sh --dir DIR --label LABEL --qemu-rc RC --seconds N
#
# Judge one VM run from DIR/console.log (ttyS0) and DIR/results.log (ttyS1,
# the "SPT-" lines written by guest-init.sh). Prints a verdict line
#   LABEL: PASS  N tests, 0 failed, log clean, T s
#   LABEL: FAIL  N tests, M failed, <log state>, T s: <reasons>
# followed, on failure, by indented details (failing tests, log paths, the
# relevant tail). For the debug kernel's runs (make check-debug) it also
# judges what guest-init.sh reports of kmemleak (SPT_KMEMLEAK=1: any
# unreferenced object allocated by seccomp_pin fails the run; the objects
# go to DIR/kmemleak.log) and of failslab (SPT_FAILSLAB_SUITES: the number
# of injected faults is shown; none injected fails the run). Writes "PASSED FAILED" (cmocka test counts; for a suite
# that died before its summary, the tests it saw pass) to DIR/counts;
# a failed run always counts at least one failure, so a run that broke
# before any test reported still shows up in the totals. Also splits the
# results into DIR/dmesg.log and DIR/suites/<suite>.log for reading.
# Exit status: 0 on PASS, 1 on FAIL.
set -euo pipefail

dir='' label='' qemu_rc='' seconds=0
while (($#)); do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--label) label=$2; shift 2 ;;
	--qemu-rc) qemu_rc=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	*) echo "check-results: unknown argument $1" >&2; exit 2 ;;
	esac
done
console=$dir/console.log results=$dir/results.log
touch "$console" "$results"

# What must never appear in the kernel log (extended regexes). The command
# line names some of these words (hung_task_panic=1), so lines echoing it
# are not scanned.
BAD_PATTERNS=(
	'WARNING:' 'BUG:' 'kernel BUG at' 'Oops' 'Call Trace' 'Kernel panic'
	'general protection fault' 'list_(add|del) corruption' 'refcount_t:'
	'soft lockup' 'hard LOCKUP' 'detected stalls?' 'hung_task' 'blocked for more than'
	'kmemleak' 'unreferenced object' 'UBSAN:' 'KASAN:'
	# The debug kernel's checkers (most also print a WARNING:/BUG: line).
	'KFENCE:' 'ODEBUG:' 'possible (circular|recursive) locking'
	'inconsistent lock state' 'suspicious RCU usage' 'Invalid wait context'
	'sleeping function called from invalid context' 'DEBUG_LOCKS_WARN_ON'
)
BAD=$(IFS='|'; echo "${BAD_PATTERNS[*]}")
# Lines of the debug kernel that match a bad pattern but report nothing
# wrong: the checkers' own start-up lines, and kmemleak's count after a scan
# (the objects themselves are judged below, the module's apart from the
# rest of the kernel's).
BENIGN_PATTERNS=(
	'kmemleak: Kernel memory leak detector initialized'
	'kmemleak: [0-9]+ new suspected memory leaks'
	'ODEBUG: selftest passed'
)
BENIGN=$(IFS='|'; echo "${BENIGN_PATTERNS[*]}")
CMDLINE='Kernel command line:|Command line:'

# Split the result channel; a crash can leave a partial last line and stray
# carriage returns, which must not break the parsing.
tr -d '\r' <"$results" >"$dir/results.clean"
sed -n 's/^SPT-DMESG //p' "$dir/results.clean" >"$dir/dmesg.log"
rm -rf "$dir/suites"
mkdir -p "$dir/suites"
awk -v out="$dir/suites" '
	$1 == "SPT-OUT" { name = substr($2, 7); line = $0
		sub(/^SPT-OUT suite=[^ ]* ?/, "", line); print line > (out "/" name ".log") }
' "$dir/results.clean"

# One record per fact, for the shell below:
#   insmod RC | devnode MODE | extra NAME RC | rmmod RC | done
#   suite NAME RC PASSED FAILED SKIPPED SUMMARIES RUNNING FAILED-TEST...
# RC is "-" when the guest never reported it; RUNNING is the test that had
# started but not finished when the suite ended (a crash, a timeout), or "-".
awk '
	function flush_suite(n) {
		# No summary (the suite died): count the tests seen passing.
		if (!summaries[n])
			passed[n] = ok[n]
		printf "suite %s %s %d %d %d %d %s%s\n", n, (n in rc) ? rc[n] : "-",
			passed[n], failed[n], skipped[n], summaries[n],
			(running[n] != "") ? running[n] : "-", names[n]
	}
	$1 == "SPT-INSMOD" { print "insmod", substr($2, 4) }
	$1 == "SPT-DEVNODE" { print "devnode", ($2 == "missing") ? "missing" : substr($2, 6) }
	$1 == "SPT-EXTRA-INSMOD" { print "extra", substr($2, 6), substr($3, 4) }
	$1 == "SPT-RMMOD" { print "rmmod", substr($2, 4) }
	$1 == "SPT-DONE" { print "done" }
	$1 == "SPT-START" { n = substr($2, 7); order[++nsuites] = n; listing[n] = 0 }
	$1 == "SPT-RESULT" { rc[substr($2, 7)] = substr($3, 4) }
	$1 == "SPT-OUT" {
		n = substr($2, 7); line = $0; sub(/^SPT-OUT suite=[^ ]* ?/, "", line)
		if (match(line, /^\[ RUN      \] /))
			running[n] = substr(line, 14)
		else if (match(line, /^\[ +(OK|FAILED|SKIPPED) +\] /))
			running[n] = ""
		if (match(line, /^\[       OK \] /))
			ok[n]++
		if (match(line, /^\[  PASSED  \] [0-9]+ test/)) {
			split(line, w, " "); passed[n] += w[4]; summaries[n]++
			listing[n] = 0
		} else if (match(line, /^\[  FAILED  \] [0-9]+ test\(s\), listed below:/)) {
			split(line, w, " "); failed[n] += w[4]; listing[n] = 1
		} else if (match(line, /^\[  SKIPPED \] [0-9]+ test\(s\), listed below:/)) {
			split(line, w, " "); skipped[n] += w[4]; listing[n] = 2
		} else if (listing[n] == 1 && match(line, /^\[  FAILED  \] /)) {
			names[n] = names[n] " " substr(line, 14)
		} else if (listing[n] == 2 && match(line, /^\[  SKIPPED \] /)) {
			# skipped tests are counted, not named
		} else {
			listing[n] = 0
		}
	}
	END { for (i = 1; i <= nsuites; i++) flush_suite(order[i]) }
' "$dir/results.clean" >"$dir/facts"

insmod=- devnode=- rmmod=- done=0
total_passed=0 total_failed=0 total_skipped=0
reasons=()
failing_suites=()
while read -r kind a b c d e f g rest; do
	case $kind in
	insmod) insmod=$a ;;
	devnode) devnode=$a ;;
	rmmod) rmmod=$a ;;
	done) done=1 ;;
	extra)
		[[ $b == 0 ]] || reasons+=("insmod of extra module $a failed (rc $b)") ;;
	suite)
		# a=name b=rc c=passed d=failed e=skipped f=summaries g=running
		# rest=names
		total_passed=$((total_passed + c))
		total_failed=$((total_failed + d))
		total_skipped=$((total_skipped + e))
		during=
		[[ $g == - ]] || during=" during $g"
		if [[ $b == - ]]; then
			reasons+=("$a did not finish$during")
			total_failed=$((total_failed + 1))
			failing_suites+=("$a")
		elif ((d > 0)); then
			reasons+=("$a: $d failed (${rest// /, })")
			failing_suites+=("$a")
		elif [[ $b != 0 ]]; then
			why="exit status $b"
			[[ $b == 137 ]] && why="killed (per-suite timeout?)"
			reasons+=("$a: $why$during, no failed test reported")
			total_failed=$((total_failed + 1))
			failing_suites+=("$a")
		elif ((f == 0)); then
			reasons+=("$a: exit status 0 but no cmocka summary")
			total_failed=$((total_failed + 1))
			failing_suites+=("$a")
		fi ;;
	esac
done <"$dir/facts"

if [[ $insmod == - ]]; then
	reasons=("guest never reported insmod" "${reasons[@]}")
elif [[ $insmod != 0 ]]; then
	reasons=("insmod seccomp_pin failed (rc $insmod)" "${reasons[@]}")
else
	[[ $devnode == 666 ]] ||
		reasons+=("/dev/seccomp_pin: expected mode 666, got $devnode")
	if ! grep -q '^suite ' "$dir/facts" && ((done)); then
		reasons+=("no suite ran")
	fi
	if [[ $rmmod == - ]]; then
		((done == 0)) || reasons+=("rmmod never ran")
	elif [[ $rmmod != 0 ]]; then
		reasons+=("rmmod seccomp_pin failed (rc $rmmod)")
	fi
fi

# The kernel log: the console, plus the dmesg dump for messages below the
# console loglevel. The same message found in both is reported once.
hits=$(cat "$console" "$dir/dmesg.log" | tr -d '\r' | grep -avE "$CMDLINE" |
	grep -aE "$BAD" | grep -avE "$BENIGN" | awk '!seen[$0]++' || true)
panic=$(grep -am1 'Kernel panic' "$console" | tr -d '\r' || true)
if [[ -n $hits ]]; then
	nhits=$(wc -l <<<"$hits")
	first=$(head -n1 <<<"$hits" | sed 's/^\[ *[0-9.]*\] //')
	logstate="log: $nhits bad line(s), first: $first"
	reasons+=("kernel log: $first")
else
	logstate="log clean"
fi

# kmemleak: guest-init.sh scanned with the module loaded and after rmmod
# and sent each unreferenced object ("unreferenced object 0x... (size N):"
# and the lines below it). An object is the module's when its backtrace
# names seccomp_pin, or, after rmmod, has a frame no symbol resolves (an
# unloaded module's text; the debug runs load no other module). Objects
# reported in both scans are counted once.
extra=
rm -f "$dir/kmemleak.log" "$dir/kmemleak-seccomp_pin.log"
if grep -q '^SPT-KMEMLEAK ' "$dir/results.clean"; then
	while read -r _ phase status; do
		[[ $status == status=scanned ]] ||
			reasons+=("kmemleak ${phase#phase=}: ${status#status=} (no scan, nothing checked)")
	done < <(grep '^SPT-KMEMLEAK ' "$dir/results.clean")
	awk -v all="$dir/kmemleak.log" -v mod="$dir/kmemleak-seccomp_pin.log" '
		function flush() {
			if (obj != "" && !(addr in seen)) {
				seen[addr] = 1; total++
				print block > all
				if (block ~ /seccomp_pin/ || block ~ /\] 0x[0-9a-f]+\n/) {
					ours++; print block > mod
				}
			}
			obj = ""; block = ""
		}
		$1 == "SPT-KMEMLEAK-OBJ" {
			line = $0; sub(/^SPT-KMEMLEAK-OBJ phase=[a-z]* ?/, "", line)
			if (line ~ /^unreferenced object 0x/) {
				flush(); obj = line; split(line, w, " "); addr = w[3]
				block = "[" substr($2, 7) "] " line "\n"
			} else if (obj != "")
				block = block line "\n"
		}
		END { flush(); printf "%d %d\n", total, ours }
	' "$dir/results.clean" >"$dir/kmemleak.counts"
	read -r kl_total kl_ours <"$dir/kmemleak.counts"
	! grep -q '^SPT-KMEMLEAK .* status=scanned$' "$dir/results.clean" ||
		extra+=", kmemleak: $kl_ours of $kl_total unreferenced objects from seccomp_pin"
	((kl_ours == 0)) ||
		reasons+=("kmemleak: $kl_ours unreferenced object(s) allocated by seccomp_pin")
fi
# failslab (SPT_FAILSLAB_SUITES): a pass that injected nothing tested nothing.
if grep -q '^SPT-FAILSLAB ' "$dir/results.clean"; then
	if grep -q '^SPT-FAILSLAB status=unavailable' "$dir/results.clean"; then
		reasons+=("failslab: /sys/kernel/debug/failslab missing in the guest")
	fi
	injected=$(sed -n 's/^SPT-FAILSLAB total injected=\([0-9]*\)$/\1/p' "$dir/results.clean")
	if [[ -n $injected ]]; then
		extra+=", $injected slab allocation failures injected"
		((injected > 0)) || reasons+=("failslab: no fault injected")
	fi
fi

if [[ $qemu_rc == 124 || $qemu_rc == 137 ]]; then
	reasons+=("timeout: host killed QEMU after the --timeout")
elif [[ $qemu_rc != 0 ]]; then
	reasons+=("QEMU exited with status $qemu_rc")
fi
if ((done == 0)); then
	if [[ -n $panic ]]; then
		reasons+=("VM died: ${panic#*] }")
	else
		reasons+=("guest did not finish (no SPT-DONE)")
	fi
fi

ntests=$((total_passed + total_failed))
skipnote=
((total_skipped == 0)) || skipnote=", $total_skipped skipped"
if ((${#reasons[@]} == 0)); then
	echo "$total_passed 0" >"$dir/counts"
	echo "$label: PASS  $ntests tests, 0 failed$skipnote, $logstate$extra, $seconds s"
	exit 0
fi

((total_failed > 0)) || total_failed=1
echo "$total_passed $total_failed" >"$dir/counts"
reason=$(printf '%s; ' "${reasons[@]}")
echo "$label: FAIL  $ntests tests, $total_failed failed$skipnote, $logstate$extra, $seconds s: ${reason%; }"

indent() { sed 's/^/      /'; }
# failed_blocks LOG: for each test listed as failed, its lines from
# "[ RUN      ] name" to its verdict (the assertion that failed); empty if
# the summary names none.
failed_blocks() {
	awk '
		/^\[  FAILED  \] [0-9]+ test\(s\), listed below:/ { listing = 1; next }
		listing && /^\[  FAILED  \] / { want[substr($0, 14)] = 1; next }
		{ listing = 0; lines[++n] = $0 }
		END {
			for (i = 1; i <= n; i++) {
				if (lines[i] ~ /^\[ RUN      \] /) {
					name = substr(lines[i], 14); show = name in want; shown = 0
				}
				if (show && shown++ < 20) print lines[i]
				if (lines[i] ~ /^\[ +(OK|FAILED|SKIPPED) +\] /) show = 0
			}
		}' "$1"
}

for s in "${failing_suites[@]}"; do
	log=$dir/suites/$s.log
	if [[ ! -s $log ]]; then
		echo "    $s printed nothing"
	elif [[ -n $(failed_blocks "$log") ]]; then
		echo "    $s failing tests ($log):"
		failed_blocks "$log" | indent
	else
		echo "    $s output ($log), last lines:"
		tail -n 25 "$log" | indent
	fi
done
if [[ -n $hits ]]; then
	echo "    bad kernel log lines:"
	head -n 10 <<<"$hits" | indent
	# The context of the first one: usually the backtrace.
	echo "    console around the first one:"
	first_line=$(head -n1 <<<"$hits")
	grep -aFn -- "$first_line" "$console" | head -n1 | cut -d: -f1 | {
		read -r n || n=
		if [[ -n $n ]]; then
			sed -n "$((n > 5 ? n - 5 : 1)),$((n + 35))p" "$console" | tr -d '\r' | indent
		else
			grep -aF -A 35 -- "$first_line" "$dir/dmesg.log" | indent
		fi
	}
elif ((done == 0)) || [[ $insmod != 0 ]]; then
	echo "    console, last lines:"
	tail -n 30 "$console" | tr -d '\r' | indent
fi
if [[ -s $dir/kmemleak-seccomp_pin.log ]]; then
	echo "    kmemleak objects of seccomp_pin ($dir/kmemleak-seccomp_pin.log):"
	head -n 40 "$dir/kmemleak-seccomp_pin.log" | indent
fi
echo "    console log: $console"
echo "    guest results: $results (dmesg: $dir/dmesg.log)"
exit 1
