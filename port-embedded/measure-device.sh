#!/usr/bin/env bash
# A device's day on the Zero interpreter (issue 14), the same script for every client, in one sitting:
# cold start -> verified TLS 1.3 handshake (root -> intermediate -> leaf, ECDSA P-256) -> one reading sent -> the
# answer read -> close, against openssl s_server -rev. For each client:
#   - the Metaspace floor: the smallest -XX:MaxMetaspaceSize (64 KiB steps) with which the run succeeds;
#   - peak RSS and CPU ms (user + sys, /usr/bin/time) at -Xmx2m (or the smallest of 2/4/8/16 MB that works),
#     median of RUNS runs (CPU is noisy on a shared machine; RSS and Metaspace are not timing);
#   - the heap high-water mark: the most heap in use before any collection or at exit (-Xlog:gc+heap),
#     and the most still live after a collection.
# Clients: microssl-embedded.jar with --stdio (the TLS stream on stdin/stdout, connected by the shell's /dev/tcp
# here, socat or inetd on a device) and with a Socket; the same jar appended to the boot class path, as a device
# image installs it (the VM reads it with its own zip code and does not re-verify it; README); a device's day on
# that deployment against a TLS 1.2 server: the first wake-up (full handshake, its session saved) and a resumed
# wake-up (--session-in/--session-out; TLS 1.2 because BouncyCastle 1.83 cannot resume a TLS 1.3 session with
# OpenSSL, README); raw BouncyCastle's client shrunk the same way, with --stdio, with a Socket, and with --stdio
# from the boot class path; SunJSSE (Socket
# only). The sensor example's firmware image (target/sensor-node.jar: its device code shrunk with microssl,
# client-only) on the boot class path, a cold start (full mutual-TLS 1.3 handshake, its session saved) and a resumed
# wake-up, against the example's microssl collector (SensorDemo --collector, on HotSpot), and the same program from
# the library jar. It connects with java.net.Socket. Plus the JVM's own floor: a hello world. Neither reference resumes across JVMs: SunJSSE cannot export a
# session, and raw BouncyCastle's client would need code of its own to save one.
# Usage: port-embedded/measure-device.sh
#   (after mvn -q -DskipTests -Dreference.phase=package package, which also builds the references;
#    needs openssl, /usr/bin/time (Debian package time), python3, Zero (openjdk-17-jre-zero))
set -euo pipefail
cd "$(dirname "$0")"
JAVA=${JAVA:-java}
VM=${VM:--zero}
RUNS=${RUNS:-5}
JAR=$PWD/target/microssl-embedded.jar
BC=$PWD/target/reference/rawbc-client.jar
JSSE=$PWD/target/reference/jsse-client.jar
NODE=$PWD/target/sensor-node.jar
[ -f "$JAR" ] || { echo "no $JAR: run mvn -q -DskipTests package first" >&2; exit 1; }
work=$(mktemp -d)
server=
server12=
collector=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$server12" ] && kill "$server12" 2>/dev/null;
  [ -n "$collector" ] && kill "$collector" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
ossl() { openssl "$@" 2>/dev/null; }
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 \
  -subj "/CN=Device Root" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout int.key -out int.csr -subj "/CN=Device Issuing CA"
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > int.ext
ossl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile int.ext -out int.pem
ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key -out srv.csr -subj "/CN=localhost"
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nauthorityKeyIdentifier=keyid\n' > srv.ext
ossl x509 -req -in srv.csr -CA int.pem -CAkey int.key -CAcreateserial -days 2 -extfile srv.ext -out srv.pem
openssl x509 -in ca.pem -outform der -out ca.der
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
openssl s_server -accept 127.0.0.1:$port -cert srv.pem -cert_chain int.pem -key srv.key -tls1_3 -rev -quiet \
  >/dev/null 2>&1 &
server=$!
port12=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
openssl s_server -accept 127.0.0.1:$port12 -cert srv.pem -cert_chain int.pem -key srv.key -tls1_2 -rev -quiet \
  >/dev/null 2>&1 &
server12=$!
for p in $port $port12; do
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && break; sleep 0.1; done
done
cport=
if [ -f "$NODE" ]; then
  "$JAVA" -cp "$JAR" org.microssl.embedded.example.SensorDemo --collector "$work/flash" >collector.txt 2>&1 &
  collector=$!
  for _ in $(seq 100); do cport=$(sed -n 's/^collector: listening on 127.0.0.1:\([0-9]*\),.*/\1/p' collector.txt); \
    [ -n "$cport" ] && break; sleep 0.1; done
