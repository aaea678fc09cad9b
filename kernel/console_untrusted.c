/* Text a server sent, on its way to the console: through lib/text_filter.h
   in lines mode with CONSOLE_UNTRUSTED_PREFIX (see console.h). One text at
   a time: the jobs that print server text run on the boot CPU, one after
   the other. */
#include "kernel/console.h"
#include "lib/text_filter.h"

static struct text_filter cur;
static bool active;

static void out(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    console_write(p, n);
}

void console_untrusted_begin(bool at_line_start)
{
    text_filter_init(&cur, TEXT_FILTER_LINES, CONSOLE_UNTRUSTED_PREFIX, at_line_start, out, NULL);
    active = true;
}

void console_write_untrusted(const char *p, size_t n)
{
    if (!active)
        console_untrusted_begin(true);
    text_filter_write(&cur, p, n);
}

void console_untrusted_end(void)
{
    if (!active)
        return;
    if (!text_filter_end(&cur))
        console_write("\n", 1);
    active = false;
}
