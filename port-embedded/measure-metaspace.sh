#!/usr/bin/env bash
# Smallest -XX:MaxMetaspaceSize (in 256 KiB steps) with which the shrunk client completes a *verified* TLS 1.3
# handshake + echo against openssl s_server on the Zero interpreter, and its peak RSS (/usr/bin/time -v).
# Usage: port-embedded/measure-metaspace.sh   (after mvn -q -DskipTests package; needs openssl, /usr/bin/time, Zero)
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/microssl-embedded.jar
JAVA=${JAVA:-java}
VM=${VM:--zero}
HEAP=${HEAP:--Xmx16m}
[ -f "$JAR" ] || { echo "no $JAR: run mvn -q -DskipTests package first" >&2; exit 1; }
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 \
  -subj "/CN=Measure Root" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
  2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key -out srv.csr -subj "/CN=localhost" \
  2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nauthorityKeyIdentifier=keyid\n' > srv.ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile srv.ext -out srv.pem 2>/dev/null
openssl x509 -in ca.pem -outform der -out ca.der
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
openssl s_server -accept 127.0.0.1:$port -cert srv.pem -key srv.key -tls1_3 -rev -quiet >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
cd - >/dev/null
client() {
  "$JAVA" $VM $HEAP "$@" -jar "$JAR" client localhost "$port" --cadata "$work/ca.der" --send 'hello\nCLOSE\n'
}
ok() { client "-XX:MaxMetaspaceSize=$1k" 2>/dev/null | grep -q '^olleh$'; }
lo=1024; hi=32768   # KiB: lo fails (the JVM cannot even start), hi must succeed
ok $hi || { echo "the client fails even with $hi KiB of Metaspace" >&2; exit 1; }
while [ $((hi - lo)) -gt 256 ]; do
  mid=$(( (lo + hi) / 2 / 256 * 256 ))
  [ "$mid" -le "$lo" ] && mid=$((lo + 256))
  if ok $mid; then hi=$mid; else lo=$mid; fi
done
# confirm the edge three times (class loading is deterministic; this guards against a flaky peer)
for _ in 1 2 3; do ok $hi || { echo "unstable at $hi KiB" >&2; exit 1; }; done
echo "VM: $("$JAVA" $VM -version 2>&1 | tail -1)"
echo "smallest MaxMetaspaceSize for a verified TLS 1.3 handshake + echo: $hi KiB ($((hi - 256)) KiB fails)"
/usr/bin/time -v "$JAVA" $VM $HEAP "-XX:MaxMetaspaceSize=${hi}k" -jar "$JAR" client localhost "$port" \
  --cadata "$work/ca.der" --send 'hello\nCLOSE\n' 2>&1 >/dev/null | grep -E 'Maximum resident|Elapsed' | sed 's/^\s*/  /'
"$JAVA" $VM $HEAP -Xlog:class+load:file="$work/classes.txt" -jar "$JAR" client localhost "$port" \
  --cadata "$work/ca.der" --send 'hello\nCLOSE\n' >/dev/null
echo "classes loaded: $(wc -l < "$work/classes.txt") ($(grep -c 'org.bouncycastle' "$work/classes.txt") BouncyCastle, $(grep -c ' org.microssl' "$work/classes.txt") microssl, $(grep -c 'jrt:/' "$work/classes.txt") JDK)"