fi
printf 'class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > Hello.java
javac -d hello Hello.java

# run NAME JVM-OPTIONS... : one run of a client; its output (report lines) in $work/out.txt; success = the answer
run() {
  local name=$1; shift
  case $name in
    microssl-stdio) bash -c 'exec 3<>/dev/tcp/127.0.0.1/'$port'; exec "$@" <&3 >&3' _ "$JAVA" $VM "$@" -jar "$JAR" \
        client --stdio localhost --cadata ca.der --send 'reading 21.5\nCLOSE\n' 2>out.txt ;;
    microssl-boot) bash -c 'exec 3<>/dev/tcp/127.0.0.1/'$port'; exec "$@" <&3 >&3' _ "$JAVA" $VM "$@" \
        -Xbootclasspath/a:"$JAR" org.microssl.embedded.Main \
        client --stdio localhost --cadata ca.der --send 'reading 21.5\nCLOSE\n' 2>out.txt ;;
    microssl-boot-tls12-first | microssl-boot-tls12-resumed)
      [ "$name" = microssl-boot-tls12-first ] && rm -f session.bin
      bash -c 'exec 3<>/dev/tcp/127.0.0.1/'$port12'; exec "$@" <&3 >&3' _ "$JAVA" $VM "$@" \
        -Xbootclasspath/a:"$JAR" org.microssl.embedded.Main client --stdio localhost --cadata ca.der \
        --session-in session.bin --session-out session.bin --send 'reading 21.5\nCLOSE\n' 2>out.txt ;;
    microssl-socket) "$JAVA" $VM "$@" -jar "$JAR" client localhost $port --cadata ca.der \
        --send 'reading 21.5\nCLOSE\n' >out.txt 2>&1 ;;
    rawbc-stdio) bash -c 'exec 3<>/dev/tcp/127.0.0.1/'$port'; exec "$@" <&3 >&3' _ "$JAVA" $VM "$@" -cp "$BC" \
        org.microssl.embedded.reference.RawBcClient localhost $port ca.der --stdio 2>out.txt ;;
    rawbc-boot) bash -c 'exec 3<>/dev/tcp/127.0.0.1/'$port'; exec "$@" <&3 >&3' _ "$JAVA" $VM "$@" \
        -Xbootclasspath/a:"$BC" org.microssl.embedded.reference.RawBcClient localhost $port ca.der --stdio 2>out.txt ;;
    rawbc-socket) "$JAVA" $VM "$@" -cp "$BC" org.microssl.embedded.reference.RawBcClient localhost $port ca.der \
        >out.txt 2>&1 ;;
    sunjsse-socket) "$JAVA" $VM "$@" -cp "$JSSE" org.microssl.embedded.reference.JsseClient localhost $port ca.der \
        >out.txt 2>&1 ;;
    node-firmware-first | node-firmware-resumed | node-library-first | node-library-resumed)
      case $name in *-first) rm -f flash/rtc-memory.session ;; esac
      case $name in node-firmware-*) image=$NODE ;; *) image=$JAR ;; esac
      "$JAVA" $VM "$@" -Xbootclasspath/a:"$image" org.microssl.embedded.example.SensorNode flash localhost $cport \
        >out.txt 2>&1 ;;
    hello) "$JAVA" $VM "$@" -cp hello Hello >out.txt 2>&1 ;;
  esac
}
ok() { local name=$1; shift
  # a resumed wake-up needs the session a first one saved
  if [ "$name" = microssl-boot-tls12-resumed ] && [ ! -s session.bin ]; then ok microssl-boot-tls12-first -Xmx16m || return 1; fi
  case $name in node-*-resumed) [ -s flash/rtc-memory.session ] || ok "${name%-resumed}-first" -Xmx16m || return 1 ;; esac
  run "$name" "$@" 2>/dev/null || return 1
  case $name in
    hello) grep -q '^hello$' out.txt ;;
    microssl-boot-tls12-first) grep -q '5.12 gnidaer' out.txt && grep -q '^resumed=no$' out.txt ;;
    microssl-boot-tls12-resumed) grep -q '5.12 gnidaer' out.txt && grep -q '^resumed=yes$' out.txt ;;
    node-*-first) grep -q '^device: wake-up, resumed=no, .* 201 Created$' out.txt ;;
    node-*-resumed) grep -q '^device: wake-up, resumed=yes, .* 201 Created$' out.txt ;;
    *) grep -q '5.12 gnidaer' out.txt ;;
  esac; }

