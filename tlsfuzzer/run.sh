#!/usr/bin/env bash
# Runs tlsfuzzer (https://github.com/tlsfuzzer/tlsfuzzer, the suite OpenSSL, GnuTLS and NSS are tested with)
# against a microssl server on loopback, and fails if any probe that is not excluded fails.
#
#   mvn -B -ntp -DskipTests package          # builds port-desktop/target/microssl.jar
#   TLSFUZZER=/path/to/tlsfuzzer TLSLITE=/path/to/tlslite-ng tlsfuzzer/run.sh [-j 2] [SCRIPT...]
#
# TLSFUZZER: a checkout of github.com/tlsfuzzer/tlsfuzzer; TLSLITE: one of github.com/tlsfuzzer/tlslite-ng (may be
# left out if tlslite is importable); python-ecdsa must be importable (Debian: apt-get install python3-ecdsa).
# PYTHON picks the interpreter (default: the first of python3, /usr/bin/python3 that imports ecdsa).
# Without TLSFUZZER it prints that it skipped and exits 0 (CI cannot fetch tlsfuzzer).
#
# What runs is tlsfuzzer/scripts.conf (script, rsa or ecdsa certificate, arguments); what is excluded, one probe
# (or `*` pattern) per line with the reason, is tlsfuzzer/exclusions.conf: only features microssl deliberately
# lacks. Each script gets a fresh server: tlsfuzzer/HttpResponder.java on microssl.jar (microssl's defaults,
# one HTTP/1.0 reply per request as `openssl s_server -www`; `--server cli` uses `microssl.jar server`, which
# echoes every record). Options: -j N scripts in parallel, --no-exclusions, --out DIR (default
# target/tlsfuzzer: per script NN-name.log, .cmd, .server.out, .server.err, and summary.json), --timeout S.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${TLSFUZZER:-}" ]; then
    echo "tlsfuzzer: SKIPPED: set TLSFUZZER to a checkout of github.com/tlsfuzzer/tlsfuzzer (and TLSLITE to one of" \
         "github.com/tlsfuzzer/tlslite-ng) to run it"
    exit 0
fi
if [ -z "${PYTHON:-}" ]; then
    for p in python3 /usr/bin/python3; do
        if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import ecdsa' >/dev/null 2>&1; then PYTHON="$p"; break; fi
    done
fi
if [ -z "${PYTHON:-}" ]; then
    echo "tlsfuzzer: no python3 that can import ecdsa (apt-get install python3-ecdsa, or set PYTHON)" >&2
    exit 1
fi
exec nice "$PYTHON" "$here/run.py" "$@"
