/* The tool= job: runs one kernel tool (app/tool.h) as a model's call would,
   and prints its JSON result, so each tool can be tried and tested on its
   own, outside a conversation:
     tool=https_get tool_args={"url":"https://host/"} [tool_hosts=a,b]
   Output: the call's two summary lines (`tool: tool call=...`, `tool: tool
   result=NAME status=ok|error bytes=N ms=T`), then `tool: output ` and the
   result object through the console filter (it may hold a server's text).
   The job fails when the tool answered with an error object. */
#include "app/jobs.h"
#include "app/tool.h"
#include "kernel/console.h"
#include <string.h>

int app_tool_run(const struct app_options *o)
{
    static char out[APP_TOOL_RESULT_MAX];
    struct tool_env env = {.tls = &o->tls, .hosts = o->tool_hosts,
                           .timeout_ms = o->timeout_ms > 0 ? (uint32_t)o->timeout_ms : 30000};
    const char *args = o->tool_args ? o->tool_args : "";
    size_t len = 0;
    bool ok = app_tool_call(&env, "tool:", o->tool, strlen(o->tool), args, strlen(args), out,
                            sizeof out, &len);
    kprintf("tool: output ");
    console_untrusted_begin(false);
    console_write_untrusted(out, len);
    console_untrusted_end();
    return ok ? 0 : 1;
}
