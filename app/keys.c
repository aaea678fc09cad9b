/* The table of every boot key (see options.h) and the parser of each.
   docs/cmdline.md documents exactly these keys; tests/unit/test_options.c
   checks the two agree. Keep the table in the order of the docs' groups. */
#include "app/options.h"
#include "app/tool_args.h"
#include "llm/llm.h"
#include "kernel/console.h"
#include "lib/list.h"
#include "tls/tls.h"
#include <string.h>

/* ---- value kinds ------------------------------------------------------- */

/* 0|1, or a bare word meaning 1. */
static enum app_opt_err parse_bool(const char *v, bool *out)
{
    if (!*v || !strcmp(v, "1"))
        *out = true;
    else if (!strcmp(v, "0"))
        *out = false;
    else
        return APP_OPT_BAD_VALUE;
    return APP_OPT_OK;
}

static enum app_opt_err parse_num(const char *v, long min, long max, long *out)
{
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    long n;
    if (!cmdline_parse_long(v, &n))
        return APP_OPT_BAD_VALUE;
    if (n < min || n > max)
        return APP_OPT_OUT_OF_RANGE;
    *out = n;
    return APP_OPT_OK;
}

static enum app_opt_err parse_str(const char *v, const char **out)
{
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    *out = v;
    return APP_OPT_OK;
}

/* A %-decoded copy of v into buf (a value that is not valid %-encoding is
   kept as it is, as the llm= job always did). */
static enum app_opt_err parse_text(const char *v, char *buf, size_t cap, const char **out)
{
    size_t n = strlen(v);
    if (n >= cap)
        return APP_OPT_TOO_LONG;
    memcpy(buf, v, n + 1);
    if (!cmdline_pct_decode(buf))
        memcpy(buf, v, n + 1);
    *out = buf;
    return APP_OPT_OK;
}

/* ---- kernel -------------------------------------------------------------- */

static enum app_opt_err k_exit(struct app_options *o, const char *v)
{
    return parse_bool(v, &o->exit_on_finish);
}

static enum app_opt_err k_smp(struct app_options *o, const char *v) { return parse_bool(v, &o->smp); }

static enum app_opt_err k_help(struct app_options *o, const char *v)
{
    return parse_bool(v, &o->help);
}

static const char *const selftest_words[APP_ST_COUNT] = {
    [APP_ST_HEAP] = "heap", [APP_ST_SLEEP] = "sleep", [APP_ST_RANDOM] = "random",
    [APP_ST_SYM] = "sym", [APP_ST_PK] = "pk", [APP_ST_X509] = "x509", [APP_ST_TLS] = "tls",
    [APP_ST_SMP] = "smp", [APP_ST_SPEED] = "speed", [APP_ST_FAIL] = "fail",
    [APP_ST_PAGEFAULT] = "pagefault", [APP_ST_DOUBLEFREE] = "doublefree",
    [APP_ST_DIVZERO] = "divzero",
};

static enum app_opt_err k_selftest(struct app_options *o, const char *v)
{
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    unsigned words = 0;
    struct list_iter it = list_split(v, ',');
    const char *p;
    size_t len;
    while (list_next(&it, &p, &len)) {
        int w = -1;
        if (len == 3 && !memcmp(p, "all", 3)) {
            words |= APP_ST_ALL;
            w = APP_ST_COUNT;
        }
        for (int i = 0; w < 0 && i < APP_ST_COUNT; i++)
            if (strlen(selftest_words[i]) == len && !memcmp(selftest_words[i], p, len))
                w = i;
        if (w < 0)
            return APP_OPT_BAD_WORD;
        if (w < APP_ST_COUNT)
            words |= 1u << w;
    }
    o->selftest = v;
    o->selftest_words = words;
    return APP_OPT_OK;
}

/* ---- network ------------------------------------------------------------- */

static enum app_opt_err k_ip(struct app_options *o, const char *v)
{
    struct net_config c;
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    if (net_config_parse(&c, v, NULL, NULL) != NET_OK)
        return APP_OPT_BAD_VALUE;
    o->net.ip = v;
    return APP_OPT_OK;
}

static enum app_opt_err k_gw(struct app_options *o, const char *v)
{
    struct net_config c;
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    if (net_config_parse(&c, NULL, v, NULL) != NET_OK)
        return APP_OPT_BAD_VALUE;
    o->net.gw = v;
    return APP_OPT_OK;
}

