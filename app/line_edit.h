/* The chat's line editor, kernel-free: a state machine fed one input byte
   at a time (from the serial console) that keeps the line being typed and
   says what to echo. UTF-8 aware: bytes of a character are taken only once
   the whole (valid) character is there, and backspace (0x08 or 0x7f)
   removes one whole character, echoing "\b \b" once (a character counts as
   one column). Ctrl-U (0x15) clears the line (one "\b \b" per character).
   CR or LF ends the line (an LF right after a CR is the same end); Ctrl-D
   (0x04) on an empty line ends the input. Other controls, escape sequences
   (ESC [ ... final byte, ESC O x: arrow keys) and invalid bytes are
   ignored. The line holds at most LINE_EDIT_MAX bytes and never a part of
   a character. struct line_edit is caller-owned (about 2 KiB); the echo
   callback gets bytes to write back to the terminal. */
#ifndef APP_LINE_EDIT_H
#define APP_LINE_EDIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINE_EDIT_MAX 2048

enum line_edit_event {
    LINE_EDIT_MORE = 0,   /* keep feeding */
    LINE_EDIT_LINE,       /* a line ended (CR/LF): line_edit_text() */
    LINE_EDIT_EOF,        /* Ctrl-D on an empty line */
};

typedef void (*line_edit_echo_fn)(void *ctx, const char *s, size_t n);

struct line_edit {
    line_edit_echo_fn echo;
    void   *ctx;
    size_t  len;                    /* bytes of the line */
    uint8_t part[4];                /* a character being received */
    size_t  part_len, part_need;
    uint8_t esc;                    /* 0, or the state of an escape sequence */
    bool    after_cr;
    bool    ended;                  /* the last feed ended a line: the next byte starts anew */
    char    buf[LINE_EDIT_MAX + 1]; /* NUL-terminated when a line ends */
};

void line_edit_init(struct line_edit *e, line_edit_echo_fn echo, void *ctx);
/* Takes one input byte. */
enum line_edit_event line_edit_feed(struct line_edit *e, uint8_t c);
/* The ended line (NUL-terminated, valid UTF-8, no controls) and its length. */
const char *line_edit_text(const struct line_edit *e, size_t *len);

#endif
