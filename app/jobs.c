/* see jobs.h: the job table. Each job is a key of app/keys.c; the order
   here is the order the jobs run in. */
#include "app/jobs.h"
#include "app/app_tcp.h"
#include "kernel/console.h"
#include "net/net.h"
#include "net/net_kernel.h"

static const struct app_job {
    const char *key;
    int (*run)(const struct app_options *o);
    bool network;            /* the run ends with the network's report */
} jobs[] = {
    { "selftest", app_selftest_job, false },
    { "netup",    app_netup_run,    true },
    { "resolve",  app_resolve_run,  true },
    { "tcpget",   app_tcpget_run,   true },
    { "tcpput",   app_tcpput_run,   true },
    { "get",      app_get_run,      false },
    { "llm",      app_llm_run,      false },
    { "tool",     app_tool_run,     false },
};

int app_jobs_run(const struct app_options *o)
{
    net_kernel_configure(&o->net.cfg, o->net.fault_set ? &o->net.fault : NULL);
    net_kernel_configure_ipv6(&o->net.cfg6);
    int rc = 0, ran = 0;
    bool network = false;
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
        if (!app_options_given(o, jobs[i].key))
            continue;
        if (jobs[i].run == app_netup_run && !o->netup)
            continue;                        /* netup=0 */
        ran = 1;
        network |= jobs[i].network;
        rc |= jobs[i].run(o) != 0;
    }
    if (network)
        net_kernel_report();
    else
        app_net_report();                    /* only when get=/llm= brought it up */
    return ran ? rc : -1;
}
