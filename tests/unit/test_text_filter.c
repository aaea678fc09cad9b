/* The console filter for server text (lib/text_filter.h): every C0/C1
   control, DEL and ESC sequence escaped, tab and (in lines mode) newline
   kept, valid UTF-8 intact also when split across writes at any point,
   each byte of invalid UTF-8 escaped, every line after the prefix, and the
   bounded field form. */
#include "unit.h"
#include "lib/text_filter.h"

static char OUT[8192];
static size_t OUT_LEN;
static int UNITS;

static void out(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    assert_true(n > 0 && OUT_LEN + n < sizeof OUT);
    memcpy(OUT + OUT_LEN, p, n);
    OUT_LEN += n;
    OUT[OUT_LEN] = 0;
    UNITS++;
}

/* in[0..n) through a filter in `mode`, written in pieces of `step` bytes
   (0: at once); returns text_filter_end's answer, the output in OUT. */
static bool filter(enum text_filter_mode mode, bool bol, const char *in, size_t n, size_t step)
{
    struct text_filter f;
    OUT_LEN = 0;
    OUT[0] = 0;
    UNITS = 0;
    text_filter_init(&f, mode, "| ", bol, out, NULL);
    for (size_t o = 0; o < n;) {
        size_t k = step && step < n - o ? step : n - o;
        text_filter_write(&f, in + o, k);
        o += k;
    }
    return text_filter_end(&f);
}

/* The same output for every way of splitting the input. */
static void expect(enum text_filter_mode mode, bool bol, const char *in, size_t n,
                   const char *want)
{
    for (size_t step = 0; step <= 5; step++) {
        filter(mode, bol, in, n, step);
        if (strcmp(OUT, want) != 0)
            fail_msg("step %zu: got [%s] want [%s]", step, OUT, want);
    }
}
#define FIELD(in, want) expect(TEXT_FILTER_FIELD, false, in, sizeof in - 1, want)
#define LINES(in, want) expect(TEXT_FILTER_LINES, true, in, sizeof in - 1, want)

static void test_controls(void **state)
{
    (void)state;
    /* every C0 control but tab and newline, and DEL, escaped */
    for (unsigned c = 0; c < 0x20; c++) {
        char in[1] = {(char)c}, want[8];
        if (c == '\t')
            snprintf(want, sizeof want, "\t");
        else
            snprintf(want, sizeof want, "\\x%02x", c);
        if (c != '\n') {
            expect(TEXT_FILTER_LINES, false, in, 1, want);
        }
        expect(TEXT_FILTER_FIELD, false, in, 1, c == '\t' ? "\t" : want);
    }
    FIELD("\x7f", "\\x7f");
    FIELD("\n", "\\x0a");
    LINES("a\nb", "| a\n| b");
    FIELD("a\rb", "a\\x0db");
    /* the C1 controls, as UTF-8 (U+0080..U+009F): each byte escaped */
    for (unsigned c = 0x80; c <= 0x9f; c++) {
        char in[2] = {(char)0xc2, (char)c}, want[16];
        snprintf(want, sizeof want, "\\xc2\\x%02x", c);
        expect(TEXT_FILTER_FIELD, false, in, 2, want);
    }
    FIELD("\xc2\xa0", "\xc2\xa0");          /* U+00A0 is not a control */
    /* terminal sequences: clear screen, cursor home, OSC title, CSI 8-bit */
    FIELD("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H");
    FIELD("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07");
    FIELD("\xc2\x9b" "31m", "\\xc2\\x9b31m");
    /* printable ASCII passes, backslash included */
    char all[96], want[96];
    for (int i = 0; i < 95; i++)
        all[i] = want[i] = (char)(0x20 + i);
    all[95] = want[95] = 0;
    expect(TEXT_FILTER_FIELD, false, all, 95, want);
}