clients="microssl-stdio microssl-socket microssl-boot microssl-boot-tls12-first microssl-boot-tls12-resumed hello"
[ -f "$BC" ] && clients="$clients rawbc-stdio rawbc-socket rawbc-boot"
[ -f "$JSSE" ] && clients="$clients sunjsse-socket"
[ -n "$cport" ] && clients="$clients node-firmware-first node-firmware-resumed node-library-first node-library-resumed"
clients=${CLIENTS:-$clients}   # e.g. CLIENTS="microssl-stdio microssl-socket" for the jar alone
[ -f "$BC" ] || echo "(no $BC: mvn -q -DskipTests -Dreference.phase=package package makes the references)" >&2
echo "VM: $("$JAVA" $VM -version 2>&1 | tail -1); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jar: $(stat -c %s "$JAR") bytes ($(basename "$JAR"))$([ -f "$BC" ] && echo "; raw BouncyCastle client: $(stat -c %s "$BC") bytes")$([ -f "$NODE" ] && echo "; firmware: $(stat -c %s "$NODE") bytes ($(basename "$NODE"))")"
printf '%-16s %8s %12s %14s %10s %16s %14s\n' client heap metaspace-KiB peak-RSS-KB CPU-ms heap-highwater-KB live-after-GC-KB
for c in $clients; do
  heap=
  for h in 2 4 8 16; do ok "$c" -Xmx${h}m && { heap=$h; break; }; done
  [ -n "$heap" ] || { echo "$c: fails even with -Xmx16m: $(tail -2 out.txt)"; continue; }
  lo=1024; hi=32768
  ok "$c" -Xmx${heap}m -XX:MaxMetaspaceSize=${hi}k || { echo "$c: fails with $hi KiB of Metaspace"; continue; }
  while [ $((hi - lo)) -gt 64 ]; do
    mid=$(( (lo + hi) / 2 / 64 * 64 )); [ "$mid" -le "$lo" ] && mid=$((lo + 64))
    if ok "$c" -Xmx${heap}m -XX:MaxMetaspaceSize=${mid}k; then hi=$mid; else lo=$mid; fi
  done
  for _ in 1 2; do ok "$c" -Xmx${heap}m -XX:MaxMetaspaceSize=${hi}k || { echo "$c: unstable at $hi KiB" >&2; }; done
  rss=(); cpu=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%M %U %S' -o time.txt bash -c "$(declare -f run); JAVA=$JAVA VM=$VM JAR=$JAR BC=$BC JSSE=$JSSE NODE=$NODE port=$port port12=$port12 cport=$cport run $c -Xmx${heap}m" || true
    read -r m u s < <(tail -1 time.txt)
    rss+=("$m"); cpu+=("$(python3 -c "print(round(($u+$s)*1000))")")
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  ok "$c" -Xmx${heap}m -Xlog:gc+heap=debug,gc+heap+exit=debug:file=gc.txt || true
  read -r hw live < <(python3 - gc.txt <<'PY'
import re, sys
hw = live = 0; before = {}; after = {}; cur = None
for line in open(sys.argv[1]):
    m = re.search(r'GC\((\d+)\) Heap (before|after) GC', line)
    if m: cur = (m.group(1), m.group(2)); continue
    m = re.search(r'(def new generation|tenured generation)\s+total \d+K, used (\d+)K', line)
    if m and cur:
        (before if cur[1] == 'before' else after).setdefault(cur[0], 0)
        (before if cur[1] == 'before' else after)[cur[0]] += int(m.group(2))
    elif m:  # at exit
        before.setdefault('exit', 0); before['exit'] += int(m.group(2))
    if 'Heap' in line and 'exit' in line: cur = None
print(max(before.values() or [0]), max(after.values() or [0]))
PY
)
  printf '%-16s %7sm %12s %14s %10s %16s %14s\n' "$c" "$heap" "$hi" "$(med "${rss[@]}")" "$(med "${cpu[@]}")" "$hw" "$live"
done
