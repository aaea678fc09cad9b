/* The tool table and the call path (see tool.h). */
#include "app/tool.h"
#include "app/tool_args.h"
#include "kernel/console.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include "lib/text_filter.h"
#include <string.h>

#define TOOL_ARGS_TOKENS 64
#define TOOL_ARGS_SHOWN  200

const struct app_tool *const app_tools_all[] = {
    &app_tool_clock, &app_tool_net_info, &app_tool_dns_lookup, &app_tool_https_get, NULL,
};

/* app_tools_all and tool_names (app/tool_args.c, which the option parser
   uses) list the same tools in the same order: the tool= job's test calls
   each by name. */
const struct app_tool *app_tool_find(const char *name, size_t n)
{
    int i = tool_name_index(name, n);
    if (i < 0 || !app_tools_all[i] || strcmp(app_tools_all[i]->name, tool_names[i]) != 0)
        return NULL;
    return app_tools_all[i];
}

const char *app_tool_error(struct json_w *out, const char *name, const char *detail)
{
    json_w_obj_begin(out);
    json_w_key(out, "error");
    json_w_str(out, name);
    if (detail && detail[0]) {
        json_w_key(out, "detail");
        json_w_str(out, detail);
    }
    json_w_obj_end(out);
    return name;
}

const char *app_tool_no_args(const struct json_doc *d, int args, struct json_w *out)
{
    static const char *const names[] = {NULL};
    int bad;
    enum tool_arg_err ae = tool_args_only(d, args, names, &bad);
    return ae ? app_tool_error(out, "bad_arguments", tool_arg_err_str(ae)) : NULL;
}

/* A result that does not fit: the error object, which always does. */
static size_t too_large(char *out, size_t cap)
{
    struct json_w w;
    size_t len = 0;
    json_w_init(&w, out, cap);
    app_tool_error(&w, "result_too_large", NULL);
    if (json_w_finish(&w, &len) != JSON_OK)
        len = 0;
    return len;
}

bool app_tool_call(const struct tool_env *env, const char *prefix, const char *name,
                   size_t name_len, const char *args, size_t args_len, char *out, size_t cap,
                   size_t *out_len)
{
    char shown_name[64], shown_args[TOOL_ARGS_SHOWN * 4 + 8];
    text_filter_field(shown_name, sizeof shown_name, name, name_len);
    size_t cut = args_len < TOOL_ARGS_SHOWN ? args_len : TOOL_ARGS_SHOWN;
    text_filter_field(shown_args, sizeof shown_args, args, cut);
    kprintf("%s tool call=%s args=%s%s\n", prefix, shown_name, args_len ? shown_args : "{}",
            cut < args_len ? "..." : "");
    uint64_t t0 = time_ms();

    static struct json_tok toks[TOOL_ARGS_TOKENS];
    struct json_doc d;
    struct json_w w;
    json_w_init(&w, out, cap);
    const char *err;
    const struct app_tool *t = app_tool_find(name, name_len);
    if (!t) {
        err = app_tool_error(&w, "unknown_tool", shown_name);
    } else {
        size_t at = 0;
        /* no arguments at all: an empty object (models send "" for none) */
        const char *text = args_len ? args : "{}";
        enum json_err je = json_parse(&d, text, args_len ? args_len : 2, toks, TOOL_ARGS_TOKENS,
                                      &at);
        if (je != JSON_OK)
            err = app_tool_error(&w, "bad_arguments", json_err_str(je));
        else if (d.tok[0].type != JSON_OBJECT)
            err = app_tool_error(&w, "bad_arguments", "arguments_not_object");
        else
            err = t->run(env, &d, 0, &w);
    }
    size_t len = 0;
    if (json_w_finish(&w, &len) != JSON_OK) {
        len = too_large(out, cap);
        err = "result_too_large";
    }
    *out_len = len;
    kprintf("%s tool result=%s status=%s bytes=%lu ms=%lu%s%s\n", prefix, shown_name,
            err ? "error" : "ok", (unsigned long)len, (unsigned long)(time_ms() - t0),
            err ? " error=" : "", err ? err : "");
    return err == NULL;
}
