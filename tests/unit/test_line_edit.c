/* app/line_edit.h: the chat's line editor: UTF-8 aware backspace and its
   echo, Ctrl-U, line ends, Ctrl-D, ignored controls, escape sequences and
   invalid bytes, and the byte limit that never splits a character. */
#include "unit.h"
#include "app/line_edit.h"

static char echoed[16384];
static size_t echoed_len;

static void on_echo(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    assert_true(echoed_len + n < sizeof echoed);
    memcpy(echoed + echoed_len, s, n);
    echoed_len += n;
    echoed[echoed_len] = 0;
}

static struct line_edit ed;

static void start(void)
{
    line_edit_init(&ed, on_echo, NULL);
    echoed_len = 0;
    echoed[0] = 0;
}

/* Feeds n bytes; returns the event of the last one, and checks that only
   the last one may end anything. */
static enum line_edit_event feed(const char *s, size_t n)
{
    enum line_edit_event ev = LINE_EDIT_MORE;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ev, LINE_EDIT_MORE);
        ev = line_edit_feed(&ed, (uint8_t)s[i]);
    }
    return ev;
}
#define FEED(lit) feed(lit, sizeof lit - 1)

static const char *text(void)
{
    return line_edit_text(&ed, NULL);
}

static void test_plain_line(void **st)
{
    (void)st;
    start();
    assert_int_equal(FEED("hello world\r"), LINE_EDIT_LINE);
    assert_string_equal(text(), "hello world");
    assert_string_equal(echoed, "hello world\n");
    /* LF alone ends a line too; CR LF is one end, not two */
    start();
    assert_int_equal(FEED("a\n"), LINE_EDIT_LINE);
    assert_string_equal(text(), "a");
    start();
    assert_int_equal(FEED("one\r"), LINE_EDIT_LINE);
    assert_int_equal(FEED("\ntwo\r"), LINE_EDIT_LINE);
    assert_string_equal(text(), "two");
    /* an empty line is a line */
    start();
    assert_int_equal(FEED("\r"), LINE_EDIT_LINE);
    assert_string_equal(text(), "");
}

static void test_utf8_backspace(void **st)
{
    (void)st;
    start();
    /* é (2 bytes), € (3), 😀 (4): each backspace removes one whole character */
    assert_int_equal(FEED("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), LINE_EDIT_MORE);
    assert_int_equal(FEED("\x7f"), LINE_EDIT_MORE);
    size_t len;
    line_edit_text(&ed, &len);
    assert_int_equal(len, 6);
    assert_int_equal(FEED("\x08\x7f"), LINE_EDIT_MORE);
    assert_int_equal(FEED("b\r"), LINE_EDIT_LINE);
    assert_string_equal(text(), "ab");
    assert_string_equal(echoed, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\b \b\b \b\b \bb\n");
    /* backspace on an empty line echoes nothing */
    start();
    assert_int_equal(FEED("\x7f\x08x\r"), LINE_EDIT_LINE);
    assert_string_equal(echoed, "x\n");
}

static void test_ctrl_u(void **st)
{
    (void)st;
    start();
    assert_int_equal(FEED("ab\xc3\xa9\x15"), LINE_EDIT_MORE);
    assert_string_equal(echoed, "ab\xc3\xa9\b \b\b \b\b \b");
    assert_int_equal(FEED("new\r"), LINE_EDIT_LINE);
    assert_string_equal(text(), "new");
}

static void test_ctrl_d(void **st)
{
    (void)st;
    start();
    assert_int_equal(FEED("\x04"), LINE_EDIT_EOF);
    /* not on a line with text */
    start();
    assert_int_equal(FEED("ab\x04"), LINE_EDIT_MORE);
    assert_int_equal(FEED("\r"), LINE_EDIT_LINE);
    assert_string_equal(text(), "ab");
    /* after a line ended, the next line starts empty */
    assert_int_equal(FEED("\x04"), LINE_EDIT_EOF);
}

static void test_controls_and_invalid_ignored(void **st)
{
    (void)st;
    start();
    /* controls, C1-less high bytes, an overlong form, a surrogate, a lone
       continuation byte, a character cut by an ASCII byte */
    assert_int_equal(FEED("a\x01\x03\x07\tb\xff\xc0\xaf\xed\xa0\x80\x80\xe2\x82z\r"),
                     LINE_EDIT_LINE);
    assert_string_equal(text(), "abz");
    assert_string_equal(echoed, "abz\n");
    /* escape sequences: arrows (CSI and SS3), a CSI with parameters */
    start();
    assert_int_equal(FEED("x\x1b[A\x1b[1;5Cy\x1bOBz\r"), LINE_EDIT_LINE);
    assert_string_equal(text(), "xyz");
}

static void test_limit_never_splits(void **st)
{
    (void)st;
    start();
    char fill[LINE_EDIT_MAX - 1];
    memset(fill, 'f', sizeof fill);
    assert_int_equal(feed(fill, sizeof fill), LINE_EDIT_MORE);
    /* one byte of room: a 2-byte character does not fit, an ASCII one does */
    assert_int_equal(FEED("\xc3\xa9"), LINE_EDIT_MORE);
    size_t len;
    line_edit_text(&ed, &len);
    assert_int_equal(len, LINE_EDIT_MAX - 1);
    assert_int_equal(FEED("g"), LINE_EDIT_MORE);
    assert_int_equal(FEED("h\xe2\x82\xac"), LINE_EDIT_MORE);  /* full: dropped */
    line_edit_text(&ed, &len);
    assert_int_equal(len, LINE_EDIT_MAX);
    /* room again after a backspace */
    assert_int_equal(FEED("\x7f\x7f\xc3\xa9\r"), LINE_EDIT_LINE);
    const char *t = line_edit_text(&ed, &len);
    assert_int_equal(len, LINE_EDIT_MAX - 2 + 2);
    assert_memory_equal(t + len - 2, "\xc3\xa9", 2);
    assert_int_equal(t[len], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_line),
        cmocka_unit_test(test_utf8_backspace),
        cmocka_unit_test(test_ctrl_u),
        cmocka_unit_test(test_ctrl_d),
        cmocka_unit_test(test_controls_and_invalid_ignored),
        cmocka_unit_test(test_limit_never_splits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
