/* The interactive chat of the llm= job (see llm_app.h): prompts typed on
   the serial console, edited by app/line_edit.h, asked with the
   conversation so far (llm/history.h). Console lines:
     llm: interactive: provider=P model=M history_max=B (/help for commands)
     llm>                                  (before each input line)
   then per line either an answer (llm_conn.c) or a command:
     /help          llm: commands: /help /clear /model NAME /models /system TEXT /usage /quit
     /clear         llm: history cleared
     /model NAME    llm: model=NAME
     /models        llm: model id=ID (one line each), then llm: models count=N
     /system TEXT   llm: system bytes=N   (empty TEXT removes it)
     /usage         llm: usage turns=N in_tokens=I out_tokens=O history_bytes=B history_turns=T
     /quit, quit, exit, Ctrl-D on an empty line: the chat ends
     /other         llm: error=unknown_command detail=/other
   When the history must drop old exchanges: llm: history trimmed turns=N
   (N messages). A failed exchange leaves the history as it was; an
   interrupted one keeps the partial answer. An exchange with tool rounds
   (llm_tools.c) keeps its calls and results with it; interrupted before
   its final answer began, it is dropped whole (llm/history.h). */
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

/* Gemini names the model in the path (/v1beta/models/MODEL:streamGenerateContent):
   /model puts the new name there. False when the path would not fit (the
   path is left as it was); a path without "/models/NAME:" is left alone. */
static bool gemini_path_model(char *path, const char *model, size_t n)
{
    char *m = strstr(path, "/models/");
    if (!m)
        return true;
    char *name = m + 8, *colon = strchr(name, ':');
    if (!colon)
        return true;
    size_t old = (size_t)(colon - name), len = strlen(path);
    if (len - old + n >= URL_PATH_MAX)
        return false;
    memmove(name + n, colon, strlen(colon) + 1);
    memcpy(name, model, n);
    return true;
}

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
        llm_app_models(s);
    } else if (is_cmd(line, "/model", &arg)) {
        size_t n = strlen(arg);
        if (n == 0 || n >= sizeof s->model || strchr(arg, ' ')) {
            kprintf("llm: error=bad_argument detail=/model NAME\n");
        } else {
            if (s->provider == &llm_gemini && !gemini_path_model(s->url.path, arg, n)) {
                kprintf("llm: error=bad_argument detail=/model NAME (path too long)\n");
            } else {
                memcpy(s->model, arg, n + 1);
                text_filter_field(shown, sizeof shown, s->model, n);
                kprintf("llm: model=%s\n", shown);
            }
        }
    } else if (is_cmd(line, "/system", &arg)) {
        enum llm_hist_err e = llm_history_set_system(s->hist, arg, strlen(arg));
        if (e)
            kprintf("llm: error=%s detail=/system\n", llm_hist_err_str(e));
        else
            kprintf("llm: system bytes=%lu\n", (unsigned long)strlen(arg));
        print_trimmed(s);
    } else if (is_cmd(line, "/usage", &arg)) {
        char in[24], out[24];
        llm_app_count(in, sizeof in, s->in_tokens);
        llm_app_count(out, sizeof out, s->out_tokens);
        kprintf("llm: usage turns=%u in_tokens=%s out_tokens=%s history_bytes=%lu "
                "history_turns=%lu\n", s->turn, in, out,
                (unsigned long)llm_history_bytes(s->hist),
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
