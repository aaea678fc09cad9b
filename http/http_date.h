/* HTTP-date (RFC 9110 5.6.7): the preferred IMF-fixdate
   ("Sun, 06 Nov 1994 08:49:37 GMT") and the two obsolete forms recipients
   must accept, rfc850-date ("Sunday, 06-Nov-94 08:49:37 GMT") and
   asctime-date ("Sun Nov  6 08:49:37 1994"), read into Unix seconds.
   The grammar is case-sensitive, as the RFC says; the day name must be one
   of the seven but is not checked against the date. A two-digit rfc850
   year is 19YY from 70 on, else 20YY (there is no clock here to apply the
   RFC's "50 years in the future" rule). Pure code, no allocation, no
   state. */
#ifndef HTTP_HTTP_DATE_H
#define HTTP_HTTP_DATE_H
#include "http/http.h"
#include <stdint.h>

/* Parses the whole of s (NUL-terminated, no surrounding whitespace) into
   *unix_s; HTTP_ERR_BAD_DATE (and *unix_s untouched) for anything else. */
enum http_err http_date_parse(const char *s, int64_t *unix_s);

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian; month
   1..12, day 1..31, not checked here). */
int64_t http_days_from_civil(int64_t year, unsigned month, unsigned day);

#endif
