/* libFuzzer target: the JSON parser, lookup and decoder. Every string the
   parser accepts is decoded, written back with the writer, parsed again and
   decoded again: the bytes must survive the round trip. */
#include "http/json.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct json_tok toks[2048], toks2[8];
static char dec[1 << 16], dec2[1 << 16], wbuf[6 * (1 << 16) + 16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json_doc d;
    size_t off;
    enum json_err e = json_parse(&d, (const char *)data, size, toks, 2048, &off);
    if (!json_err_str(e)[0] || (e && off > size))
        abort();
    if (e)
        return 0;
    for (size_t t = 0; t < d.ntok; t++) {
        if (d.tok[t].next <= t || d.tok[t].next > d.ntok || d.tok[t].end > size)
            abort();
        if (d.tok[t].type != JSON_STRING)
            continue;
        size_t n;
        if (json_str_decode(&d, (int)t, dec, sizeof dec, &n) != JSON_OK)
            continue;
        struct json_w w;
        json_w_init(&w, wbuf, sizeof wbuf);
        json_w_strn(&w, dec, n);
        size_t wl;
        if (json_w_finish(&w, &wl) != JSON_OK)
            abort(); /* decoded strings are valid UTF-8 */
        struct json_doc d2;
        if (json_parse(&d2, wbuf, wl, toks2, 8, NULL) != JSON_OK)
            abort();
        size_t n2;
        if (json_str_decode(&d2, 0, dec2, sizeof dec2, &n2) != JSON_OK || n2 != n ||
            memcmp(dec, dec2, n) != 0)
            abort();
    }
    json_path(&d, 0, "choices[0].delta.content", NULL);
    json_path(&d, 0, "error.message", NULL);
    int64_t v;
    for (size_t t = 0; t < d.ntok; t++)
        json_int(&d, (int)t, &v);
    return 0;
}
