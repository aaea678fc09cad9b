#!/usr/bin/python3
"""Writes grub.cfg from its template with the kernel command line filled in.
GRUB's own quoting: the line is passed to multiboot2 as words, so each
single quote is escaped and the whole value wrapped in single quotes per word."""
import shlex, sys

tmpl = open(sys.argv[1]).read()
cmdline = open(sys.argv[2]).read().strip()
# Split as the kernel will (shell-like words), then requote each word for GRUB.
words = shlex.split(cmdline) if cmdline else []
def grub_quote(w):
    return "'" + w.replace("'", "'\\''") + "'"
line = " ".join(grub_quote(w) for w in words)
sys.stdout.write(tmpl.replace("@CMDLINE@", line))
