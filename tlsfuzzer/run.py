#!/usr/bin/env python3
"""Runs tlsfuzzer (github.com/tlsfuzzer/tlsfuzzer) against a microssl server; see run.sh for usage.

For each line of scripts.conf: start a fresh server on loopback (HttpResponder.java on microssl.jar, or
`microssl.jar server 0` with --server cli) with the certificate the line names (RSA-2048 or P-256 ECDSA, made
here with openssl), run the tlsfuzzer script against it with the line's arguments plus `-e PROBE` for every
exclusions.conf entry of that script, and collect the script's verdict per probe. Exits 1 if any probe that is
not excluded fails (or a script dies without its summary), 0 otherwise. Logs, the server's output and
summary.json go to target/tlsfuzzer/.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def read_scripts(path):
    """scripts.conf: `KEY SCRIPT [ARG...]` per line (KEY: rsa or ecdsa; args shell-quoted); # comments."""
    runs = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        if len(words) < 2 or words[0] not in ("rsa", "ecdsa"):
            sys.exit("%s:%d: want `rsa|ecdsa SCRIPT [ARG...]`, got: %s" % (path, n, line))
        runs.append({"key": words[0], "script": words[1], "args": words[2:]})
    return runs


def read_exclusions(path):
    """exclusions.conf: `SCRIPT | PROBE NAME | REASON` per line; # comments. Every entry needs a reason."""
    excl = {}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) != 3 or not all(parts):
            sys.exit("%s:%d: want `SCRIPT | PROBE | REASON`, got: %s" % (path, n, line))
        excl.setdefault(parts[0], []).append((parts[1], parts[2]))
    return excl


