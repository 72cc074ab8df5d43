"""CPython ssl client for microssl's interop tests.

Connects to 127.0.0.1:PORT, verifies the server against --cafile for --servername, sends --send plus a newline,
reads one line back, prints "PROTOCOL <version> CIPHER <name>" and "GOT <line>", then closes with close_notify.
A failure prints "ERROR <reason>" and exits 1.
"""
import argparse
import socket
import ssl
import sys

p = argparse.ArgumentParser()
p.add_argument("port", type=int)
p.add_argument("--cafile", required=True)
p.add_argument("--servername", default="localhost")
p.add_argument("--cert")
p.add_argument("--key")
p.add_argument("--tls", choices=["1.2", "1.3"])
p.add_argument("--send", default="hello")
a = p.parse_args()

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cafile=a.cafile)
if a.cert:
    ctx.load_cert_chain(a.cert, a.key)
if a.tls:
    v = ssl.TLSVersion.TLSv1_3 if a.tls == "1.3" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = v
    ctx.maximum_version = v
try:
    with socket.create_connection(("127.0.0.1", a.port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname=a.servername) as conn:
            print("PROTOCOL", conn.version(), "CIPHER", conn.cipher()[0], flush=True)
            conn.sendall(a.send.encode("utf-8") + b"\n")
            f = conn.makefile("rb", buffering=0)
            line = f.readline()
            print("GOT", line.decode("utf-8", "replace").rstrip("\n"), flush=True)
            conn.unwrap()
except (ssl.SSLError, OSError) as e:
    print("ERROR", getattr(e, "reason", None) or e, flush=True)
    sys.exit(1)
