/* see tool_args.h */
#include "app/tool_args.h"
#include <string.h>
#include "lib/ascii.h"
#include "lib/ip_scope.h"
#include "lib/list.h"

const char *const tool_names[] = {"clock", "net_info", "dns_lookup", "https_get", NULL};

int tool_name_index(const char *name, size_t n)
{
    for (int i = 0; tool_names[i]; i++)
        if (strlen(tool_names[i]) == n && memcmp(tool_names[i], name, n) == 0)
            return i;
    return -1;
}

bool tool_hosts_valid(const char *hosts)
{
    struct list_iter it = list_split(hosts, ',');
    const char *item;
    size_t len;
    int count = 0;
    while (list_next(&it, &item, &len)) {
        if (++count > 16 || len == 0 || len > 253)
            return false;
        for (size_t i = 0; i < len; i++) {
            char c = item[i];
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':';
            if (!ok)
                return false;
        }
    }
    return count > 0;
}

const char *tool_arg_err_str(enum tool_arg_err e)
{
    switch (e) {
    case TOOL_ARG_OK: return "ok";
    case TOOL_ARG_NOT_OBJECT: return "arguments_not_object";
    case TOOL_ARG_UNKNOWN_MEMBER: return "unknown_argument";
    case TOOL_ARG_MISSING: return "missing_argument";
    case TOOL_ARG_WRONG_TYPE: return "wrong_argument_type";
    case TOOL_ARG_TOO_LONG: return "argument_too_long";
    case TOOL_ARG_BAD_TEXT: return "bad_argument_text";
    }
    return "unknown";
}

enum tool_arg_err tool_args_only(const struct json_doc *d, int args, const char *const names[],
                                 int *bad)
{
    *bad = -1;
    if (args < 0 || (size_t)args >= d->ntok || d->tok[args].type != JSON_OBJECT)
        return TOOL_ARG_NOT_OBJECT;
    /* members are key, value pairs: the key token, then the value's subtree */
    int k = args + 1;
    for (uint32_t m = 0; m < d->tok[args].count; m++) {
        const struct json_tok *kt = &d->tok[k];
        size_t kl = kt->end - kt->start;
        bool known = false;
        for (size_t i = 0; names[i] && !known; i++)
            known = strlen(names[i]) == kl && memcmp(d->text + kt->start, names[i], kl) == 0;
        if (!known) {
            *bad = k;
            return TOOL_ARG_UNKNOWN_MEMBER;
        }
        k = (int)d->tok[k + 1].next;
    }
    return TOOL_ARG_OK;
}

enum tool_arg_err tool_arg_str(const struct json_doc *d, int args, const char *key, bool required,
                               char *out, size_t cap)
{
    out[0] = 0;
    if (args < 0 || (size_t)args >= d->ntok || d->tok[args].type != JSON_OBJECT)
        return TOOL_ARG_NOT_OBJECT;
    int t = json_obj_get(d, args, key);
    if (t < 0)
        return required ? TOOL_ARG_MISSING : TOOL_ARG_OK;
    if (d->tok[t].type != JSON_STRING)
        return TOOL_ARG_WRONG_TYPE;
    size_t n = 0;
    enum json_err je = json_str_decode(d, t, out, cap, &n);
    if (je == JSON_ERR_BUFFER_TOO_SMALL || (je == JSON_OK && n >= cap)) {
        out[0] = 0;
        return TOOL_ARG_TOO_LONG;
    }
    if (je != JSON_OK) {
        out[0] = 0;
        return TOOL_ARG_BAD_TEXT;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c < 0x20 || c == 0x7f) {
            out[0] = 0;
            return TOOL_ARG_BAD_TEXT;
        }
    }
    out[n] = 0;
    return TOOL_ARG_OK;
}

const char *tool_policy_str(enum tool_policy p)
{
    switch (p) {
    case TOOL_POLICY_OK: return "ok";
    case TOOL_POLICY_HOST_NOT_ALLOWED: return "host_not_allowed";
    case TOOL_POLICY_ADDRESS_REFUSED: return "address_refused";
    }
    return "unknown";
}

/* s[0..n) without one final dot. */
static size_t trim_dot(const char *s, size_t n)
{
    return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

enum tool_policy tool_policy_host(const char *hosts, const char *host)
{
    if (!hosts || !hosts[0])
        return TOOL_POLICY_OK;
    size_t hl = trim_dot(host, strlen(host));
    struct list_iter it = list_split(hosts, ',');
    const char *item;
    size_t len;
    while (list_next(&it, &item, &len)) {
        len = trim_dot(item, len);
        if (len && len == hl && ascii_caseeq(item, host, len))
            return TOOL_POLICY_OK;
    }
    return TOOL_POLICY_HOST_NOT_ALLOWED;
}

enum tool_policy tool_policy_addr(const char *hosts, const struct ip_addr *a)
{
    if (hosts && hosts[0])
        return TOOL_POLICY_OK;
    return ip_scope_is_public(a) ? TOOL_POLICY_OK : TOOL_POLICY_ADDRESS_REFUSED;
}