def make_keys(workdir):
    keys = {}
    specs = {"rsa": ["-newkey", "rsa:2048"],
             "ecdsa": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]}
    for name, spec in specs.items():
        key, crt = os.path.join(workdir, name + ".key"), os.path.join(workdir, name + ".crt")
        subprocess.run(["openssl", "req", "-x509", "-nodes", "-days", "3650", "-subj", "/CN=localhost",
                        "-keyout", key, "-out", crt] + spec, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        keys[name] = (crt, key)
    return keys


def compile_responder(java, jar, out_dir):
    """javac tlsfuzzer/HttpResponder.java against the jar, once per run."""
    javac = os.path.join(os.path.dirname(java), "javac") if os.path.dirname(java) else "javac"
    classes = os.path.join(out_dir, "classes")
    os.makedirs(classes, exist_ok=True)
    subprocess.run([javac, "-nowarn", "-cp", jar, "-d", classes, os.path.join(HERE, "HttpResponder.java")],
                   check=True)
    return classes


def server_command(ctx, crt, key):
    if ctx["server"] == "cli":
        return [ctx["java"], "-jar", ctx["jar"], "server", "0", "--cert", crt, "--key", key]
    return [ctx["java"], "-cp", ctx["jar"] + os.pathsep + ctx["classes"], "HttpResponder", "0", crt, key]


def start_server(cmd, log_prefix):
    out = open(log_prefix + ".server.out", "w")
    err = open(log_prefix + ".server.err", "w")
    proc = subprocess.Popen(cmd,
                            stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True)
    line = proc.stdout.readline()  # "listening port=N"
    out.write(line)
    m = re.match(r"listening port=(\d+)", line)
    if not m:
        proc.kill()
        raise RuntimeError("server did not start: %r (see %s.server.err)" % (line, log_prefix))

    def pump():
        for l in proc.stdout:
            out.write(l)
        out.close()
    threading.Thread(target=pump, daemon=True).start()
    return proc, int(m.group(1))


def parse_probes(stdout):
    """Per probe name: a list of (verdict, message); a failure's message is its traceback's exception line."""
    probes = {}
    current, verdict, message, in_tb, node = None, None, "", False, None

    def close():
        if current is not None and verdict is not None:
            probes.setdefault(current, []).append((verdict, message))
    for line in stdout.splitlines():
        m = re.match(r"^\"(.*)\" repeat \d+\.\.\.$", line) or re.match(r"^(\S.*) \.\.\.$", line)
        if m:
            close()
            current, verdict, message, in_tb, node = m.group(1), None, "", False, None
            continue
        n = re.match(r"^Error encountered while processing node (.*?) \(child: ", line)
        if n:
            node = n.group(1)
            cls = re.match(r"^<[\w.]*?(\w+) object at ", node)
            node = cls.group(1) if cls else node  # ExpectAlert(level=2, description=50) stays as it is
            if not node.startswith("Expect"):
                node = node.split("(")[0]  # a generator's repr holds the whole message
        if current is None:
            continue
        if verdict is None and (line == "OK" or line.startswith("OK-expected failure")):
            verdict = "pass"
        elif verdict is None and line.startswith("XPASS"):
            verdict = "xpass"
        elif line.startswith("Error while processing"):
            verdict = "fail"
        elif line.startswith("Traceback (most recent call last)"):
            in_tb = True
        elif in_tb and line and not line.startswith(" "):
            message, in_tb = line.strip() + (" [at %s]" % node if node else ""), False
    close()
    return probes


def summary_counts(stdout):
    counts = {}
    for key in ("TOTAL", "SKIP", "PASS", "XFAIL", "FAIL", "XPASS"):
        m = re.search(r"^%s: (\d+)$" % key, stdout, re.M)
        counts[key.lower()] = int(m.group(1)) if m else None
    failed = re.search(r"^FAILED:\n((?:\t.*\n?)*)", stdout, re.M)
    names = []
    if failed:
        for l in failed.group(1).splitlines():
            l = l.strip()
            if l:
                try:
                    names.append(eval(l, {}, {}))  # the script prints repr() of each name
                except Exception:
                    names.append(l)
    return counts, names


def pattern(probe):
    """An exclusion names one probe, or several with `*` (any text); nothing else is special."""
    return re.compile("^" + ".*".join(re.escape(p) for p in probe.split("*")) + "$")


def list_probes(ctx, script, args):
    """Every probe name of the script with these arguments (all of them: `-n 0`), without connecting."""
    cp = subprocess.run([ctx["python"], os.path.join(HERE, "list_probes.py"),
                         os.path.join(ctx["tlsfuzzer"], "scripts", script)] + args + ["-n", "0"],
                        cwd=ctx["tlsfuzzer"], env=ctx["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True, timeout=600)
    return [l for l in cp.stdout.splitlines() if l]


def resolve_exclusions(ctx, script, args, excluded):
    """(names to exclude, names to run or None for "all but the excluded", exclusions that match no probe)."""
    entries = [p for p, _ in excluded]
    if not any("*" in p or p == "sanity" for p in entries):
        return entries, None, None  # plain names: -e each; the SKIP count tells whether each one matched
    names = list_probes(ctx, script, args)
    pats = [(p, pattern(p)) for p in entries]
    matched = [n for n in names if any(rx.match(n) for _, rx in pats)]
    stale = [p for p, rx in pats if not any(rx.match(n) for n in names)]
    run_only = None
    if "sanity" in matched:
        # a script always runs "sanity" unless given the probes to run by name
        run_only = [n for n in names if n not in matched]
    return matched, run_only, stale


def run_one(idx, run, ctx):
    script = run["script"]
    label = "%02d-%s" % (idx, script.replace(".py", ""))
    log_prefix = os.path.join(ctx["out"], label)
    crt, key = ctx["keys"][run["key"]]
    excluded = ctx["excl"].get(script, [])
    result = {"script": script, "key": run["key"], "args": run["args"], "label": label}
    t0 = time.time()
    names_excluded, run_only, stale = resolve_exclusions(ctx, script, run["args"], excluded)
    try:
        srv, port = start_server(server_command(ctx, crt, key), log_prefix)
    except Exception as e:  # noqa: BLE001 - reported as a failed script
        result.update(ok=False, error=str(e), counts={}, failed={})
        return result
    args = [ctx["python"], "-u", os.path.join(ctx["tlsfuzzer"], "scripts", script),
            "-h", "127.0.0.1", "-p", str(port)] + run["args"]
    for probe in names_excluded:
        args += ["-e", probe]
    if run_only is not None:
        args += run_only
    env = ctx["env"]
    with open(log_prefix + ".cmd", "w") as f:
        f.write(" ".join(shlex.quote(a) for a in args) + "\n")
    try:
        cp = subprocess.run(args, cwd=ctx["tlsfuzzer"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=ctx["timeout"])
        stdout, rc = cp.stdout, cp.returncode
    except subprocess.TimeoutExpired as e:
        stdout = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        stdout += "\n*** run.py: script killed after %d s\n" % ctx["timeout"]
        rc = -1
    finally:
        alive = srv.poll() is None
        os.killpg(srv.pid, signal.SIGTERM)
        srv.wait()
    with open(log_prefix + ".log", "w") as f:
        f.write(stdout)
    counts, failed_names = summary_counts(stdout)
    probes = parse_probes(stdout)
    failed = {}
    for name in failed_names:
        msgs = [m for v, m in probes.get(name, []) if v == "fail"]
        failed[name] = msgs[-1] if msgs else "(no message found in the log)"
    if (counts.get("fail") or 0) > len(failed_names):  # FAILED lists a probe once per failed run
        failed["(a check outside the probes, e.g. a statistic over them)"] = \
            "%d failure(s) not attributed to a probe: see %s.log" % (counts["fail"] - len(failed_names), log_prefix)
    ok = rc == 0 and counts.get("fail") == 0 and counts.get("xpass") == 0
    if stale is None and counts.get("skip") is not None and counts["skip"] != len(names_excluded):
        listed = set(list_probes(ctx, script, run["args"]))
        stale = [p for p in names_excluded if p not in listed]
    if stale:
        result["stale_exclusions"] = stale
    if counts.get("skip") is not None:
        counts["skip"] = len(names_excluded)
    result.update(ok=ok, rc=rc, counts=counts, failed=failed, seconds=round(time.time() - t0, 1),
                  server_survived=alive)
    return result


def main():
    ap = argparse.ArgumentParser(description="run tlsfuzzer against microssl.jar server (see run.sh)")
    ap.add_argument("only", nargs="*", help="run only these scripts (file names from scripts.conf)")
    ap.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("JOBS", "1")))
    ap.add_argument("--scripts", default=os.path.join(HERE, "scripts.conf"))
    ap.add_argument("--exclusions", default=os.path.join(HERE, "exclusions.conf"))
    ap.add_argument("--no-exclusions", action="store_true", help="run every probe (for measuring)")
    ap.add_argument("--out", default=os.path.join(REPO, "target", "tlsfuzzer"))
    ap.add_argument("--timeout", type=int, default=3600, help="seconds per script")
    ap.add_argument("--server", choices=("responder", "cli"), default="responder",
                    help="responder (default): HttpResponder.java, one HTTP reply per request as tlsfuzzer expects; "
                         "cli: `microssl.jar server`, which echoes every record")
    opts = ap.parse_args()

    tlsfuzzer = os.environ.get("TLSFUZZER")
    if not tlsfuzzer:
        print("tlsfuzzer: SKIPPED: set TLSFUZZER to a checkout of github.com/tlsfuzzer/tlsfuzzer "
              "(and TLSLITE to one of github.com/tlsfuzzer/tlslite-ng) to run it")
        return 0
    tlsfuzzer = os.path.abspath(tlsfuzzer)
    if not os.path.isdir(os.path.join(tlsfuzzer, "scripts")):
        sys.exit("TLSFUZZER=%s has no scripts/ directory: not a tlsfuzzer checkout" % tlsfuzzer)
    tlslite = os.environ.get("TLSLITE")
    tlslite = os.path.abspath(tlslite) if tlslite else None
    jar = os.environ.get("MICROSSL_JAR", os.path.join(REPO, "port-desktop", "target", "microssl.jar"))
    if not os.path.isfile(jar):
        sys.exit("%s is missing: build it with `mvn -B -ntp -DskipTests package`" % jar)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (tlsfuzzer, tlslite, env.get("PYTHONPATH")) if p)
    probe = subprocess.run([sys.executable, "-c", "import ecdsa, tlslite, tlsfuzzer.runner"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if probe.returncode != 0:
        sys.exit("%s cannot import ecdsa, tlslite and tlsfuzzer (TLSLITE set? python3-ecdsa installed?):\n%s"
                 % (sys.executable, probe.stdout))

    runs = read_scripts(opts.scripts)
    if opts.only:
        runs = [r for r in runs if r["script"] in opts.only or r["script"].replace(".py", "") in opts.only]
    excl = {} if opts.no_exclusions else read_exclusions(opts.exclusions)
    os.makedirs(opts.out, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="microssl-tlsfuzzer-")
    ctx = {"tlsfuzzer": tlsfuzzer, "tlslite": tlslite, "jar": jar, "python": sys.executable,
           "java": os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java",
           "keys": make_keys(workdir), "excl": excl, "out": opts.out, "timeout": opts.timeout,
           "server": opts.server}
    ctx["env"] = env
    ctx["classes"] = compile_responder(ctx["java"], jar, opts.out) if opts.server == "responder" else None

    results = []
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = [pool.submit(run_one, i, r, ctx) for i, r in enumerate(runs, 1)]
        for fut in futures:
            res = fut.result()
            results.append(res)
            c = res.get("counts", {})
            print("%-4s %-55s pass %s fail %s skip %s total %s  %ss%s" % (
                "ok" if res["ok"] else "FAIL", res["label"] + (" " + " ".join(res["args"]) if res["args"] else ""),
                c.get("pass"), c.get("fail"), c.get("skip"), c.get("total"), res.get("seconds"),
                "" if res.get("server_survived", True) else "  (server died)"), flush=True)
            for name, msg in res.get("failed", {}).items():
                print("       - %s: %s" % (name, msg), flush=True)
            if res.get("error"):
                print("       ! %s" % res["error"], flush=True)
            if res.get("stale_exclusions"):
                print("       ? exclusions naming no probe: %s" % res["stale_exclusions"], flush=True)

    tot = {k: sum((r.get("counts") or {}).get(k) or 0 for r in results) for k in ("pass", "fail", "skip", "xfail", "xpass")}
    tot["total"] = tot["pass"] + tot["fail"] + tot["xfail"] + tot["xpass"]  # a script may run a probe several times
    with open(os.path.join(opts.out, "summary.json"), "w") as f:
        json.dump({"totals": tot, "results": results}, f, indent=1)
    shutil.rmtree(workdir, ignore_errors=True)
    bad = [r for r in results if not r["ok"]]
    print("tlsfuzzer: %d scripts, %d probes run, %d passed, %d failed, %d excluded; %d scripts failed; logs in %s"
          % (len(results), tot["total"], tot["pass"], tot["fail"], tot["skip"], len(bad), opts.out))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