static enum app_opt_err k_dns(struct app_options *o, const char *v)
{
    struct net_config c;
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    if (net_config_parse(&c, NULL, NULL, v) != NET_OK)
        return APP_OPT_BAD_VALUE;
    o->net.dns = v;
    return APP_OPT_OK;
}

/* ipv6=, ip6=, gw6=: each value checked alone here (ip6_config_parse);
   together, and against each other, in app/options.c. */
static enum app_opt_err k_ipv6(struct app_options *o, const char *v)
{
    struct ip6_config c;
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    if (ip6_config_parse(&c, v, NULL, NULL) != NET_OK)
        return APP_OPT_BAD_VALUE;
    o->net.ipv6 = v;
    return APP_OPT_OK;
}

static enum app_opt_err k_ip6(struct app_options *o, const char *v)
{
    struct ip6_config c;
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    if (ip6_config_parse(&c, NULL, v, NULL) != NET_OK)
        return APP_OPT_BAD_VALUE;
    o->net.ip6 = v;
    return APP_OPT_OK;
}

static enum app_opt_err k_gw6(struct app_options *o, const char *v)
{
    struct ip6_config c;
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    if (ip6_config_parse(&c, NULL, NULL, v) != NET_OK)
        return APP_OPT_BAD_VALUE;
    o->net.gw6 = v;
    return APP_OPT_OK;
}

static enum app_opt_err k_netfault(struct app_options *o, const char *v)
{
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    if (netfault_parse(v, &o->net.fault) != NET_OK)
        return APP_OPT_BAD_VALUE;
    o->net.fault_set = true;
    return APP_OPT_OK;
}

static enum app_opt_err k_netup(struct app_options *o, const char *v)
{
    return parse_bool(v, &o->netup);
}

static enum app_opt_err k_resolve(struct app_options *o, const char *v)
{
    if (strlen(v) >= APP_RESOLVE_MAX)
        return APP_OPT_TOO_LONG;
    return parse_str(v, &o->resolve);
}

/* HOST:PORT, the port 1..65535; the host is resolved when the job runs.
   The error line is the tcp tools' own (tests read it). */
static enum app_opt_err parse_target(const char *v)
{
    const char *colon = strrchr(v, ':');
    if (!colon || colon == v || (size_t)(colon - v) >= 256 || !colon[1]) {
        kprintf("tcp: error=bad_target detail=want HOST:PORT\n");
        return APP_OPT_JOB;
    }
    unsigned long p = 0;
    for (const char *c = colon + 1; *c; c++) {
        if (*c < '0' || *c > '9' || (p = p * 10 + (unsigned long)(*c - '0')) > 65535) {
            kprintf("tcp: error=bad_target detail=port\n");
            return APP_OPT_JOB;
        }
    }
    if (p == 0) {
        kprintf("tcp: error=bad_target detail=port\n");
        return APP_OPT_JOB;
    }
    return APP_OPT_OK;
}

static enum app_opt_err k_tcpget(struct app_options *o, const char *v)
{
    enum app_opt_err e = parse_target(v);
    if (e == APP_OPT_OK)
        o->tcpget = v;
    return e;
}

static enum app_opt_err k_tcpput(struct app_options *o, const char *v)
{
    enum app_opt_err e = parse_target(v);
    if (e == APP_OPT_OK)
        o->tcpput = v;
    return e;
}

static enum app_opt_err k_bytes(struct app_options *o, const char *v)
{
    long n;
    enum app_opt_err e = parse_num(v, 0, 10000000000L, &n);
    if (e == APP_OPT_OK) {
        o->bytes = (uint64_t)n;
        o->bytes_set = true;
    }
    return e;
}

static enum app_opt_err k_tcptimeout(struct app_options *o, const char *v)
{
    long n;
    enum app_opt_err e = parse_num(v, 1, 3599999, &n);
    if (e == APP_OPT_OK)
        o->tcptimeout_ms = (uint32_t)n;
    return e;
}

/* ---- get= and llm= ------------------------------------------------------- */

