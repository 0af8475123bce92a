#!/bin/bash
# The seccomp-pin tool's host packages (libjansson-dev among them) are in
# the harness's one list: tests/vm/setup-host.sh.
exec "$(dirname "$0")/../vm/setup-host.sh" "$@"
