"""CPython ssl echo server for microssl's interop tests.

Binds 127.0.0.1 on a free port, prints "READY <port>", then for each client: completes the handshake, prints
"PROTOCOL <version> CIPHER <name>" and "PEER <subject or none>", echoes each line back, and on EOF (or a line
"CLOSE") sends close_notify (with --truncate: closes without it after one line). Handshake failures are printed as "HANDSHAKE_ERROR <reason>" and the server goes on.
"""
import argparse
import socket
import ssl
import sys

p = argparse.ArgumentParser()
p.add_argument("--cert", required=True)
p.add_argument("--key", required=True)
p.add_argument("--cafile")
p.add_argument("--verify", choices=["none", "optional", "required"], default="none")
p.add_argument("--tls", choices=["1.2", "1.3"])
p.add_argument("--connections", type=int, default=1)
p.add_argument("--truncate", action="store_true",
               help="after echoing the first line, close the TCP connection without close_notify")
a = p.parse_args()

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(a.cert, a.key)
if a.cafile:
    ctx.load_verify_locations(cafile=a.cafile)
ctx.verify_mode = {"none": ssl.CERT_NONE, "optional": ssl.CERT_OPTIONAL, "required": ssl.CERT_REQUIRED}[a.verify]
if a.tls:
    v = ssl.TLSVersion.TLSv1_3 if a.tls == "1.3" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = v
    ctx.maximum_version = v

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(4)
print("READY", listener.getsockname()[1], flush=True)

for _ in range(a.connections):
    raw, _addr = listener.accept()
    try:
        conn = ctx.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError) as e:
        print("HANDSHAKE_ERROR", getattr(e, "reason", None) or e, flush=True)
        raw.close()
        continue
    cert = conn.getpeercert()
    subject = ",".join("%s=%s" % kv for rdn in cert["subject"] for kv in rdn) if cert else "none"
    print("PROTOCOL", conn.version(), "CIPHER", conn.cipher()[0], flush=True)
    print("PEER", subject, flush=True)
    f = conn.makefile("rwb", buffering=0)
    try:
        while True:
            line = f.readline()
            if not line:
                break
            print("RECEIVED", line[:200].decode("utf-8", "replace").rstrip("\n"), flush=True)
            if line.strip() == b"CLOSE":
                break
            conn.sendall(line)
            if a.truncate:
                # SSLSocket.shutdown drops the TCP connection without close_notify: the peer must see a truncation
                conn.shutdown(socket.SHUT_RDWR)
                conn.close()
                print("TRUNCATED", flush=True)
                break
        if a.truncate:
            continue
        conn.unwrap()  # RFC 8446 section 6.1: close_notify before closing
        print("CLOSED_CLEANLY", flush=True)
    except (ssl.SSLError, OSError) as e:
        print("CONNECTION_ERROR", getattr(e, "reason", None) or e, flush=True)
    finally:
        conn.close()
