/* SPDX-License-Identifier: GPL-2.0 */
/*
 * glob.h - path patterns of the policy rules.
 */
#ifndef SP_TOOL_GLOB_H
#define SP_TOOL_GLOB_H

#include <stdbool.h>

/*
 * Match @str against @pattern:
 *   **      any sequence of characters, '/' included; a pattern ending
 *           in slash-star-star also matches the directory itself, and
 *           slash-star-star-slash also matches a single slash
 *   *       any sequence of characters other than '/'
 *   ?       one character other than '/'
 *   [...]   one character of a set other than '/' ([a-z], [!0-9], [^x])
 *   \c      the character c itself
 * Everything else matches itself.
 * Time O(len(str) * len(pattern)), whatever @str holds (it comes from the
 * confined program); no recursion on @str.
 */
bool glob_match(const char *pattern, const char *str);

/* Is @pattern well formed (no unterminated [ or trailing \)? */
bool glob_valid(const char *pattern);

#endif /* SP_TOOL_GLOB_H */
