"""Runs a command on a fresh pseudo-terminal, answers its secret prompt and
reports what the terminal showed, as JSON on standard output.

    python3 drive.py SEND -- COMMAND [ARG...]

The command gets the terminal's slave side as standard input, output and
error, and as its controlling terminal (so Ctrl-C there is SIGINT for it).
The driver waits until the prompt (`(not shown): `) appears and echo is
off, writes SEND
(a Python string literal body: `pa ss\\r`, `\\x03` for Ctrl-C), waits for
the command to end and prints:

- output: everything the terminal showed (what the command wrote, and what
  the terminal echoed of SEND);
- echo_before / echo_at_prompt / echo_after: the terminal's ECHO flag before
  the command starts, when the prompt is shown, and after the command ended
  (the driver keeps the slave side open, so the terminal outlives it);
- settings_restored: whether every setting after is as before;
- status: the exit code, or None; signal: the signal that ended it, or None;
- prompted: whether the prompt was seen; timed_out: whether the command was
  killed after 60 seconds without ending (a hang).
Used by crates/formwork-deploy/src/secrets/prompt.rs's tests.
"""

import ast
import fcntl
import json
import os
import select
import subprocess
import sys
import termios
import time

MARKER = b"(not shown): "
LIMIT = 60.0


def echo_on(fd):
    return bool(termios.tcgetattr(fd)[3] & termios.ECHO)


def read_some(master, wait):
    ready, _, _ = select.select([master], [], [], wait)
    if not ready:
        return b""
    try:
        return os.read(master, 4096)
    except OSError:
        return b""


def main():
    sep = sys.argv.index("--")
    send = ast.literal_eval('"' + sys.argv[1] + '"').encode("utf-8")
    command = sys.argv[sep + 1 :]
    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    report = {"echo_before": echo_on(slave)}

    def controlling_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=controlling_terminal,
    )
    output = b""
    prompted = False
    timed_out = False
    deadline = time.monotonic() + LIMIT
    # Until the prompt shows or the command ends.
    while MARKER not in output and child.poll() is None and time.monotonic() < deadline:
        output += read_some(master, 0.1)
    if MARKER in output:
        prompted = True
        report["echo_at_prompt"] = echo_on(slave)
        # As a person would: type once echo is off (a prompt that turns it
        # off after showing itself is caught by echo_at_prompt).
        while echo_on(slave) and child.poll() is None and time.monotonic() < deadline:
            output += read_some(master, 0.01)
        os.write(master, send)
    try:
        while child.poll() is None and time.monotonic() < deadline:
            output += read_some(master, 0.1)
        if child.poll() is None:
            timed_out = True
            child.kill()
        child.wait()
    finally:
        # What is left in the terminal's buffer.
        while True:
            more = read_some(master, 0.2)
            if not more:
                break
            output += more
    report["echo_after"] = echo_on(slave)
    report["settings_restored"] = termios.tcgetattr(slave) == before
    code = child.returncode
    report["status"] = code if code >= 0 else None
    report["signal"] = -code if code < 0 else None
    report["prompted"] = prompted
    report["timed_out"] = timed_out
    report["output"] = output.decode("utf-8", "replace")
    os.close(master)
    os.close(slave)
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
