#!/bin/sh
# The DTLS figures of benchmarks/RESULTS.md, one sitting: microssl (DtlsBench) and OpenSSL (dtls_hs.c) alternate,
# three rounds, then retained heap. Run from the repository root after `mvn -q -DskipTests package`.
set -e
OUT=${1:-benchmarks/results/dtls-$(date -u +%Y-%m-%dT%H%M)}
CERTS=$(mktemp -d)
mkdir -p "$OUT"
JAR=benchmarks/target/benchmarks.jar
gcc -O2 -o "$CERTS/dtls_hs" benchmarks/dtls/dtls_hs.c -lssl -lcrypto
java -cp $JAR org.microssl.bench.DtlsBench certs "$CERTS"
(date -u; uptime; nproc; java -version 2>&1; openssl version) > "$OUT/machine.txt"
for round in 1 2 3; do
  java -XX:+UseSerialGC -cp $JAR org.microssl.bench.DtlsBench rate "$CERTS" 5 1 >> "$OUT/microssl.txt"
  "$CERTS/dtls_hs" -d "$CERTS" -t 5 -r 1 >> "$OUT/openssl.txt"
  uptime >> "$OUT/load.txt"
done
java -XX:+UseSerialGC -Xmx1g -cp $JAR org.microssl.bench.DtlsBench heap "$CERTS" 200 > "$OUT/heap.txt"
date -u >> "$OUT/machine.txt"
cat "$OUT"/*.txt
