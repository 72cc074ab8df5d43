/*
 * dtls_hs.c - OpenSSL's DTLS 1.2 in-process handshake rate, ONE thread, no sockets: the peer microssl's DtlsBench
 * is compared with, in the same sitting.
 *
 * Client and server SSL objects over memory BIOs; after each SSL_do_handshake the bytes each side wrote are moved
 * to the other's read BIO (whole flights; DTLS records delimit themselves). MTU 1232 (SSL_OP_NO_QUERY_MTU +
 * DTLS_set_link_mtu), as microssl's default. The server does the cookie exchange (SSL_OP_COOKIE_EXCHANGE, cookie =
 * HMAC-SHA256 of the client's address under a random key, as RFC 6347 section 4.2.1 suggests), so every handshake
 * is ClientHello, HelloVerifyRequest, ClientHello, ... as microssl's is. New SSL objects per handshake; no session
 * resumption (SSL_OP_NO_TICKET, session cache off).
 *
 * Cases:
 *   psk_ccm8     TLS_PSK_WITH_AES_128_CCM_8 (PSK-AES128-CCM8), 16-byte key, identity "sensor-0042"
 *   ecdhe_ecdsa  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, X25519, server chain leaf + intermediate (ECDSA P-256)
 *                from DIR/leaf.pem, DIR/int.pem, DIR/leaf.key; client verifies against DIR/root.pem and the host
 *                name "localhost" (SSL_VERIFY_PEER + SSL_set1_host)
 *
 * Reports, per case and repeat: handshakes per process-CPU-second, per wall-second, and bytes on the wire per
 * handshake (both directions, DTLS records with their headers; the UDP/IP headers are not counted).
 *
 * build: gcc -O2 -o /tmp/dtls_hs dtls_hs.c -lssl -lcrypto
 * usage: /tmp/dtls_hs -d CERTDIR [-t SECONDS] [-r REPEATS] [case ...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

static unsigned char cookie_key[32];
static const char *CLIENT_ADDR = "127.0.0.1:40000";
static const unsigned char PSK[16] = "0123456789abcdef";
static long wire_bytes;

static void die(const char *what) {
    fprintf(stderr, "FATAL: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static int gen_cookie(SSL *ssl, unsigned char *cookie, unsigned int *len) {
    (void) ssl;
    HMAC(EVP_sha256(), cookie_key, sizeof cookie_key, (const unsigned char *) CLIENT_ADDR, strlen(CLIENT_ADDR),
         cookie, len);
    return 1;
}

static int verify_cookie(SSL *ssl, const unsigned char *cookie, unsigned int len) {
    unsigned char expected[EVP_MAX_MD_SIZE];
    unsigned int n;
    (void) ssl;
    HMAC(EVP_sha256(), cookie_key, sizeof cookie_key, (const unsigned char *) CLIENT_ADDR, strlen(CLIENT_ADDR),
         expected, &n);
    return n == len && CRYPTO_memcmp(expected, cookie, n) == 0;
}

static unsigned int psk_client(SSL *ssl, const char *hint, char *identity, unsigned int max_identity,
                               unsigned char *psk, unsigned int max_psk) {
    (void) ssl; (void) hint; (void) max_psk; (void) max_identity;
    strcpy(identity, "sensor-0042");
    memcpy(psk, PSK, sizeof PSK);
    return sizeof PSK;
}

static unsigned int psk_server(SSL *ssl, const char *identity, unsigned char *psk, unsigned int max_psk) {
    (void) ssl; (void) max_psk;
    if (strcmp(identity, "sensor-0042") != 0) return 0;
    memcpy(psk, PSK, sizeof PSK);
    return sizeof PSK;
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void move(BIO *from, BIO *to) {
    char buf[65536];
    int n;
    while ((n = BIO_read(from, buf, sizeof buf)) > 0) {
        wire_bytes += n;
        BIO_write(to, buf, n);
    }
}

static void handshake(SSL_CTX *cctx, SSL_CTX *sctx, int ecdsa) {
    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    BIO *c_in = BIO_new(BIO_s_mem()), *c_out = BIO_new(BIO_s_mem());
    BIO *s_in = BIO_new(BIO_s_mem()), *s_out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(c_in, -1);
    BIO_set_mem_eof_return(s_in, -1);
    SSL_set_bio(c, c_in, c_out);
    SSL_set_bio(s, s_in, s_out);
    SSL_set_options(c, SSL_OP_NO_QUERY_MTU);
    SSL_set_options(s, SSL_OP_NO_QUERY_MTU | SSL_OP_COOKIE_EXCHANGE);
    DTLS_set_link_mtu(c, 1232 + 28);
    DTLS_set_link_mtu(s, 1232 + 28);
    if (ecdsa) SSL_set1_host(c, "localhost");
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    int cd = 0, sd = 0;
    for (int rounds = 0; !(cd && sd); rounds++) {
        if (rounds > 50) die("handshake did not finish");
        if (!cd) {
            int r = SSL_do_handshake(c);
            if (r == 1) cd = 1;
            else if (SSL_get_error(c, r) != SSL_ERROR_WANT_READ) die("client handshake");
        }
        move(c_out, s_in);
        if (!sd) {
            int r = SSL_do_handshake(s);
            if (r == 1) sd = 1;
            else if (SSL_get_error(s, r) != SSL_ERROR_WANT_READ) die("server handshake");
        }
        move(s_out, c_in);
    }
    SSL_free(c);
    SSL_free(s);
}

int main(int argc, char **argv) {
    const char *dir = ".";
    double seconds = 5;
    int repeats = 3;
    const char *cases[8];
    int ncases = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-d")) dir = argv[++i];
        else if (!strcmp(argv[i], "-t")) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "-r")) repeats = atoi(argv[++i]);
        else cases[ncases++] = argv[i];
    }
    if (ncases == 0) { cases[0] = "psk_ccm8"; cases[1] = "ecdhe_ecdsa"; ncases = 2; }
    RAND_bytes(cookie_key, sizeof cookie_key);
    char path[1024];
    printf("OpenSSL %s, %.0f s per run\n", OpenSSL_version(OPENSSL_VERSION), seconds);
    for (int rep = 0; rep < repeats; rep++) {
        for (int k = 0; k < ncases; k++) {
            int ecdsa = !strcmp(cases[k], "ecdhe_ecdsa");
            SSL_CTX *cctx = SSL_CTX_new(DTLS_client_method()), *sctx = SSL_CTX_new(DTLS_server_method());
            SSL_CTX_set_min_proto_version(cctx, DTLS1_2_VERSION);
            SSL_CTX_set_max_proto_version(cctx, DTLS1_2_VERSION);
            SSL_CTX_set_options(cctx, SSL_OP_NO_TICKET);
            SSL_CTX_set_options(sctx, SSL_OP_NO_TICKET);
            SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_OFF);
            SSL_CTX_set_session_cache_mode(sctx, SSL_SESS_CACHE_OFF);
            SSL_CTX_set_cookie_generate_cb(sctx, gen_cookie);
            SSL_CTX_set_cookie_verify_cb(sctx, verify_cookie);
            if (ecdsa) {
                if (!SSL_CTX_set_cipher_list(cctx, "ECDHE-ECDSA-AES128-GCM-SHA256")) die("cipher");
                snprintf(path, sizeof path, "%s/leaf.pem", dir);
                if (SSL_CTX_use_certificate_file(sctx, path, SSL_FILETYPE_PEM) != 1) die(path);
                snprintf(path, sizeof path, "%s/int.pem", dir);
                if (SSL_CTX_add1_chain_cert(sctx, PEM_read_bio_X509(BIO_new_file(path, "r"), NULL, NULL, NULL)) != 1) die(path);
                snprintf(path, sizeof path, "%s/leaf.key", dir);
                if (SSL_CTX_use_PrivateKey_file(sctx, path, SSL_FILETYPE_PEM) != 1) die(path);
                snprintf(path, sizeof path, "%s/root.pem", dir);
                if (SSL_CTX_load_verify_locations(cctx, path, NULL) != 1) die(path);
                SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
            } else {
                if (!SSL_CTX_set_cipher_list(cctx, "PSK-AES128-CCM8")) die("cipher");
                if (!SSL_CTX_set_cipher_list(sctx, "PSK-AES128-CCM8")) die("cipher");
                SSL_CTX_set_psk_client_callback(cctx, psk_client);
                SSL_CTX_set_psk_server_callback(sctx, psk_server);
            }
            handshake(cctx, sctx, ecdsa); /* warm */
            wire_bytes = 0;
            long n = 0;
            double c0 = cpu_now(), w0 = wall_now();
            while (wall_now() - w0 < seconds) {
                handshake(cctx, sctx, ecdsa);
                n++;
            }
            double cpu = cpu_now() - c0, wall = wall_now() - w0;
            printf("openssl %-12s rep %d: %8.1f hs/cpu-s %8.1f hs/wall-s %6ld bytes/hs (%ld handshakes)\n",
                   cases[k], rep + 1, n / cpu, n / wall, wire_bytes / n, n);
            fflush(stdout);
            SSL_CTX_free(cctx);
            SSL_CTX_free(sctx);
        }
    }
    return 0;
}
