/* What a response says besides its answer (see llm.h, provider.h): the
   token usage a provider reports, and the wait a Retry-After
   (RFC 9110 10.2.3) or retry-after-ms header asks for, read through the
   HTTP parser's header callback. The memory is the caller's struct
   llm_resp. */
#include "llm/llm.h"
#include "llm/provider.h"
#include "http/http_date.h"
#include "lib/ascii.h"

/* Larger waits are taken as this many seconds (RFC 9111 1.2.2's limit for
   delta-seconds), so no arithmetic on them overflows. */
#define RA_MAX_S 2147483648LL

/* see provider.h */
void llm_resp_meta_init(struct llm_resp *r)
{
    r->in_tokens = r->out_tokens = -1;
    r->retry_after_ms = -1;
    r->retry_after_unix = 0;
    r->hdr_ra_ms = r->hdr_ra_s = -1;
    r->hdr_ra_date = r->hdr_date = INT64_MIN;
}

/* Decimal digits (at least one), then, when frac, an optional "." and
   digits that are ignored; -1 for anything else. Saturates at max. */
static int64_t decimal(const char *s, bool frac, int64_t max)
{
    int64_t v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++)
        v = v > max / 10 ? max : v * 10 + (*p - '0');
    if (p == s)
        return -1;
    if (frac && *p == '.') {
        const char *q = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == q)
            return -1;
    }
    if (*p)
        return -1;
    return v < max ? v : max;
}

/* The results from the header values seen so far (they come in any
   order). */
static void resolve(struct llm_resp *r)
{
    r->retry_after_ms = -1;
    r->retry_after_unix = 0;
    if (r->hdr_ra_ms >= 0) {
        r->retry_after_ms = r->hdr_ra_ms;
    } else if (r->hdr_ra_s >= 0) {
        r->retry_after_ms = r->hdr_ra_s * 1000;
    } else if (r->hdr_ra_date != INT64_MIN && r->hdr_date != INT64_MIN) {
        int64_t d = r->hdr_ra_date - r->hdr_date;
        r->retry_after_ms = d <= 0 ? 0 : (d < RA_MAX_S ? d : RA_MAX_S) * 1000;
    } else if (r->hdr_ra_date != INT64_MIN) {
        r->retry_after_unix = r->hdr_ra_date;
    }
}

/* see provider.h */
void llm_resp_on_header(void *ctx, const char *name, const char *value, bool trailer)
{
    struct llm_resp *r = ctx;
    /* the final response's head only: not a 1xx's, not trailers */
    if (trailer || r->http.status < 200)
        return;
    int64_t v;
    if (ascii_strcaseeq(name, "retry-after-ms")) {
        v = decimal(value, true, RA_MAX_S * 1000);
        if (v >= 0)
            r->hdr_ra_ms = v;
    } else if (ascii_strcaseeq(name, "retry-after")) {
        v = decimal(value, false, RA_MAX_S);
        if (v >= 0) {
            r->hdr_ra_s = v;
            r->hdr_ra_date = INT64_MIN;
        } else if (http_date_parse(value, &v) == HTTP_OK) {
            r->hdr_ra_date = v;
            r->hdr_ra_s = -1;
        }
    } else if (ascii_strcaseeq(name, "date")) {
        if (http_date_parse(value, &v) == HTTP_OK)
            r->hdr_date = v;
    } else {
        return;
    }
    resolve(r);
}

/* see provider.h */
int64_t llm_json_count(const struct json_doc *d, int obj, const char *key)
{
    if (obj < 0 || d->tok[obj].type != JSON_OBJECT)
        return -1;
    int t = json_obj_get(d, obj, key);
    int64_t v;
    if (t < 0 || d->tok[t].type != JSON_NUMBER || json_int(d, t, &v) != JSON_OK || v < 0)
        return -1;
    return v;
}

/* see provider.h */
void llm_resp_set_usage(struct llm_resp *r, int64_t in, int64_t out)
{
    if (in >= 0)
        r->in_tokens = in;
    if (out >= 0)
        r->out_tokens = out;
}

/* see provider.h */
void llm_resp_usage_at(struct llm_resp *r, struct json_doc *d, int obj, const char *in_key,
                       const char *out_key)
{
    llm_resp_set_usage(r, llm_json_count(d, obj, in_key), llm_json_count(d, obj, out_key));
}
