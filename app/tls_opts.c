/* The app jobs' TLS connection options: defaults and the tls_suites list
   syntax. Pure code over caller memory. see app_tls.h */
#include "app/app_tls.h"
#include <string.h>

void app_tls_opts_default(struct app_tls_opts *o)
{
    memset(o, 0, sizeof *o);
    o->resume = true;
    o->pipeline = true;
}

bool app_tls_opts_parse_suites(struct app_tls_opts *o, const char *list, const char **bad)
{
    static const struct { const char *name; uint16_t id; } names[] = {
        { "aes128", TLS_AES_128_GCM_SHA256 }, { "aes256", TLS_AES_256_GCM_SHA384 },
        { "chacha20", TLS_CHACHA20_POLY1305_SHA256 },
    };
    o->nsuites = 0;
    *bad = "";
    if (!list)
        return true;
    const char *v = list;
    while (*v) {
        const char *e = strchr(v, ',');
        size_t len = e ? (size_t)(e - v) : strlen(v);
        size_t i;
        for (i = 0; i < 3; i++)
            if (strlen(names[i].name) == len && !memcmp(names[i].name, v, len))
                break;
        if (i == 3 || o->nsuites == 3) {
            *bad = v;
            return false;
        }
        o->suites[o->nsuites++] = names[i].id;
        v += len + (e ? 1 : 0);
    }
    return o->nsuites > 0;
}
