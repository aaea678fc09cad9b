/* libFuzzer target: the HTTP-date parser (http/http_date.h). An accepted
   date must be the instant the C library formats back into the same text
   in its form (IMF-fixdate, rfc850 or asctime; the day name, which the
   parser does not check against the date, and the rfc850 century aside);
   a refused one leaves the output untouched. */
#define _DEFAULT_SOURCE
#include "http/http_date.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[64];
    if (size >= sizeof s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;
    int64_t t = 42;
    if (http_date_parse(s, &t) != HTTP_OK) {
        if (t != 42)
            abort();
        return 0;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        abort();
    if (tm.tm_year + 1900 < 1000)
        return 0; /* strftime's %Y has no leading zeros */
    char want[64];
    const char *rest = strchr(s, ' '); /* after the day name */
    if (!rest)
        abort();
    if (strchr(s, '-'))
        strftime(want, sizeof want, " %d-%b-%y %H:%M:%S GMT", &tm);
    else if (rest[-1] == ',')
        strftime(want, sizeof want, " %d %b %Y %H:%M:%S GMT", &tm);
    else
        strftime(want, sizeof want, " %b %e %H:%M:%S %Y", &tm);
    /* a leap second (:60) is the next minute's :00 */
    if (strstr(s, ":60") && !strstr(s, ":60:"))
        return 0;
    if (strcmp(rest, want) != 0 &&
        !(rest[-1] != ',' && want[5] == ' ' && strncmp(rest, want, 5) == 0)) /* asctime "06" */
        abort();
    return 0;
}
