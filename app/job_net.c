/* The netup= and resolve= jobs (see jobs.h). netup= brings the interface
   up (net_kernel_up prints `net: up ...`); resolve= looks names up, a comma
   list, in order (the second lookup of a name shows the cache), each for A
   and AAAA at once, printing the addresses of both families. */
#include "app/jobs.h"
#include "kernel/console.h"
#include "lib/list.h"
#include "kernel/time.h"
#include "net/dns.h"
#include "net/net_kernel.h"
#include <string.h>

#define RESOLVE_TIMEOUT_MS 10000

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

/* One type's answer once it is in: a truncated one asked again over TCP. */
static bool take(const char *name, uint16_t qtype, struct dns_answer *a, enum net_err *e,
                 bool *done)
{
    if (*done)
        return true;
    *e = dns_lookup_result(qtype, a);
    if (*e == NET_ERR_AGAIN)
        return false;
    if (*e == NET_OK && a->truncated)
        *e = dns_resolve_tcp(name, qtype, a, RESOLVE_TIMEOUT_MS);
    *done = true;
    return true;
}

/* A and AAAA at once (both in flight), every address of both families
   printed (IPv6 first, dns_answers_merge); a name with one family only is
   no error. A literal is its own answer. */
static int resolve_one(const char *name)
{
    struct dns_answer ans, a6, a4;
    enum net_err e = dns_literal(name, &ans);
    if (e == NET_ERR_AGAIN) {
        memset(&a6, 0, sizeof a6);
        memset(&a4, 0, sizeof a4);
        e = dns_lookup_start(name, DNS_WANT_A | DNS_WANT_AAAA);
        if (e == NET_OK) {
            enum net_err e6 = NET_ERR_DNS_TIMEOUT, e4 = NET_ERR_DNS_TIMEOUT;
            bool done6 = false, done4 = false;
            uint64_t t0 = time_ms();
            while (!(take(name, DNS_QTYPE_AAAA, &a6, &e6, &done6) &
                     take(name, DNS_QTYPE_A, &a4, &e4, &done4))) {
                if (time_ms() - t0 > RESOLVE_TIMEOUT_MS)
                    break;
                net_poll(time_ms());
            }
            dns_lookup_cancel();          /* a type still unanswered */
            e = dns_answers_merge(&a6, e6, &a4, e4, &ans);
        }
    }
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
