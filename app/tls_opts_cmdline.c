/* TEMPORARY: the app jobs' TLS options from the command line (tls_suites=,
   tls_resume=, tls_pipeline=), the only place that reads these keys. The
   jobs' option table replaces this file. see app_tls.h */
#include "app/app_tls.h"
#include "kernel/cmdline.h"

void app_tls_opts_from_cmdline(struct app_tls_opts *o)
{
    app_tls_opts_default(o);
    const char *bad = "";
    if (!app_tls_opts_parse_suites(o, karg("tls_suites"), &bad))
        o->suites_bad = bad;
    o->resume = karg_int("tls_resume", 1) != 0;
    o->pipeline = karg_int("tls_pipeline", 1) != 0;
}
