/* app/options.h: every key of the command line parsed once, bad keys and
   values named, and docs/cmdline.md listing exactly the keys of the table. */
#include "unit.h"
#include "app/options.h"
#include "http/http_client.h"
#include "kernel/console.h"
#include "lib/fmt.h"
#include <stdarg.h>
#include <stdio.h>

static char OUT[16384];
static size_t OUT_LEN;
int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = fmt_vsnprintf(OUT + OUT_LEN, sizeof OUT - OUT_LEN, fmt, ap);
    va_end(ap);
    OUT_LEN += n < sizeof OUT - OUT_LEN ? n : sizeof OUT - OUT_LEN - 1;
    return (int)n;
}

static struct cmdline CMD;
static struct app_options O;

/* Parses line; returns the number of bad keys, OUT holds what was printed. */
static int parse(const char *line)
{
    OUT_LEN = 0;
    OUT[0] = 0;
    assert_int_equal(cmdline_parse(&CMD, line), CMDLINE_OK);
    return app_options_parse(&O, &CMD);
}

static void test_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse(""), 0);
    assert_false(O.exit_on_finish);
    assert_true(O.smp);
    assert_true(O.net.cfg.dhcp);
    assert_int_equal(O.tcptimeout_ms, 20000);
    assert_int_equal(O.repeat, 1);
    assert_int_equal(O.loops, 1);
    assert_int_equal(O.timeout_ms, -1);
    assert_true(O.stream);
    assert_int_equal(O.llm_idle_s, 600);
    assert_true(O.tls.resume);
    assert_true(O.tls.pipeline);
    assert_int_equal(O.tls.nsuites, 0);
    assert_int_equal(O.tls.ngroups, 0);
    assert_int_equal(O.tools_mask, 0xf);      /* tools=all: the four tools */
    assert_int_equal(O.tool_rounds, 8);
    assert_int_equal(O.given, 0);
    assert_int_equal(OUT_LEN, 0);
}

/* mem=: the two profiles, and a named error for any other word */
static void test_mem_profile(void **state)
{
    (void)state;
    assert_int_equal(O.tls.mem, APP_MEM_DEFAULT);
    assert_int_equal(parse("mem=small"), 0);
    assert_int_equal(O.tls.mem, APP_MEM_SMALL);
    assert_string_equal(app_mem_str(O.tls.mem), "small");
    assert_int_equal(parse("mem=default"), 0);
    assert_int_equal(O.tls.mem, APP_MEM_DEFAULT);
    assert_int_equal(parse("mem=tiny"), 1);
    assert_non_null(strstr(OUT, "cmdline: error key=mem detail=bad_value"));
    assert_int_equal(parse("mem"), 1);
    /* small: the receive buffer holds one record of the size it asks for */
    const struct app_mem_sizes *sm = app_mem_sizes(APP_MEM_SMALL);
    assert_int_equal(sm->tls_rx, 5 + (1u << (8 + sm->tls_mfl)) + 1 + 16);
    assert_int_equal(sm->tls_rsl, (1u << (8 + sm->tls_mfl)) + 1);
    assert_false(sm->pipeline);
    assert_true(app_mem_sizes(APP_MEM_DEFAULT)->pipeline);
    /* the HTTP read buffer: today's 4 KiB by default, 1 KiB in small */
    assert_int_equal(app_mem_sizes(APP_MEM_DEFAULT)->http_buf, HTTP_CLIENT_BUF);
    assert_int_equal(sm->http_buf, 1024);
}

