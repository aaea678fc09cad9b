/* Formatting a verification failure for logs and users. see x509.h */
#include "tls/x509.h"
#include "lib/fmt.h"

/* Proleptic Gregorian date of a day count since 1970-01-01 (the inverse of
   asn1_days_from_civil: 400-year eras of 146097 days, years from March). */
static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;                              /* 0..146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);         /* 0..365 */
    int64_t mp = (5 * doy + 2) / 153;                               /* March = 0 */
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Prints "YYYY-MM-DD" into out (11 bytes). */
static void date(int64_t t, char out[16])
{
    int64_t y;
    unsigned m, d;
    civil(floor_div(t, 86400), &y, &m, &d);
    fmt_snprintf(out, 16, "%04lld-%02u-%02u", (long long)y, m, d);
}

/* Copies a CN for display: printable ASCII only, at most 64 characters. */
static void printable(const struct x509_span *s, char out[68])
{
    size_t n = 0;
    for (size_t i = 0; s->p && i < s->len && n < 64; i++)
        out[n++] = s->p[i] >= 0x20 && s->p[i] < 0x7f ? (char)s->p[i] : '?';
    if (s->p && s->len > 64)
        out[n++] = '~';
    out[n] = 0;
}

/* see x509.h */
size_t x509_detail_format(const struct x509_verify_detail *d, char *buf, size_t cap)
{
    if (!d)
        return fmt_snprintf(buf, cap, "%s", x509_err_str(X509_ERR_BAD_ARG));
    if (d->err == X509_OK || d->depth < 0)
        return fmt_snprintf(buf, cap, "%s", x509_err_str(d->err));
    char subj[68], iss[68], nb[16], na[16];
    printable(&d->subject_cn, subj);
    if (d->anchor) {
        date(d->not_after, na);
        return fmt_snprintf(buf, cap, "%s: depth %d anchor CN=%s notAfter %s", x509_err_str(d->err),
                            d->depth, subj, na);
    }
    printable(&d->issuer_cn, iss);
    date(d->not_before, nb);
    date(d->not_after, na);
    return fmt_snprintf(buf, cap, "%s: depth %d CN=%s issuer CN=%s valid %s..%s", x509_err_str(d->err),
                        d->depth, subj, iss, nb, na);
}
