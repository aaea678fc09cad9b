/* see console.h */
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/trace.h"
#include "kernel/power.h"
#include "lib/fmt.h"
#include <stdint.h>

#define COM1 0x3F8
#define VGA_COLS 80
#define VGA_ROWS 25

static volatile uint16_t *const vga = (volatile uint16_t *)0xB8000;
static int vga_row, vga_col;
static bool serial_ok;
static bool at_line_start = true;    /* the last byte written was a newline */

static void serial_init(void)
{
    outb(COM1 + 1, 0x00);    /* no interrupts */
    outb(COM1 + 3, 0x80);    /* DLAB */
    outb(COM1 + 0, 0x01);    /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);    /* 8N1 */
    outb(COM1 + 2, 0xC7);    /* FIFO on, cleared, 14-byte threshold */
    outb(COM1 + 4, 0x03);    /* DTR | RTS */
    serial_ok = true;
}

static void serial_putc(char c)
{
    if (!serial_ok)
        return;
    /* wait for the transmit holding register, bounded so a missing UART
       cannot hang the kernel */
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
        cpu_relax();
    outb(COM1, (uint8_t)c);
}

static void vga_scroll(void)
{
    for (int r = 1; r < VGA_ROWS; r++)
        for (int c = 0; c < VGA_COLS; c++)
            vga[(r - 1) * VGA_COLS + c] = vga[r * VGA_COLS + c];
    for (int c = 0; c < VGA_COLS; c++)
        vga[(VGA_ROWS - 1) * VGA_COLS + c] = 0x0720;
    vga_row = VGA_ROWS - 1;
}

static void vga_putc(char c)
{
    if (c == '\n') {
        vga_col = 0;
        if (++vga_row >= VGA_ROWS)
            vga_scroll();
        return;
    }
    if (c == '\r')
        return;
    vga[vga_row * VGA_COLS + vga_col] = (uint16_t)(0x0700 | (uint8_t)c);
    if (++vga_col >= VGA_COLS) {
        vga_col = 0;
        if (++vga_row >= VGA_ROWS)
            vga_scroll();
    }
}

void console_init(void)
{
    serial_init();
    for (int i = 0; i < VGA_ROWS * VGA_COLS; i++)
        vga[i] = 0x0720;
    vga_row = vga_col = 0;
}

void console_putc(char c)
{
    at_line_start = c == '\n';
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
    vga_putc(c);
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        console_putc(s[i]);
}

void console_end_line(void)
{
    if (!at_line_start)
        console_putc('\n');
}

static void sink(char c, void *ctx)
{
    (void)ctx;
    console_putc(c);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = fmt_format(sink, NULL, fmt, ap);
    va_end(ap);
    return (int)n;
}

int console_getc_nonblock(void)
{
    if (!serial_ok || !(inb(COM1 + 5) & 0x01))
        return -1;
    return inb(COM1);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("\nPANIC: ");
    fmt_format(sink, NULL, fmt, ap);
    va_end(ap);
    kprintf("\n");
    trace_print_stack((uint64_t)__builtin_frame_address(0));
    power_finish(POWER_EXCEPTION);
}