static void test_values(void **state)
{
    (void)state;
    assert_int_equal(parse("exit=1 smp=0 selftest=heap,tls ip=10.0.2.15/24 gw=10.0.2.2 "
                           "dns=10.0.2.2:5353 netfault=drop:3,seed:7 tcpget=h.test:80 "
                           "tcptimeout=3000 bytes=1048576 get=https://a.test:8443/x print=1 "
                           "repeat=3 loops=2 timeout=0x10 heapcheck model=m%20x "
                           "\"prompt=hi there\" stream=0 provider=anthropic llm_idle=5 "
                           "tls_suites=chacha20,aes128 tls_resume=0 tls_pipeline=0 "
                           "tls_groups=secp384r1,X25519MLKEM768,x25519"), 0);
    assert_true(O.exit_on_finish);
    assert_false(O.smp);
    assert_int_equal(O.selftest_words, (1u << APP_ST_HEAP) | (1u << APP_ST_TLS));
    assert_false(O.net.cfg.dhcp);
    assert_int_equal(O.net.cfg.dns_port, 5353);
    assert_true(O.net.fault_set);
    assert_int_equal(O.net.fault.drop, 3);
    assert_int_equal(O.net.fault.seed, 7);
    assert_string_equal(O.tcpget, "h.test:80");
    assert_string_equal(O.provider, "anthropic");
    assert_int_equal(O.tcptimeout_ms, 3000);
    assert_true(O.bytes_set);
    assert_int_equal(O.bytes, 1048576);
    assert_string_equal(O.get_url.host, "a.test");
    assert_int_equal(O.get_url.port, 8443);
    assert_true(O.print);
    assert_int_equal(O.repeat, 3);
    assert_int_equal(O.loops, 2);
    assert_int_equal(O.timeout_ms, 16);
    assert_true(O.heapcheck);
    assert_string_equal(O.model, "m x");
    assert_string_equal(O.prompt, "hi there");
    assert_false(O.stream);
    assert_int_equal(O.llm_idle_s, 5);
    assert_int_equal(O.tls.nsuites, 2);
    assert_int_equal(O.tls.suites[0], 0x1303);
    assert_int_equal(O.tls.suites[1], 0x1301);
    assert_false(O.tls.resume);
    assert_false(O.tls.pipeline);
    assert_int_equal(O.tls.ngroups, 3);
    assert_int_equal(O.tls.groups[0], TLS_GROUP_SECP384R1);
    assert_int_equal(O.tls.groups[1], TLS_GROUP_X25519MLKEM768);
    assert_int_equal(O.tls.groups[2], TLS_GROUP_X25519);
    assert_true(app_options_given(&O, "get"));
    assert_false(app_options_given(&O, "llm"));
    /* selftest=all is the eight checks, not the figures or the crash tests */
    assert_int_equal(parse("selftest=all,speed"), 0);
    assert_int_equal(O.selftest_words, APP_ST_ALL | (1u << APP_ST_SPEED));
    /* tools=: bit i is tool_names[i] */
    assert_int_equal(parse("tools=https_get,clock tool_rounds=32"), 0);
    assert_int_equal(O.tools_mask, (1u << 3) | (1u << 0));
    assert_int_equal(O.tool_rounds, 32);
    assert_int_equal(parse("tools=0"), 0);
    assert_int_equal(O.tools_mask, 0);
    assert_int_equal(parse("tools=0 tools=all"), 0);
    assert_int_equal(O.tools_mask, 0xf);
    /* the last of a repeated key wins */
    assert_int_equal(parse("repeat=2 repeat=5"), 0);
    assert_int_equal(O.repeat, 5);
}

