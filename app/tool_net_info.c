/* The net_info tool: the interface's configuration and counters (it brings
   the interface up first, as any network job does). No arguments.
     {"link": "up", "mac": "52:54:00:12:34:56", "address": "10.0.2.15",
      "netmask": "255.255.255.0", "gateway": "10.0.2.2", "dns": "10.0.2.3",
      "dns_port": 53, "dhcp": true, "counters": {"rx_frames": N, ...}} */
#include "app/app_tcp.h"
#include "app/tool.h"
#include "lib/fmt.h"
#include "net/ipv4.h"
#include "net/net.h"

static void w_ip4(struct json_w *out, const char *key, ip4_addr a)
{
    char buf[16];
    json_w_key(out, key);
    json_w_str(out, ip4_format(a, buf));
}

static void w_count(struct json_w *out, const char *key, uint64_t v)
{
    json_w_key(out, key);
    json_w_int(out, (int64_t)v);
}

static const char *net_info_run(const struct tool_env *env, const struct json_doc *d, int args,
                                struct json_w *out)
{
    (void)env;
    const char *err = app_tool_no_args(d, args, out);
    if (err)
        return err;
    enum app_err up = APP_OK;
    app_net_up(&up);                  /* a failure shows as "link": "down" */
    const struct net_config *c = net_current_config();
    const uint8_t *m = net_mac();
    char mac[18];
    fmt_snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                 m[5]);
    json_w_obj_begin(out);
    json_w_key(out, "link");
    json_w_str(out, net_is_up() ? "up" : "down");
    json_w_key(out, "mac");
    json_w_str(out, mac);
    w_ip4(out, "address", c->addr);
    w_ip4(out, "netmask", c->netmask);
    w_ip4(out, "gateway", c->gw);
    struct ip_addr dns = {0};
    uint16_t dns_port = 0;
    char dbuf[IP_ADDR_STR_MAX] = "0.0.0.0";
    if (net_dns_server(&dns, &dns_port))     /* dns=, DHCP's, or an RA's (IPv6) */
        ip_addr_format(&dns, dbuf, sizeof dbuf);
    json_w_key(out, "dns");
    json_w_str(out, dbuf);
    json_w_key(out, "dns_port");
    json_w_int(out, dns_port ? dns_port : c->dns_port);
    json_w_key(out, "dhcp");
    json_w_bool(out, c->dhcp);
    json_w_key(out, "counters");
    json_w_obj_begin(out);
    w_count(out, "rx_frames", net_stats.rx_frames);
    w_count(out, "tx_frames", net_stats.tx_frames);
    w_count(out, "rx_bytes", net_stats.rx_bytes);
    w_count(out, "tx_bytes", net_stats.tx_bytes);
    w_count(out, "rx_dropped", net_stats.rx_dropped);
    w_count(out, "rx_malformed", net_stats.rx_malformed);
    w_count(out, "dns_queries", net_stats.dns_queries);
    w_count(out, "tcp_retransmits", net_stats.tcp_retransmits);
    json_w_obj_end(out);
    json_w_obj_end(out);
    return NULL;
}

const struct app_tool app_tool_net_info = {
    .name = "net_info",
    .description = "The kernel's network interface: link state, MAC and IPv4 address, "
                   "netmask, gateway, DNS server and traffic counters.",
    .parameters = APP_TOOL_NO_PARAMETERS,
    .run = net_info_run,
};
