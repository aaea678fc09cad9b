/* see options.h: the parse loop, the defaults and the help text. The key
   table and each key's parser are in app/keys.c. */
#include "app/options.h"
#include "app/tool_args.h"
#include "kernel/console.h"
#include "crypto/crypto.h"
#include <string.h>

const char *app_opt_err_str(enum app_opt_err e)
{
    switch (e) {
    case APP_OPT_OK:            return "ok";
    case APP_OPT_UNKNOWN_KEY:   return "unknown_key";
    case APP_OPT_BAD_VALUE:     return "bad_value";
    case APP_OPT_OUT_OF_RANGE:  return "out_of_range";
    case APP_OPT_TOO_LONG:      return "too_long";
    case APP_OPT_MISSING_VALUE: return "missing_value";
    case APP_OPT_BAD_WORD:      return "bad_word";
    case APP_OPT_JOB:           return "rejected_by_job";
    case APP_OPT_CONFLICT:      return "conflict";
    }
    return "unknown";
}

const struct app_key *app_key_find(const char *name)
{
    for (size_t i = 0; i < app_nkeys; i++)
        if (!strcmp(app_keys[i].name, name))
            return &app_keys[i];
    return NULL;
}

bool app_options_given(const struct app_options *o, const char *name)
{
    const struct app_key *k = app_key_find(name);
    return k && (o->given >> (k - app_keys) & 1);
}

bool app_options_on_cmdline(const struct app_options *o, const char *name)
{
    const struct app_key *k = app_key_find(name);
    return k && (o->given_cmdline >> (k - app_keys) & 1);
}

void app_options_defaults(struct app_options *o)
{
    memset(o, 0, sizeof *o);
    o->smp = true;
    o->tcptimeout_ms = 20000;
    o->repeat = 1;
    o->loops = 1;
    o->timeout_ms = -1;
    o->stream = true;
    o->llm_idle_s = 600;
    o->llm_history = 65536;
    o->retries = 3;
    for (int i = 0; tool_names[i]; i++)
        o->tools_mask |= 1u << i;
    o->tool_rounds = 8;
    o->tls.resume = true;
    o->tls.pipeline = true;
    /* no ip=/gw=/dns=: DHCP (cannot fail); no ipv6=/ip6=/gw6=: IPv6 on, SLAAC */
    (void)net_config_parse(&o->net.cfg, NULL, NULL, NULL);
    (void)ip6_config_parse(&o->net.cfg6, NULL, NULL, NULL);
}

/* Applies the words of c; from_cmdline: the command line (else a fw_cfg
   file, named on the error lines). Returns the number of bad keys. */
static int apply(struct app_options *o, const struct cmdline *c, bool from_cmdline)
{
    int bad = 0;
    for (int i = 0; i < c->n; i++) {
        const struct app_key *k = app_key_find(c->key[i]);
        enum app_opt_err e = k ? (k->parse ? k->parse(o, c->val[i]) : APP_OPT_OK)
                               : APP_OPT_UNKNOWN_KEY;
        if (e == APP_OPT_OK) {
            o->given |= 1ull << (k - app_keys);
            if (from_cmdline)
                o->given_cmdline |= 1ull << (k - app_keys);
        } else {
            kprintf("cmdline: error key=%s detail=%s%s\n", c->key[i], app_opt_err_str(e),
                    from_cmdline ? "" : " source=fw_cfg");
            bad++;
        }
    }
    return bad;
}

int app_options_parse_sources(struct app_options *o, const struct app_option_sources *s)
{
    app_options_defaults(o);
    int bad = 0;
    if (s->key_file) {
        enum app_opt_err e = app_options_key_file(o, s->key_file, s->key_file_len);
        if (e == APP_OPT_OK) {
            o->given |= 1ull << (app_key_find("key") - app_keys);
        } else {
            kprintf("cmdline: error key=key detail=%s source=fw_cfg\n", app_opt_err_str(e));
            bad++;
        }
    }
    if (s->config)
        bad += apply(o, s->config, false);
    if (s->cmdline)
        bad += apply(o, s->cmdline, true);
    /* ip=, gw= and dns= together (each was checked on its own) */
    if (!bad && net_config_parse(&o->net.cfg, o->net.ip, o->net.gw, o->net.dns) != NET_OK) {
        kprintf("cmdline: error key=ip detail=%s\n", app_opt_err_str(APP_OPT_BAD_VALUE));
        bad++;
    }
    /* ipv6=, ip6=, gw6= together: each was good alone, so a refusal here is
       ip6=/gw6= with ipv6=0 (settings that would be ignored) */
    if (!bad && ip6_config_parse(&o->net.cfg6, o->net.ipv6, o->net.ip6, o->net.gw6) != NET_OK) {
        kprintf("cmdline: error key=ipv6 detail=%s\n", app_opt_err_str(APP_OPT_CONFLICT));
        bad++;
    }
    return bad;
}

int app_options_parse(struct app_options *o, const struct cmdline *c)
{
    const struct app_option_sources s = {.cmdline = c};
    return app_options_parse_sources(o, &s);
}

void app_options_wipe_key(struct app_options *o)
{
    crypto_zeroize(o->key_buf, sizeof o->key_buf);
    o->key = NULL;
}

void app_options_help(void)
{
    kprintf("cmdline: keys (docs/cmdline.md has the details)\n");
    for (size_t i = 0; i < app_nkeys; i++)
        kprintf("  %s%s%s  %s\n", app_keys[i].name, app_keys[i].syntax[0] ? "=" : "",
                app_keys[i].syntax, app_keys[i].help);
}