/* Each bad key is named with why, once; the good ones still parse. */
static void test_errors_named(void **state)
{
    (void)state;
    static const struct { const char *line, *want; } cases[] = {
        { "tsl_suites=aes256", "cmdline: error key=tsl_suites detail=unknown_key\n" },
        { "timeout=abc", "cmdline: error key=timeout detail=bad_value\n" },
        { "timeout=", "cmdline: error key=timeout detail=missing_value\n" },
        { "timeout", "cmdline: error key=timeout detail=missing_value\n" },
        { "repeat=0", "cmdline: error key=repeat detail=out_of_range\n" },
        { "loops=1001", "cmdline: error key=loops detail=out_of_range\n" },
        { "tcptimeout=99999999999999999999", "cmdline: error key=tcptimeout detail=bad_value\n" },
        { "exit=yes", "cmdline: error key=exit detail=bad_value\n" },
        { "stream=2", "cmdline: error key=stream detail=bad_value\n" },
        { "provider=bard", "cmdline: error key=provider detail=bad_word\n" },
        { "selftest=heap,hepa", "cmdline: error key=selftest detail=bad_word\n" },
        { "tls_suites=aes128,rc4", "cmdline: error key=tls_suites detail=bad_word\n" },
        { "tls_suites=aes128,aes128,aes256,chacha20",
          "cmdline: error key=tls_suites detail=bad_word\n" },
        { "tls_groups=x25519,x448", "cmdline: error key=tls_groups detail=bad_word\n" },
        { "tls_groups=x25519,x25519", "cmdline: error key=tls_groups detail=bad_word\n" },
        { "tls_groups=x25519mlkem768,x25519,secp256r1,secp384r1,x25519",
          "cmdline: error key=tls_groups detail=bad_word\n" },
        { "tls_groups=", "cmdline: error key=tls_groups detail=missing_value\n" },
        { "tools=clock,sleep", "cmdline: error key=tools detail=bad_word\n" },
        { "tools=clock,clock", "cmdline: error key=tools detail=bad_word\n" },
        { "tools=", "cmdline: error key=tools detail=missing_value\n" },
        { "tool_rounds=0", "cmdline: error key=tool_rounds detail=out_of_range\n" },
        { "tool_rounds=33", "cmdline: error key=tool_rounds detail=out_of_range\n" },
        { "ip=10.0.2.300", "cmdline: error key=ip detail=bad_value\n" },
        { "ip=10.0.2.15/33", "cmdline: error key=ip detail=bad_value\n" },
        { "dns=10.0.2.2:0", "cmdline: error key=dns detail=bad_value\n" },
        { "ip=010.0.2.15", "cmdline: error key=ip detail=bad_value\n" },
        { "gw=10.0.2.02", "cmdline: error key=gw detail=bad_value\n" },
        { "dns=010.0.2.3:53", "cmdline: error key=dns detail=bad_value\n" },
        { "netfault=jitter:1", "cmdline: error key=netfault detail=bad_value\n" },
        { "get=http://a.test/",
          "https: error=url_bad_scheme detail=only https:// is supported\n"
          "cmdline: error key=get detail=rejected_by_job\n" },
        { "tcpget=10.0.2.2",
          "tcp: error=bad_target detail=want HOST:PORT\n"
          "cmdline: error key=tcpget detail=rejected_by_job\n" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(parse(cases[i].line), 1);
        if (strcmp(OUT, cases[i].want))
            fail_msg("%s: printed [%s]", cases[i].line, OUT);
    }
    char big[APP_PROMPT_MAX + 16];
    memset(big, 'x', sizeof big);
    memcpy(big, "prompt=", 7);
    big[sizeof big - 1] = 0;
    assert_int_equal(parse(big), 1);
    assert_string_equal(OUT, "cmdline: error key=prompt detail=too_long\n");
    /* two bad keys: two lines; the good key between them is still parsed */
    assert_int_equal(parse("exit=1 bogus=1 repeat=7 timeout=x"), 2);
    assert_true(O.exit_on_finish);
    assert_int_equal(O.repeat, 7);
    assert_string_equal(OUT, "cmdline: error key=bogus detail=unknown_key\n"
                             "cmdline: error key=timeout detail=bad_value\n");
}

static struct cmdline CFG;

/* Parses the sources: key file (NULL: none), config line (NULL: none) and
   command line; returns the number of bad keys, OUT holds what was printed. */
static int parse_src(const char *keyfile, const char *config, const char *line)
{
    OUT_LEN = 0;
    OUT[0] = 0;
    struct app_option_sources s = {0};
    if (keyfile) {
        s.key_file = keyfile;
        s.key_file_len = strlen(keyfile);
    }
    if (config) {
        assert_int_equal(cmdline_parse(&CFG, config), CMDLINE_OK);
        s.config = &CFG;
    }
    assert_int_equal(cmdline_parse(&CMD, line), CMDLINE_OK);
    s.cmdline = &CMD;
    return app_options_parse_sources(&O, &s);
}

/* fw_cfg config first, the command line overrides it key by key. */
static void test_sources_order(void **state)
{
    (void)state;
    assert_int_equal(parse_src(NULL, "llm=https://a.test/v1/chat/completions\nmodel=cfg-model "
                               "\"prompt=from config\" repeat=4\n", "model=cmd-model exit=1"), 0);
    assert_string_equal(O.model, "cmd-model");          /* the command line wins */
    assert_string_equal(O.prompt, "from config");       /* the rest stays */
    assert_int_equal(O.repeat, 4);
    assert_true(O.exit_on_finish);
    assert_string_equal(O.llm_url.host, "a.test");
    assert_true(app_options_given(&O, "llm"));           /* the llm= job runs */
    assert_false(app_options_on_cmdline(&O, "llm"));
    assert_true(app_options_on_cmdline(&O, "model"));
    assert_true(app_options_on_cmdline(&O, "exit"));
    assert_int_equal(OUT_LEN, 0);
    /* the same key twice in the config file: its last wins, still below the
       command line */
    assert_int_equal(parse_src(NULL, "repeat=2 repeat=3", ""), 0);
    assert_int_equal(O.repeat, 3);
    assert_int_equal(parse_src(NULL, "repeat=2 repeat=3", "repeat=9"), 0);
    assert_int_equal(O.repeat, 9);
}

/* A bad key in the config file is an error like one on the command line,
   marked as the config file's. */
static void test_sources_errors(void **state)
{
    (void)state;
    assert_int_equal(parse_src(NULL, "model=m timeout=abc bogus=1", "repeat=0 exit=1"), 3);
    assert_string_equal(OUT, "cmdline: error key=timeout detail=bad_value source=fw_cfg\n"
                             "cmdline: error key=bogus detail=unknown_key source=fw_cfg\n"
                             "cmdline: error key=repeat detail=out_of_range\n");
    /* a bad config key stays an error even when the command line sets it well */
    assert_int_equal(parse_src(NULL, "timeout=abc", "timeout=5"), 1);
    assert_string_equal(OUT, "cmdline: error key=timeout detail=bad_value source=fw_cfg\n");
}

/* The fw_cfg key file: raw bytes, trailing whitespace dropped; key= on the
   command line overrides it and is marked as the command line's. */
static void test_key_file(void **state)
{
    (void)state;
    assert_int_equal(parse_src("sk-file%41 \r\n\n", NULL, "model=m"), 0);
    assert_string_equal(O.key, "sk-file%41");           /* not %-decoded */
    assert_true(app_options_given(&O, "key"));
    assert_false(app_options_on_cmdline(&O, "key"));
    assert_int_equal(OUT_LEN, 0);
    assert_int_equal(parse_src("sk-file", "key=sk-config", ""), 0);
    assert_string_equal(O.key, "sk-config");
    assert_false(app_options_on_cmdline(&O, "key"));
    assert_int_equal(parse_src("sk-file", "key=sk-config", "key=sk-cmd"), 0);
    assert_string_equal(O.key, "sk-cmd");
    assert_true(app_options_on_cmdline(&O, "key"));
    /* no key file, no key */
    assert_int_equal(parse_src(NULL, NULL, "model=m"), 0);
    assert_null(O.key);
    assert_false(app_options_given(&O, "key"));
    /* bad key files, named; the key is not set */
    static const struct { const char *file, *want; } bad[] = {
        { " \n", "cmdline: error key=key detail=missing_value source=fw_cfg\n" },
        { "sk two", "cmdline: error key=key detail=bad_value source=fw_cfg\n" },
        { "sk\rx\n", "cmdline: error key=key detail=bad_value source=fw_cfg\n" },
        { "sk\x7f", "cmdline: error key=key detail=bad_value source=fw_cfg\n" },
        { "sk\xc3\xa9", "cmdline: error key=key detail=bad_value source=fw_cfg\n" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse_src(bad[i].file, NULL, ""), 1);
        assert_string_equal(OUT, bad[i].want);
        assert_null(O.key);
    }
    char big[APP_KEY_MAX + 1];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(parse_src(big, NULL, ""), 1);
    assert_string_equal(OUT, "cmdline: error key=key detail=too_long source=fw_cfg\n");
    big[APP_KEY_MAX - 1] = 0;                           /* the longest key */
    assert_int_equal(parse_src(big, NULL, ""), 0);
    assert_int_equal(strlen(O.key), APP_KEY_MAX - 1);
}

static void test_wipe_key(void **state)
{
    (void)state;
    assert_int_equal(parse_src("sk-file-longer-key", NULL, "key=sk-cmd"), 0);
    assert_string_equal(O.key, "sk-cmd");
    app_options_wipe_key(&O);
    assert_null(O.key);
    for (size_t i = 0; i < sizeof O.key_buf; i++)    /* the file key's tail too */
        assert_int_equal(O.key_buf[i], 0);
}

/* The chat's keys: llm_history=, retries= (defaults, values, ranges) and
   llm= with a plain http:// URL. */
static void test_llm_chat_keys(void **state)
{
    (void)state;
    assert_int_equal(parse(""), 0);
    assert_int_equal(O.llm_history, 65536);
    assert_int_equal(O.retries, 3);
    assert_int_equal(parse("llm=http://10.0.2.2:11434/api/chat llm_history=1024 retries=10"), 0);
    assert_false(O.llm_url.https);
    assert_int_equal(O.llm_url.port, 11434);
    assert_string_equal(O.llm_url.path, "/api/chat");
    assert_int_equal(O.llm_history, 1024);
    assert_int_equal(O.retries, 10);
    assert_int_equal(parse("llm_history=1048576 retries=1"), 0);
    assert_int_equal(O.llm_history, 1048576);
    assert_int_equal(O.retries, 1);
    static const struct { const char *line, *want; } bad[] = {
        { "llm_history=1023", "cmdline: error key=llm_history detail=out_of_range\n" },
        { "llm_history=1048577", "cmdline: error key=llm_history detail=out_of_range\n" },
        { "llm_history=big", "cmdline: error key=llm_history detail=bad_value\n" },
        { "retries=0", "cmdline: error key=retries detail=out_of_range\n" },
        { "retries=11", "cmdline: error key=retries detail=out_of_range\n" },
        { "retries=", "cmdline: error key=retries detail=missing_value\n" },
        { "llm=ftp://a.test/v1/chat/completions",
          "llm: error=url_bad_scheme detail=ftp://a.test/v1/chat/completions\n"
          "cmdline: error key=llm detail=rejected_by_job\n" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(bad[i].line), 1);
        if (strcmp(OUT, bad[i].want))
            fail_msg("%s: printed [%s]", bad[i].line, OUT);
    }
}

/* docs/cmdline.md's "## Keys" table lists exactly the keys of app_keys[],
   in the same order. */
/* ipv6=, ip6=, gw6= and an IPv6 dns=: on by default, each value checked,
   ip6=/gw6= with ipv6=0 refused as a conflict (never silently dropped). */
static void test_ipv6_keys(void **state)
{
    (void)state;
    static const uint8_t a5[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 5};
    static const uint8_t gw[16] = {0xfe, 0x80, [15] = 1};
    assert_int_equal(parse(""), 0);
    assert_true(O.net.cfg6.enabled);
    assert_false(O.net.cfg6.has_static);
    assert_false(O.net.cfg6.has_gw);
    assert_int_equal(parse("ip6=2001:db8:1::5/64 gw6=fe80::1 dns=[2001:db8::53]:5353"), 0);
    assert_true(O.net.cfg6.enabled);
    assert_true(O.net.cfg6.has_static);
    assert_memory_equal(O.net.cfg6.addr, a5, 16);
    assert_int_equal(O.net.cfg6.plen, 64);
    assert_true(O.net.cfg6.has_gw);
    assert_memory_equal(O.net.cfg6.gw, gw, 16);
    assert_true(ip_addr_is_v6(&O.net.cfg.dns));
    assert_int_equal(O.net.cfg.dns_port, 5353);
    assert_int_equal(parse("ipv6=0"), 0);
    assert_false(O.net.cfg6.enabled);
    assert_int_equal(parse("ipv6=1 dns=2001:db8::53"), 0);
    assert_true(O.net.cfg6.enabled);
    assert_int_equal(O.net.cfg.dns_port, 53);
    /* bad values, named */
    assert_int_equal(parse("ipv6=2"), 1);
    assert_non_null(strstr(OUT, "cmdline: error key=ipv6 detail=bad_value\n"));
    assert_int_equal(parse("ip6=2001:db8::5"), 1);      /* no prefix length */
    assert_non_null(strstr(OUT, "cmdline: error key=ip6 detail=bad_value\n"));
    assert_int_equal(parse("ip6=2001:db8::5/129"), 1);
    assert_int_equal(parse("ip6=ff02::1/64"), 1);        /* multicast */
    assert_int_equal(parse("gw6=::"), 1);
    assert_non_null(strstr(OUT, "cmdline: error key=gw6 detail=bad_value\n"));
    assert_int_equal(parse("gw6=10.0.2.2"), 1);
    assert_int_equal(parse("dns=[2001:db8::53]:0"), 1);
    assert_non_null(strstr(OUT, "cmdline: error key=dns detail=bad_value\n"));
    assert_int_equal(parse("ip6="), 1);
    assert_non_null(strstr(OUT, "cmdline: error key=ip6 detail=missing_value\n"));
    /* good alone, not together */
    assert_int_equal(parse("ipv6=0 ip6=2001:db8:1::5/64"), 1);
    assert_non_null(strstr(OUT, "cmdline: error key=ipv6 detail=conflict\n"));
    assert_int_equal(parse("gw6=fe80::1 ipv6=0"), 1);
    assert_non_null(strstr(OUT, "cmdline: error key=ipv6 detail=conflict\n"));
}

static void test_docs_list_every_key(void **state)
{
    (void)state;
    FILE *f = fopen("../../docs/cmdline.md", "r");
    assert_non_null(f);
    char line[1024];
    bool in_keys = false;
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "## ", 3)) {
            in_keys = !strcmp(line, "## Keys\n");
            continue;
        }
        if (!in_keys || strncmp(line, "| `", 3))
            continue;
        char *end = strchr(line + 3, '`');
        assert_non_null(end);
        *end = 0;
        if (n >= app_nkeys)
            fail_msg("docs/cmdline.md lists %s, which the key table does not have", line + 3);
        if (strcmp(line + 3, app_keys[n].name))
            fail_msg("docs/cmdline.md row %zu is %s, the key table's is %s", n + 1, line + 3,
                     app_keys[n].name);
        n++;
    }
    fclose(f);
    if (n != app_nkeys)
        fail_msg("docs/cmdline.md lists %zu keys, the table %zu (next: %s)", n, app_nkeys,
                 app_keys[n].name);
}

/* help= prints every key of the table, one line each. */
static void test_help_lists_every_key(void **state)
{
    (void)state;
    OUT_LEN = 0;
    OUT[0] = 0;
    app_options_help();
    for (size_t i = 0; i < app_nkeys; i++) {
        char want[64];
        snprintf(want, sizeof want, "\n  %s", app_keys[i].name);
        if (!strstr(OUT, want))
            fail_msg("help lacks %s", app_keys[i].name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_mem_profile),
        cmocka_unit_test(test_errors_named),
        cmocka_unit_test(test_sources_order),
        cmocka_unit_test(test_sources_errors),
        cmocka_unit_test(test_key_file),
        cmocka_unit_test(test_wipe_key),
        cmocka_unit_test(test_llm_chat_keys),
        cmocka_unit_test(test_ipv6_keys),
        cmocka_unit_test(test_docs_list_every_key),
        cmocka_unit_test(test_help_lists_every_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
