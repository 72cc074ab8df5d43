#!/usr/bin/env python3
"""Prints the probe names a tlsfuzzer script would run, one per line, without connecting anywhere.

Usage: list_probes.py SCRIPT [SCRIPT ARG...] (PYTHONPATH must reach tlsfuzzer and tlslite-ng). run.py uses it
when an exclusion names "sanity", which a script always runs unless given an explicit list of probes.
It runs the script with tlsfuzzer's Runner.run replaced by one that fails at once: each probe then prints
"NAME ..." and "Error while processing", which this collects.
"""
import io
import re
import runpy
import sys
import contextlib

from tlsfuzzer.runner import Runner


def _no_run(self):
    raise RuntimeError("list_probes: not connecting")


def main():
    script = sys.argv[1]
    Runner.run = _no_run
    sys.argv = [script] + sys.argv[2:]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            runpy.run_path(script, run_name="__main__")
        except SystemExit:
            pass
        except Exception as e:  # noqa: BLE001 - reported, the names seen so far still print
            print("list_probes: %s stopped early: %r" % (script, e), file=sys.stderr)
    seen = []
    for line in buf.getvalue().splitlines():
        m = re.match(r"^\"(.*)\" repeat \d+\.\.\.$", line) or re.match(r"^(\S.*) \.\.\.$", line)
        if m and m.group(1) not in seen:
            seen.append(m.group(1))
    for name in seen:
        print(name)


if __name__ == "__main__":
    main()
