/* Time: a monotonic clock from the TSC, calibrated at boot against the PIT
   (channel 2, gate-controlled, so no interrupts); UTC wall-clock time from the
   CMOS RTC read once at boot and advanced by the monotonic clock; busy sleeps.
   Certificate validity checks take time_unix(). */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H
#include <stdint.h>

void     time_init(void);
uint64_t time_us(void);          /* microseconds since time_init */
uint64_t time_ms(void);
uint64_t time_tsc_hz(void);
void     sleep_us(uint64_t us);
void     sleep_ms(uint64_t ms);
int64_t  time_unix(void);        /* seconds since 1970-01-01 UTC */

struct rtc_time { int year, month, day, hour, minute, second; };
/* Reads the RTC now (binary or BCD, 12/24 h, with the century register). */
void     rtc_read(struct rtc_time *t);
int64_t  rtc_to_unix(const struct rtc_time *t);
/* Formats t as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 21 bytes). */
void     time_format_iso(int64_t unix_secs, char *buf, unsigned n);

#endif
