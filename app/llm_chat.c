/* The interactive chat of the llm= job (see llm_app.h): prompts typed on
   the serial console, edited by app/line_edit.h, asked with the
   conversation so far (llm/history.h). Console lines:
     llm: interactive: provider=P model=M history_max=B (/help for commands)
     llm>                                  (before each input line)
   then per line either an answer (llm_conn.c) or a command:
     /help          llm: commands: /help /clear /model NAME /models /system TEXT /usage /quit
     /clear         llm: history cleared
     /model NAME    llm: model=NAME
     /models        (not yet: llm: error=unsupported detail=models)
     /system TEXT   llm: system bytes=N   (empty TEXT removes it)
     /usage         llm: usage turns=N in_tokens=I out_tokens=O history_bytes=B history_turns=T
     /quit, quit, exit, Ctrl-D on an empty line: the chat ends
     /other         llm: error=unknown_command detail=/other
   When the history must drop old exchanges: llm: history trimmed turns=N
   (N messages). A failed exchange leaves the history as it was; an
   interrupted one keeps the partial answer. */
#include "app/line_edit.h"
#include "app/llm_app.h"
#include "kernel/console.h"
#include "kernel/time.h"
#include "lib/text_filter.h"
#include <string.h>

static void echo_console(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    console_write(p, n);
}

/* The next input byte: typed while an answer streamed, else from the
   serial console; -1 when none is waiting. */
static int next_byte(struct llm_session *s)
{
    if (s->typeahead_off < s->typeahead_len)
        return s->typeahead[s->typeahead_off++];
    s->typeahead_off = s->typeahead_len = 0;
    return console_getc_nonblock();
}

/* Reads one line that is not empty; false on Ctrl-D or idle. */
static bool read_line(struct llm_session *s, struct line_edit *ed, uint32_t idle_s)
{
    uint64_t last = time_ms();
    kprintf("llm> ");
    for (;;) {
        int c = next_byte(s);
        if (c < 0) {
            if (idle_s && time_ms() - last > (uint64_t)idle_s * 1000) {
                kprintf("\nllm: idle, leaving\n");
                return false;
            }
            sleep_ms(5);
            continue;
        }
        last = time_ms();
        switch (line_edit_feed(ed, (uint8_t)c)) {
        case LINE_EDIT_EOF:
            kprintf("\n");
            return false;
        case LINE_EDIT_LINE: {
            size_t len;
            line_edit_text(ed, &len);
            if (len)
                return true;
            kprintf("llm> ");
            break;
        }
        case LINE_EDIT_MORE:
            break;
        }
    }
}

static void print_trimmed(struct llm_session *s)
{
    size_t n = llm_history_take_trimmed(s->hist);
    if (n)
        kprintf("llm: history trimmed turns=%lu\n", (unsigned long)n);
}

/* Whether line is command cmd (alone or followed by a space); *arg gets
   what follows the spaces after it. */
static bool is_cmd(const char *line, const char *cmd, const char **arg)
{
    size_t n = strlen(cmd);
    if (strncmp(line, cmd, n) != 0 || (line[n] != 0 && line[n] != ' '))
        return false;
    const char *a = line + n;
    while (*a == ' ')
        a++;
    *arg = a;
    return true;
}

enum cmd_result { CMD_GO_ON, CMD_QUIT };

static enum cmd_result command(struct llm_session *s, const char *line)
{
    const char *arg;
    char shown[APP_MODEL_MAX * 4];
    if (is_cmd(line, "/quit", &arg))
        return CMD_QUIT;
    if (is_cmd(line, "/help", &arg)) {
        kprintf("llm: commands: /help /clear /model NAME /models /system TEXT /usage /quit\n");
    } else if (is_cmd(line, "/clear", &arg)) {
        llm_history_clear(s->hist);
        kprintf("llm: history cleared\n");
    } else if (is_cmd(line, "/models", &arg)) {
        /* The model list needs llm/models.h (struct llm_models,
           llm_models_sink, llm_model_fn), which llmwire delivers in
           parallel; it is not on this branch yet, so /models says so. The
           lead wires it at merge: one `llm: model id=ID` line per model,
           then `llm: models count=N`. */
        kprintf("llm: error=unsupported detail=models\n");
    } else if (is_cmd(line, "/model", &arg)) {
        size_t n = strlen(arg);
        if (n == 0 || n >= sizeof s->model || strchr(arg, ' ')) {
            kprintf("llm: error=bad_argument detail=/model NAME\n");
        } else {
            memcpy(s->model, arg, n + 1);
            text_filter_field(shown, sizeof shown, s->model, n);
            kprintf("llm: model=%s\n", shown);
        }
    } else if (is_cmd(line, "/system", &arg)) {
        enum llm_hist_err e = llm_history_set_system(s->hist, arg, strlen(arg));
        if (e)
            kprintf("llm: error=%s detail=/system\n", llm_hist_err_str(e));
        else
            kprintf("llm: system bytes=%lu\n", (unsigned long)strlen(arg));
        print_trimmed(s);
    } else if (is_cmd(line, "/usage", &arg)) {
        /* in_tokens/out_tokens: the sums of s->resp.in_tokens/out_tokens
           once llmwire's usage fields are on this branch (the lead wires
           them at merge); "-" (none reported) until then */
        kprintf("llm: usage turns=%u in_tokens=- out_tokens=- history_bytes=%lu "
                "history_turns=%lu\n", s->turn, (unsigned long)llm_history_bytes(s->hist),
                (unsigned long)llm_history_turns(s->hist));
    } else {
        size_t n = 0;
        while (line[n] && line[n] != ' ')
            n++;
        text_filter_field(shown, sizeof shown, line, n < 64 ? n : 64);
        kprintf("llm: error=unknown_command detail=%s\n", shown);
    }
    return CMD_GO_ON;
}

int llm_app_chat(struct llm_session *s, const struct app_options *o)
{
    static struct line_edit ed;
    line_edit_init(&ed, echo_console, NULL);
    char model[APP_MODEL_MAX * 4];
    text_filter_field(model, sizeof model, s->model, strlen(s->model));
    kprintf("llm: interactive: provider=%s model=%s history_max=%u (/help for commands)\n",
            llm_app_provider_name(s->provider), model, (unsigned)o->llm_history);
    int rc = 0;
    while (read_line(s, &ed, o->llm_idle_s)) {
        const char *line = line_edit_text(&ed, NULL);
        if (!strcmp(line, "quit") || !strcmp(line, "exit"))
            break;
        if (line[0] == '/') {
            if (command(s, line) == CMD_QUIT)
                break;
            continue;
        }
        enum llm_hist_err he = llm_history_begin(s->hist, line, strlen(line));
        if (he) {
            kprintf("llm: error=%s detail=history_max=%u\n", llm_hist_err_str(he),
                    (unsigned)o->llm_history);
            rc = 1;
            continue;
        }
        print_trimmed(s);
        int r = llm_app_ask(s, llm_history_prompt(s->hist));
        if (r == 1) {
            llm_history_abort(s->hist);   /* a failed exchange is not kept */
            rc = 1;
        } else {
            llm_history_commit(s->hist);  /* interrupted (2): the partial answer stays */
        }
        print_trimmed(s);
    }
    return rc;
}
