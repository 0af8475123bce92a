/* SPDX-License-Identifier: GPL-2.0 */
/* bench_argv.h - what the exec helper reports, as its exit status. */
#ifndef BENCH_ARGV_H
#define BENCH_ARGV_H

#define ARGV_ALLOWED "public"
#define ARGV_FORBIDDEN "secret" /* same length: clean flips */

#define ARGV_NO_ARGUMENT 0 /* the plain exec loop of bench_nopin */
#define ARGV_GOT_ALLOWED 10
#define ARGV_GOT_FORBIDDEN 11
#define ARGV_GOT_OTHER 12
#define ARGV_EXEC_FAILED 13 /* the child's execve failed (denied) */

#endif /* BENCH_ARGV_H */
