/* HTTP-date parser (see http_date.h): RFC 9110 5.6.7, its three forms. */
#include "http/http_date.h"
#include <string.h>

static const char *const DAYS[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const DAYS_L[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};
static const char *const MONTHS[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* see http_date.h; the usual shift of the year to start in March, so the
   leap day is the last of a "year" (era = 400 years = 146097 days) */
int64_t http_days_from_civil(int64_t year, unsigned month, unsigned day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t yoe = year - era * 400;                                 /* 0..399 */
    int64_t mp = month > 2 ? month - 3 : month + 9;                 /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + day - 1;                     /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* 0..146096 */
    return era * 146097 + doe - 719468;
}

/* A cursor over the text: each reader advances it on success only. */
struct cur {
    const char *p;
};

static bool lit(struct cur *c, const char *s)
{
    size_t n = strlen(s);
    if (strncmp(c->p, s, n) != 0)
        return false;
    c->p += n;
    return true;
}

/* Exactly n digits. */
static bool digits(struct cur *c, unsigned n, unsigned *v)
{
    unsigned x = 0;
    for (unsigned i = 0; i < n; i++) {
        if (c->p[i] < '0' || c->p[i] > '9')
            return false;
        x = x * 10 + (unsigned)(c->p[i] - '0');
    }
    c->p += n;
    *v = x;
    return true;
}

/* One name of a table (index into *i). */
static bool name(struct cur *c, const char *const *tab, unsigned n, unsigned *i)
{
    for (unsigned k = 0; k < n; k++)
        if (lit(c, tab[k])) {
            *i = k;
            return true;
        }
    return false;
}

/* time-of-day = hour ":" minute ":" second (second 60: a leap second) */
static bool time_of_day(struct cur *c, unsigned *h, unsigned *m, unsigned *s)
{
    return digits(c, 2, h) && lit(c, ":") && digits(c, 2, m) && lit(c, ":") && digits(c, 2, s) &&
           *h < 24 && *m < 60 && *s <= 60;
}

static bool leap(unsigned y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static enum http_err finish(unsigned y, unsigned mon, unsigned d, unsigned h, unsigned mi,
                            unsigned s, int64_t *unix_s)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned last = mdays[mon] + (mon == 1 && leap(y));
    if (d < 1 || d > last)
        return HTTP_ERR_BAD_DATE;
    *unix_s = http_days_from_civil(y, mon + 1, d) * 86400 + h * 3600 + mi * 60 + s;
    return HTTP_OK;
}

/* see http_date.h */
enum http_err http_date_parse(const char *s, int64_t *unix_s)
{
    struct cur c = {s};
    unsigned wd, d, mon, y, h, mi, sec;
    if (name(&c, DAYS_L, 7, &wd) && lit(&c, ", ")) {
        /* rfc850-date: day-name-l ", " 2DIGIT "-" month "-" 2DIGIT SP time " GMT" */
        if (!digits(&c, 2, &d) || !lit(&c, "-") || !name(&c, MONTHS, 12, &mon) || !lit(&c, "-") ||
            !digits(&c, 2, &y) || !lit(&c, " ") || !time_of_day(&c, &h, &mi, &sec) ||
            !lit(&c, " GMT") || *c.p)
            return HTTP_ERR_BAD_DATE;
        y += y >= 70 ? 1900 : 2000;
        return finish(y, mon, d, h, mi, sec, unix_s);
    }
    c.p = s;
    if (!name(&c, DAYS, 7, &wd))
        return HTTP_ERR_BAD_DATE;
    if (lit(&c, ", ")) {
        /* IMF-fixdate: day-name ", " 2DIGIT SP month SP 4DIGIT SP time " GMT" */
        if (!digits(&c, 2, &d) || !lit(&c, " ") || !name(&c, MONTHS, 12, &mon) || !lit(&c, " ") ||
            !digits(&c, 4, &y) || !lit(&c, " ") || !time_of_day(&c, &h, &mi, &sec) ||
            !lit(&c, " GMT") || *c.p)
            return HTTP_ERR_BAD_DATE;
        return finish(y, mon, d, h, mi, sec, unix_s);
    }
    /* asctime-date: day-name SP month SP (2DIGIT / SP DIGIT) SP time SP 4DIGIT */
    if (!lit(&c, " ") || !name(&c, MONTHS, 12, &mon) || !lit(&c, " "))
        return HTTP_ERR_BAD_DATE;
    if (!(lit(&c, " ") ? digits(&c, 1, &d) : digits(&c, 2, &d)) || !lit(&c, " ") ||
        !time_of_day(&c, &h, &mi, &sec) || !lit(&c, " ") || !digits(&c, 4, &y) || *c.p)
        return HTTP_ERR_BAD_DATE;
    return finish(y, mon, d, h, mi, sec, unix_s);
}
