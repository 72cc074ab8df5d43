#!/usr/bin/env bash
# Fuzzes one of microssl's Jazzer targets (core/src/test/java/org/microssl/fuzz) for a while, or re-records their
# seed corpus. mvn verify only replays the corpus; this searches for new inputs.
#
#   core/fuzz.sh TARGET [MINUTES]     TARGET: client | server | validator | cert-chain | cadata (default 10 minutes)
#   core/fuzz.sh record [pki]         re-record the handshake flights (pki: new keys and certificates first)
#
# New inputs that add coverage go to core/.cifuzz-corpus/ (not committed); an input that fails a target is saved
# beside its seeds in src/test/resources/org/microssl/fuzz/<Class>Inputs/<method>/ and from then on replayed by
# mvn verify. Runs at nice 10 with a 512 MB heap; set JAZZER_KEEP_GOING=1 to stop at the first finding.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-}
case "$target" in
    client)     test=ClientFlightFuzzTest#clientFedServerFlight ;;
    server)     test=ServerFlightFuzzTest#serverFedClientFlight ;;
    validator)  test=PathValidatorFuzzTest#verify ;;
    cert-chain) test=KeyLoadingFuzzTest#loadCertChain ;;
    cadata)     test=KeyLoadingFuzzTest#loadVerifyLocations ;;
    record)
        exec mvn -B -ntp -q -pl core test -Dtest=FlightRecorder -Dfuzz.record="${2:-true}" \
            -Dsurefire.failIfNoSpecifiedTests=false ;;
    *)
        sed -n '2,10p' "$0" >&2
        exit 2 ;;
esac
minutes=${2:-10}

# Coverage feedback from microssl and from the BouncyCastle code that parses what a peer sends (TLS messages,
# ASN.1, PEM, keys); its arithmetic and ciphers are left uninstrumented, for speed.
export JAZZER_INSTRUMENT="${JAZZER_INSTRUMENT:-org.microssl.**,org.bouncycastle.tls.**,org.bouncycastle.asn1.**,org.bouncycastle.util.io.pem.**,org.bouncycastle.crypto.util.**}"
export JAZZER_FUZZ=1
export JAZZER_MAX_DURATION="${minutes}m"
export JAZZER_KEEP_GOING="${JAZZER_KEEP_GOING:-1000}"  # report every distinct finding, not just the first
# No fast throw: once the JIT compiles a hot throw site, HotSpot throws a shared exception without message or stack,
# and a finding would neither replay (the message is back in a fresh JVM) nor be told apart from others.
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:--Xmx512m -XX:-OmitStackTraceInFastThrow}"
exec nice -n 10 mvn -B -ntp -pl core test -Dtest="$test" -Djazzer.hooks=true -Dsurefire.failIfNoSpecifiedTests=false
