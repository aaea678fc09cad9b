/* The filter every byte a server sends passes before it reaches the console
   (get= bodies, llm= answers, API error messages, ...): a server must not be
   able to drive the terminal or forge the kernel's own lines.
   - ESC and every other C0 control, DEL and the C1 controls (U+0080..U+009F,
     as UTF-8 C2 80..C2 9F) are shown escaped as \xHH of each byte ("\x1b"),
     except tab and, in TEXT_FILTER_LINES mode, newline. CR is escaped too,
     so a server cannot return to column 0 and overprint a line.
   - Valid UTF-8 passes intact, also when a sequence is split across writes;
     each byte of an invalid sequence (stray continuation, overlong form,
     surrogate, above U+10FFFF, cut short) is shown escaped.
   - TEXT_FILTER_LINES: every line of the text that is not empty starts with
     a prefix (console.h: CONSOLE_UNTRUSTED_PREFIX, "| "), so no line of
     server text starts at column 0 and none can pass for a kernel summary
     line (`kernel: done status=...`, `https: status=...`, `llm: done ...`),
     which scripts read at the start of a line. TEXT_FILTER_FIELD: the text
     stays on one line (newline escaped too), for a value inside a line.
   The escaping is for display, not reversible: a backslash passes as is.
   The caller owns struct text_filter; no allocation. */
#ifndef LIB_TEXT_FILTER_H
#define LIB_TEXT_FILTER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_filter_mode {
    TEXT_FILTER_LINES,   /* newlines kept, each line after the prefix */
    TEXT_FILTER_FIELD,   /* one line: newlines escaped */
};

/* Receives the filtered output, one unit at a time: a character (1-4 bytes
   of valid UTF-8), an escape ("\x1b") or the prefix. */
typedef void (*text_filter_out_fn)(void *ctx, const char *p, size_t n);

struct text_filter {
    text_filter_out_fn out;
    void       *ctx;
    const char *prefix;      /* TEXT_FILTER_LINES: before each line ("" none) */
    enum text_filter_mode mode;
    bool        bol;         /* the output is at the start of a line */
    uint8_t     seq[4];      /* a UTF-8 sequence in progress */
    uint8_t     have, need;  /* bytes of it seen, bytes it takes */
};

/* at_line_start: the console's cursor is at column 0 now (the first line
   gets the prefix too), else the text continues a line the caller began. */
void text_filter_init(struct text_filter *f, enum text_filter_mode mode, const char *prefix,
                      bool at_line_start, text_filter_out_fn out, void *ctx);
void text_filter_write(struct text_filter *f, const void *p, size_t n);
/* The text ended: a UTF-8 sequence cut short is written escaped. Returns
   true when the output ends at the start of a line (after a newline, or
   nothing written on a line that started at column 0). */
bool text_filter_end(struct text_filter *f);

/* src[0..n) filtered as TEXT_FILTER_FIELD into dst (NUL-terminated, cap >
   0): whole units only, the rest dropped when dst is full. Returns the
   length written. */
size_t text_filter_field(char *dst, size_t cap, const void *src, size_t n);

#endif
