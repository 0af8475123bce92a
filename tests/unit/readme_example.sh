#!/bin/bash
# readme_example.sh CC CFLAGS...: compile README.md's "Using it" example,
# so the code users copy first keeps building against the headers. Its
# #include lines go first; the statements become a function's body, with
# the two names the example leaves to the reader declared.
set -euo pipefail
cc=$1
shift
readme=$(dirname "$0")/../../README.md
block=$(awk '/^## Using it/ { s = 1 } s && /^```c$/ { b = 1; next }
	b && /^```$/ { exit } b' "$readme")
[[ -n $block ]] || { echo "readme_example: no C block under '## Using it'" >&2; exit 1; }
{
	echo '#include <errno.h>'
	echo '#include <stdint.h>'
	echo '#include <sys/ioctl.h>'
	grep '^#include' <<<"$block"
	echo 'int policy_allows(const char *path);'
	echo 'void readme_example(int listener);'
	echo 'void readme_example(int listener) {'
	grep -v '^#include' <<<"$block"
	echo '}'
} | "$cc" -x c -std=gnu11 -Wall -Wextra -Werror "$@" -c -o /dev/null -
echo "readme_example: the README's example compiles"
