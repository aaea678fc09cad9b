/* The dns_lookup tool: a name to its addresses through the kernel's
   resolver (net/dns.h: the configured server, TCP when the UDP answer is
   truncated). Arguments {"name": "example.com"}; result
     {"name": "example.com", "canonical": "example.com",
      "addresses": ["93.184.215.14"], "ttl": 300}
   or the resolver's named error: dns_nxdomain, dns_servfail, dns_timeout,
   dns_no_answer, dns_refused, dns_malformed, bad_name, ... */
#include "app/app_tcp.h"
#include "app/tool.h"
#include "app/tool_args.h"
#include "net/dns.h"
#include "net/net_kernel.h"

static const char *dns_run(const struct tool_env *env, const struct json_doc *d, int args,
                           struct json_w *out)
{
    static const char *const names[] = {"name", NULL};
    char name[DNS_MAX_NAME + 2];
    int bad;
    enum tool_arg_err ae = tool_args_only(d, args, names, &bad);
    if (!ae)
        ae = tool_arg_str(d, args, "name", true, name, sizeof name);
    if (ae)
        return app_tool_error(out, "bad_arguments", tool_arg_err_str(ae));
    enum app_err up = APP_OK;
    if (!app_net_up(&up))
        return app_tool_error(out, app_err_str(up ? up : APP_ERR_NET_DOWN), "network down");
    static struct dns_answer ans;
    enum net_err e = dns_resolve_all(name, &ans, env->timeout_ms);
    if (e != NET_OK)
        return app_tool_error(out, net_err_str(e), name);
    json_w_obj_begin(out);
    json_w_key(out, "name");
    json_w_str(out, name);
    json_w_key(out, "canonical");
    json_w_str(out, ans.canonical);
    json_w_key(out, "addresses");
    json_w_arr_begin(out);
    for (int i = 0; i < ans.naddr; i++) {
        char a[IP_ADDR_STR_MAX];
        json_w_str(out, ip_addr_format(&ans.addr[i], a, sizeof a));
    }
    json_w_arr_end(out);
    json_w_key(out, "ttl");
    json_w_int(out, ans.ttl);
    json_w_obj_end(out);
    return NULL;
}

const struct app_tool app_tool_dns_lookup = {
    .name = "dns_lookup",
    .description = "Looks a host name up in DNS through the kernel's resolver and returns "
                   "its addresses, or the resolver's error (for example dns_nxdomain).",
    .parameters = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\","
                  "\"description\":\"the host name, e.g. example.com\"}},"
                  "\"required\":[\"name\"],\"additionalProperties\":false}",
    .run = dns_run,
};
