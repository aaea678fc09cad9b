/* Kernel console: COM1 serial (115200 8N1) mirrored to the VGA text screen.
   kprintf formats with lib/fmt.h (no floating point). Output is written
   synchronously; nothing is buffered. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H
#include <stddef.h>
#include <stdbool.h>

void console_init(void);
void console_putc(char c);
void console_write(const char *s, size_t n);
int  kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the current line unless the cursor is at column 0 (the lines scripts
   read start a line: power_finish's `kernel: done status=`). */
void console_end_line(void);

/* Text a server sent (get= bodies, llm= answers): the only way it reaches
   the console. It passes lib/text_filter.h in lines mode: controls (ESC,
   CR, C1, ...) are shown escaped as \xHH, UTF-8 stays intact (also split
   across writes), and every line that is not empty starts with
   CONSOLE_UNTRUSTED_PREFIX, so no line of server text starts at column 0
   and none can pass for one of the kernel's own lines, which scripts read
   at the start of a line (`kernel: done status=`, `https: status=`,
   `llm: done`). begin starts a text (at_line_start: the cursor is at column
   0, so its first line gets the prefix too; else it continues the caller's
   line); end finishes it and its last line, so the cursor is at column 0.
   Values inside a kernel line use text_filter_field (lib/text_filter.h). */
#define CONSOLE_UNTRUSTED_PREFIX "| "
void console_untrusted_begin(bool at_line_start);
void console_write_untrusted(const char *p, size_t n);
void console_untrusted_end(void);

/* Serial input: returns -1 when no byte is waiting. */
int  console_getc_nonblock(void);

/* Prints the message and a stack trace, then ends the run with
   status=exception (kernel invariants only, never for anything that came
   from the network). */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#endif