static enum app_opt_err k_get(struct app_options *o, const char *v)
{
    enum url_err ue = url_parse(v, &o->get_url);
    if (ue != URL_OK) {
        kprintf("https: error=%s detail=%s\n", url_err_str(ue), v);
        return APP_OPT_JOB;
    }
    if (!o->get_url.https) {
        kprintf("https: error=url_bad_scheme detail=only https:// is supported\n");
        return APP_OPT_JOB;
    }
    o->get = v;
    return APP_OPT_OK;
}

static enum app_opt_err k_llm(struct app_options *o, const char *v)
{
    enum url_err ue = url_parse(v, &o->llm_url);
    if (ue != URL_OK) {     /* http:// too: Ollama on the local network */
        kprintf("llm: error=%s detail=%s\n", url_err_str(ue), v);
        return APP_OPT_JOB;
    }
    o->llm = v;
    return APP_OPT_OK;
}

static enum app_opt_err k_provider(struct app_options *o, const char *v)
{
    if (!llm_provider_by_name(v))
        return APP_OPT_BAD_WORD;
    o->provider = v;
    return APP_OPT_OK;
}

static enum app_opt_err k_print(struct app_options *o, const char *v)
{
    return parse_bool(v, &o->print);
}

static enum app_opt_err k_repeat(struct app_options *o, const char *v)
{
    return parse_num(v, 1, 1000, &o->repeat);
}

static enum app_opt_err k_loops(struct app_options *o, const char *v)
{
    return parse_num(v, 1, 1000, &o->loops);
}

static enum app_opt_err k_timeout(struct app_options *o, const char *v)
{
    return parse_num(v, 1, 3600000, &o->timeout_ms);
}

static enum app_opt_err k_heapcheck(struct app_options *o, const char *v)
{
    return parse_bool(v, &o->heapcheck);
}

static enum app_opt_err k_model(struct app_options *o, const char *v)
{
    return parse_text(v, o->model_buf, sizeof o->model_buf, &o->model);
}

static enum app_opt_err k_key(struct app_options *o, const char *v)
{
    return parse_text(v, o->key_buf, sizeof o->key_buf, &o->key);
}

/* see options.h: the key as a file holds it (fw_cfg opt/llm/key) */
enum app_opt_err app_options_key_file(struct app_options *o, const char *p, size_t n)
{
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
        n--;
    if (!n)
        return APP_OPT_MISSING_VALUE;
    if (n >= sizeof o->key_buf)
        return APP_OPT_TOO_LONG;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
            return APP_OPT_BAD_VALUE;
    memcpy(o->key_buf, p, n);
    o->key_buf[n] = 0;
    o->key = o->key_buf;
    return APP_OPT_OK;
}

static enum app_opt_err k_prompt(struct app_options *o, const char *v)
{
    return parse_text(v, o->prompt_buf, sizeof o->prompt_buf, &o->prompt);
}

static enum app_opt_err k_system(struct app_options *o, const char *v)
{
    return parse_text(v, o->system_buf, sizeof o->system_buf, &o->system);
}

static enum app_opt_err k_stream(struct app_options *o, const char *v)
{
    return parse_bool(v, &o->stream);
}

static enum app_opt_err k_llm_idle(struct app_options *o, const char *v)
{
    long n;
    enum app_opt_err e = parse_num(v, 1, 86400, &n);
    if (e == APP_OPT_OK)
        o->llm_idle_s = (uint32_t)n;
    return e;
}

static enum app_opt_err k_llm_history(struct app_options *o, const char *v)
{
    long n;
    enum app_opt_err e = parse_num(v, 1024, 1048576, &n);
    if (e == APP_OPT_OK)
        o->llm_history = (uint32_t)n;
    return e;
}

static enum app_opt_err k_retries(struct app_options *o, const char *v)
{
    long n;
    enum app_opt_err e = parse_num(v, 1, 10, &n);
    if (e == APP_OPT_OK)
        o->retries = (unsigned)n;
    return e;
}

/* ---- tool= ---------------------------------------------------------------- */
static enum app_opt_err k_tool(struct app_options *o, const char *v)
{
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    if (tool_name_index(v, strlen(v)) < 0)
        return APP_OPT_BAD_WORD;
    o->tool = v;
    return APP_OPT_OK;
}

static enum app_opt_err k_tool_args(struct app_options *o, const char *v)
{
    return parse_text(v, o->tool_args_buf, sizeof o->tool_args_buf, &o->tool_args);
}

