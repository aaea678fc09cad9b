/* see time.h */
#include "kernel/time.h"
#include "kernel/cpu.h"
#include "lib/fmt.h"

#define PIT_HZ 1193182u

static uint64_t tsc_hz, tsc0;
static int64_t boot_unix;

/* Counts TSC ticks over `ms` milliseconds of PIT channel 2 in mode 0. */
static uint64_t pit_measure(unsigned ms)
{
    uint32_t count = PIT_HZ * ms / 1000;
    uint8_t p61 = inb(0x61);
    outb(0x61, (uint8_t)((p61 & ~0x02) | 0x01));   /* gate on, speaker off */
    outb(0x43, 0xB0);                              /* ch2, lo/hi, mode 0, binary */
    outb(0x42, (uint8_t)count);
    outb(0x42, (uint8_t)(count >> 8));
    /* restart the count: toggle the gate */
    p61 = inb(0x61);
    outb(0x61, (uint8_t)(p61 & ~0x01));
    outb(0x61, (uint8_t)(p61 | 0x01));
    uint64_t t0 = rdtsc();
    uint64_t guard = 0;
    while (!(inb(0x61) & 0x20)) {
        if (++guard > 100000000ull)
            break;
    }
    uint64_t t1 = rdtsc();
    return (t1 - t0) * 1000 / ms;
}

void time_init(void)
{
    uint64_t m[3];
    for (int i = 0; i < 3; i++)
        m[i] = pit_measure(20);
    /* median of three */
    uint64_t a = m[0], b = m[1], c = m[2];
    tsc_hz = a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
    if (tsc_hz < 1000000)
        tsc_hz = 1000000;                              /* never divide by ~0 */
    tsc0 = rdtsc();
    struct rtc_time t;
    rtc_read(&t);
    boot_unix = rtc_to_unix(&t);
}

uint64_t time_tsc_hz(void) { return tsc_hz; }

uint64_t time_us(void)
{
    unsigned __int128 d = rdtsc() - tsc0;
    return (uint64_t)(d * 1000000u / tsc_hz);
}

uint64_t time_ms(void) { return time_us() / 1000; }

void sleep_us(uint64_t us)
{
    uint64_t end = time_us() + us;
    while (time_us() < end)
        cpu_relax();
}

void sleep_ms(uint64_t ms) { sleep_us(ms * 1000); }

int64_t time_unix(void) { return boot_unix + (int64_t)(time_us() / 1000000); }

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static void rtc_raw(uint8_t r[7])
{
    for (int i = 0; i < 1000000 && (cmos(0x0A) & 0x80); i++)
        cpu_relax();                                   /* update in progress */
    r[0] = cmos(0x00); r[1] = cmos(0x02); r[2] = cmos(0x04);
    r[3] = cmos(0x07); r[4] = cmos(0x08); r[5] = cmos(0x09); r[6] = cmos(0x32);
}

static int bcd(uint8_t v) { return (v & 0x0F) + (v >> 4) * 10; }

void rtc_read(struct rtc_time *t)
{
    uint8_t a[7], b[7];
    rtc_raw(a);
    for (int tries = 0; tries < 10; tries++) {
        rtc_raw(b);
        int same = 1;
        for (int i = 0; i < 7; i++)
            same &= a[i] == b[i];
        if (same)
            break;
        for (int i = 0; i < 7; i++)
            a[i] = b[i];
    }
    uint8_t regb = cmos(0x0B);
    int binary = regb & 0x04, h24 = regb & 0x02;
    int pm = a[2] & 0x80;
    a[2] &= 0x7F;
    int sec = binary ? a[0] : bcd(a[0]);
    int min = binary ? a[1] : bcd(a[1]);
    int hour = binary ? a[2] : bcd(a[2]);
    int day = binary ? a[3] : bcd(a[3]);
    int mon = binary ? a[4] : bcd(a[4]);
    int yr = binary ? a[5] : bcd(a[5]);
    int cent = binary ? a[6] : bcd(a[6]);
    if (!h24) {
        if (hour == 12) hour = 0;
        if (pm) hour += 12;
    }
    if (cent < 19 || cent > 30)
        cent = 20;                                      /* no century register */
    t->year = cent * 100 + yr;
    t->month = mon;
    t->day = day;
    t->hour = hour;
    t->minute = min;
    t->second = sec;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (civil-from-days inverse). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t rtc_to_unix(const struct rtc_time *t)
{
    return days_from_civil(t->year, t->month, t->day) * 86400 +
           t->hour * 3600 + t->minute * 60 + t->second;
}

void time_format_iso(int64_t s, char *buf, unsigned n)
{
    int64_t days = s / 86400, rem = s % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    /* civil_from_days */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    fmt_snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m, (int)d,
                 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}
