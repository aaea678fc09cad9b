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

/* Serial input: returns -1 when no byte is waiting. */
int  console_getc_nonblock(void);

/* Prints the message and a stack trace, then ends the run with
   status=exception (kernel invariants only, never for anything that came
   from the network). */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#endif