static void test_utf8(void **state)
{
    (void)state;
    /* valid: 2, 3 and 4 bytes, the edges of each range */
    FIELD("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80");
    FIELD("\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf", "\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf");
    FIELD("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
    /* stray continuation bytes, invalid leads */
    FIELD("\x80", "\\x80");
    FIELD("a\xbf" "b", "a\\xbfb");
    FIELD("\xc0\xaf", "\\xc0\\xaf");         /* overlong '/' */
    FIELD("\xc1\xbf", "\\xc1\\xbf");
    FIELD("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80");
    FIELD("\xff\xfe", "\\xff\\xfe");
    /* overlong 3 and 4 bytes, surrogates, above U+10FFFF */
    FIELD("\xe0\x9f\xbf", "\\xe0\\x9f\\xbf");
    FIELD("\xed\xa0\x80", "\\xed\\xa0\\x80");
    FIELD("\xf0\x8f\xbf\xbf", "\\xf0\\x8f\\xbf\\xbf");
    FIELD("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
    /* cut short by another character: the bytes so far escaped, the next
       one taken on its own */
    FIELD("\xe2\x80" "A", "\\xe2\\x80A");
    FIELD("\xf0\x9f\x98\xc3\xa9", "\\xf0\\x9f\\x98\xc3\xa9");
    FIELD("\xe2\x1b", "\\xe2\\x1b");
    LINES("\xe2\x80\nx", "| \\xe2\\x80\n| x");
    /* cut short by the end of the text */
    FIELD("ok\xf0\x9f\x98", "ok\\xf0\\x9f\\x98");
}

/* A multi-byte character split across writes comes out whole, as one unit. */
static void test_split_writes(void **state)
{
    (void)state;
    const char *in = "\xf0\x9f\x98\x80";
    struct text_filter f;
    OUT_LEN = 0;
    UNITS = 0;
    text_filter_init(&f, TEXT_FILTER_FIELD, NULL, false, out, NULL);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(OUT_LEN, 0);
        text_filter_write(&f, in + i, 1);
    }
    assert_int_equal(OUT_LEN, 4);
    assert_int_equal(UNITS, 1);
    assert_memory_equal(OUT, in, 4);
    assert_false(text_filter_end(&f));
}

/* Lines mode: no line of the text starts at column 0, so a server cannot
   print a line that passes for the kernel's own. */
static void test_lines(void **state)
{
    (void)state;
    LINES("body\nkernel: done status=ok\n", "| body\n| kernel: done status=ok\n");
    LINES("\nkernel: done status=ok\n", "\n| kernel: done status=ok\n");
    LINES("a\n\nb", "| a\n\n| b");         /* an empty line stays empty */
    LINES("\r\nllm: done status=200", "| \\x0d\n| llm: done status=200");
    /* continuing the caller's line: the first line has no prefix */
    expect(TEXT_FILTER_LINES, false, "x\ny", 3, "x\n| y");
    /* where the output ends */
    assert_true(filter(TEXT_FILTER_LINES, true, "a\n", 2, 0));
    assert_false(filter(TEXT_FILTER_LINES, true, "a", 1, 0));
    assert_true(filter(TEXT_FILTER_LINES, true, "", 0, 0));
    assert_false(filter(TEXT_FILTER_LINES, false, "", 0, 0));
    assert_false(filter(TEXT_FILTER_LINES, true, "\n\xe2", 2, 0));  /* escaped tail */
    assert_string_equal(OUT, "\n| \\xe2");
    /* an empty prefix */
    struct text_filter f;
    OUT_LEN = 0;
    text_filter_init(&f, TEXT_FILTER_LINES, "", true, out, NULL);
    text_filter_write(&f, "a\nb", 3);
    assert_false(text_filter_end(&f));
    assert_string_equal(OUT, "a\nb");
}

static void test_field_buffer(void **state)
{
    (void)state;
    char b[32];
    assert_int_equal(text_filter_field(b, 17, "Rate \nlimited", 13), 16);   /* just fits */
    assert_string_equal(b, "Rate \\x0alimited");
    /* whole units only: an escape or a character that does not fit is dropped */
    assert_int_equal(text_filter_field(b, 8, "abcde\x1b", 6), 5);
    assert_string_equal(b, "abcde");
    assert_int_equal(text_filter_field(b, 8, "abcde\xf0\x9f\x98\x80z", 10), 5);
    assert_string_equal(b, "abcde");
    assert_int_equal(text_filter_field(b, 1, "abc", 3), 0);
    assert_string_equal(b, "");
    assert_int_equal(text_filter_field(b, 0, "abc", 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_split_writes),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_field_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
