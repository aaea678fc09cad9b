/* The netup= and resolve= jobs (see jobs.h). netup= brings the interface
   up (net_kernel_up prints `net: up ...`); resolve= looks names up, a comma
   list, in order (the second lookup of a name shows the cache). */
#include "app/jobs.h"
#include "kernel/console.h"
#include "lib/list.h"
#include "net/net_kernel.h"
#include <string.h>

int app_net_job_up(void)
{
    enum net_err e = net_kernel_up(15000);
    if (e != NET_OK) {
        kprintf("net: error=%s\n", net_err_str(e));
        return 1;
    }
    return 0;
}

int app_netup_run(const struct app_options *o)
{
    (void)o;
    return app_net_job_up();
}

static int resolve_one(const char *name)
{
    struct dns_answer ans;
    enum net_err e = dns_resolve_all(name, &ans, 10000);
    if (e != NET_OK) {
        kprintf("dns: %s error=%s\n", name, net_err_str(e));
        return 1;
    }
    for (int i = 0; i < ans.naddr; i++) {
        char a[IP_ADDR_STR_MAX];
        kprintf("dns: %s %s\n", name, ip_addr_format(&ans.addr[i], a, sizeof a));
    }
    return 0;
}

int app_resolve_run(const struct app_options *o)
{
    if (app_net_job_up())
        return 1;
    char names[APP_RESOLVE_MAX];
    size_t n = strlen(o->resolve);
    if (n >= sizeof names)
        n = sizeof names - 1;
    memcpy(names, o->resolve, n);
    names[n] = 0;
    int rc = 0;
    struct list_iter it = list_split(names, ',');
    const char *item;
    size_t len;
    while (list_next(&it, &item, &len)) {
        char *name = names + (item - names);
        name[len] = 0;                  /* the ',' behind the iterator */
        rc |= resolve_one(name);
    }
    return rc;
}