static enum app_opt_err k_tool_hosts(struct app_options *o, const char *v)
{
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    if (!tool_hosts_valid(v))
        return APP_OPT_BAD_VALUE;
    o->tool_hosts = v;
    return APP_OPT_OK;
}

/* 0 (no tools), all, or a comma list of tool names (each at most once). */
static enum app_opt_err k_tools(struct app_options *o, const char *v)
{
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    uint32_t mask = 0;
    if (!strcmp(v, "0")) {
        o->tools_mask = 0;
        return APP_OPT_OK;
    }
    if (!strcmp(v, "all")) {
        for (int i = 0; tool_names[i]; i++)
            mask |= 1u << i;
        o->tools_mask = mask;
        return APP_OPT_OK;
    }
    struct list_iter it = list_split(v, ',');
    const char *w;
    size_t len;
    while (list_next(&it, &w, &len)) {
        int i = tool_name_index(w, len);
        if (i < 0 || (mask >> i & 1))
            return APP_OPT_BAD_WORD;
        mask |= 1u << i;
    }
    if (!mask)
        return APP_OPT_BAD_WORD;
    o->tools_mask = mask;
    return APP_OPT_OK;
}

static enum app_opt_err k_tool_rounds(struct app_options *o, const char *v)
{
    return parse_num(v, 1, 32, &o->tool_rounds);
}

/* aes128, aes256, chacha20 in preference order, each at most once. */
static enum app_opt_err k_tls_suites(struct app_options *o, const char *v)
{
    static const struct { const char *name; uint16_t id; } names[] = {
        { "aes128", TLS_AES_128_GCM_SHA256 }, { "aes256", TLS_AES_256_GCM_SHA384 },
        { "chacha20", TLS_CHACHA20_POLY1305_SHA256 },
    };
    size_t n = 0;
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    struct list_iter it = list_split(v, ',');
    const char *w;
    size_t len;
    while (list_next(&it, &w, &len)) {
        size_t i;
        for (i = 0; i < 3; i++)
            if (strlen(names[i].name) == len && !memcmp(names[i].name, w, len))
                break;
        if (i == 3 || n == 3)
            return APP_OPT_BAD_WORD;
        o->tls.suites[n++] = names[i].id;
    }
    o->tls.nsuites = n;
    return APP_OPT_OK;
}

/* x25519mlkem768, x25519, secp256r1, secp384r1 in preference order, each
   at most once. */
static enum app_opt_err k_tls_groups(struct app_options *o, const char *v)
{
    size_t n = 0;
    if (!*v)
        return APP_OPT_MISSING_VALUE;
    while (*v) {
        const char *e = strchr(v, ',');
        size_t len = e ? (size_t)(e - v) : strlen(v);
        uint16_t id = tls_group_from_name(v, len);
        if (!id || n == TLS_MAX_GROUPS)
            return APP_OPT_BAD_WORD;
        for (size_t i = 0; i < n; i++)
            if (o->tls.groups[i] == id)
                return APP_OPT_BAD_WORD;
        o->tls.groups[n++] = id;
        v += len + (e ? 1 : 0);
    }
    o->tls.ngroups = n;
    return APP_OPT_OK;
}

static enum app_opt_err k_tls_resume(struct app_options *o, const char *v)
{
    return parse_bool(v, &o->tls.resume);
}

static enum app_opt_err k_tls_pipeline(struct app_options *o, const char *v)
{
    return parse_bool(v, &o->tls.pipeline);
}

/* mem=small|default: the memory profile of the client connections
   (app/mem_profile.h) */
static enum app_opt_err k_mem(struct app_options *o, const char *v)
{
    return app_mem_parse(v, &o->tls.mem) ? APP_OPT_OK : APP_OPT_BAD_VALUE;
}

/* ---- the table ----------------------------------------------------------- */

const struct app_key app_keys[] = {
    { "exit", k_exit, "0|1", "power off when the run ends (QEMU exits with the status)" },
    { "smp", k_smp, "0|1", "start the second CPU (default 1)" },
    { "help", k_help, "", "print every key and stop" },
    { "selftest", k_selftest, "WORD,...", "boot self-tests: all,heap,sleep,random,sym,pk,"
      "x509,tls,smp,speed,fail,pagefault,doublefree,divzero" },
    { "ip", k_ip, "dhcp|A.B.C.D[/NN]", "interface address (default dhcp)" },
    { "gw", k_gw, "A.B.C.D", "default gateway (static, or over DHCP's)" },
    { "dns", k_dns, "A.B.C.D[:PORT]|IPV6|[IPV6]:PORT",
      "DNS server (over DHCP's and a router advertisement's)" },
    { "ipv6", k_ipv6, "0|1", "IPv6 beside IPv4, SLAAC (default 1)" },
    { "ip6", k_ip6, "IPV6/LEN", "static IPv6 address (beside SLAAC's)" },
    { "gw6", k_gw6, "IPV6", "static IPv6 default router" },
    { "netfault", k_netfault, "drop:P,dup:P,reorder:P,corrupt:P,seed:S",
      "fault injection on every frame, both directions" },
    { "netup", k_netup, "0|1", "bring the network up and report it" },
    { "resolve", k_resolve, "NAME,...", "DNS lookups, one line per address" },
    { "tcpget", k_tcpget, "HOST:PORT", "download until the peer closes; bytes and SHA-256" },
    { "tcpput", k_tcpput, "HOST:PORT", "upload bytes= bytes; SHA-256" },
    { "bytes", k_bytes, "N", "tcpput= byte count" },
    { "tcptimeout", k_tcptimeout, "MS", "tcpget=/tcpput= connect and idle timeout (20000)" },
    { "get", k_get, "https://HOST[:PORT]/PATH", "HTTPS GET; status, size and SHA-256" },
    { "print", k_print, "0|1", "get=: print the body" },
    { "repeat", k_repeat, "N", "get=/llm=: requests per connection (1..1000)" },
    { "loops", k_loops, "N", "get=: connections in a row (1..1000)" },
    { "timeout", k_timeout, "MS", "get= (30000) / llm= (60000) per-operation timeout" },
    { "heapcheck", k_heapcheck, "0|1", "get=/llm=: print heap use before and after" },
    { "llm", k_llm, "http[s]://HOST[:PORT]/PATH", "ask an LLM (the provider's API path)" },
    { "provider", k_provider, "openai|responses|anthropic|gemini|ollama",
      "llm= API (default: from the URL path, else openai)" },
    { "model", k_model, "NAME", "llm= model (required)" },
    { "key", k_key, "KEY", "llm= API key (Bearer)" },
    { "prompt", k_prompt, "TEXT", "llm= prompt; without it prompts come from the console" },
    { "system", k_system, "TEXT", "llm= system prompt" },
    { "stream", k_stream, "0|1", "llm= streamed answer (default 1)" },
    { "llm_idle", k_llm_idle, "S", "llm= interactive: seconds without input before it ends (600)" },
    { "llm_history", k_llm_history, "BYTES", "llm= chat: history bound in bytes of message JSON "
      "(65536; 1024..1048576)" },
    { "retries", k_retries, "N", "llm=: attempts per request in all (3; 1..10)" },
    { "tool", k_tool, "clock|net_info|dns_lookup|https_get",
      "run one tool as a model would call it and print its JSON result" },
    { "tool_args", k_tool_args, "JSON", "tool= arguments object (default {})" },
    { "tool_hosts", k_tool_hosts, "HOST,...",
      "hosts https_get may reach (default: any host at a public address)" },
    { "tools", k_tools, "0|all|NAME,...", "llm=: tools declared to the model (all)" },
    { "tool_rounds", k_tool_rounds, "N", "llm=: model->tools->model rounds per turn (8; 1..32)" },
    { "tls_suites", k_tls_suites, "aes128,aes256,chacha20", "offered cipher suites, in order" },
    { "tls_groups", k_tls_groups, "x25519mlkem768,x25519,secp256r1,secp384r1",
      "offered key exchange groups, in order" },
    { "tls_resume", k_tls_resume, "0|1", "session resumption between a job's connections (1)" },
    { "tls_pipeline", k_tls_pipeline, "0|1", "decrypt records on the second CPU (1)" },
    { "mem", k_mem, "small|default", "memory of llm= and get= connections (default)" },
};
const size_t app_nkeys = sizeof app_keys / sizeof app_keys[0];
_Static_assert(sizeof app_keys / sizeof app_keys[0] <= 64, "app_options.given has 64 bits");
