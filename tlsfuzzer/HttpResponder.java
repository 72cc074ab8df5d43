import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.SslException;

/**
 * The peer tlsfuzzer's scripts expect, as {@code openssl s_server -www} is for OpenSSL: a microssl server on the
 * public API with microssl's defaults (but a 60 s handshake deadline; one client at a time), which answers each HTTP request ("GET "
 * up to a blank line, "\n\n" or "\r\n\r\n") with one short HTTP/1.0 response, echoes anything else (test-lengths
 * checks the echo's size), and closes on the client's close_notify. {@code microssl.jar server} echoes every record,
 * so a request sent in several records gets several replies where tlsfuzzer expects one. Run by tlsfuzzer/run.py:
 * {@code java -cp microssl.jar HttpResponder.java PORT CERT KEY}; prints "listening port=N" and one line per failure.
 */
public final class HttpResponder {
    private static final byte[] RESPONSE = ("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\n"
            + "microssl").getBytes(StandardCharsets.US_ASCII);
    /**
     * Whole-handshake deadline (SSLContext.setHandshakeTimeout; default 10 s): tlsfuzzer's Python client needs more
     * than 10 s to build some probes before it sends their first byte (test-truncating-of-client-hello "max pad",
     * a 16 MiB ClientHello), and the server would then rightly cut it with user_canceled.
     */
    private static final int HANDSHAKE_TIMEOUT_MS = 60_000;
    /** After the handshake: tlsfuzzer waits at most a few seconds for anything. */
    private static final int IDLE_TIMEOUT_MS = 60_000;

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: HttpResponder PORT CERT KEY");
            System.exit(2);
        }
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.loadCertChain(args[1], args[2]);
        ctx.setHandshakeTimeout(HANDSHAKE_TIMEOUT_MS);
        PrintStream out = System.out;
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])));
            out.println("listening port=" + listener.getLocalPort());
            out.flush();
            while (true) {
                try (Socket sock = listener.accept()) {
                    serve(ctx, sock, out);
                }
            }
        }
    }

    private static void serve(SSLContext ctx, Socket sock, PrintStream out) {
        String who = sock.getRemoteSocketAddress().toString();
        try {
            SSLSocket tls = ctx.wrapSocket(sock, true, true, null);
            sock.setSoTimeout(IDLE_TIMEOUT_MS);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            byte[] chunk;
            while ((chunk = tls.recv(16384)).length > 0) { // recv: what has arrived (read(n) waits for n bytes)
                request.write(chunk, 0, chunk.length);
                String sofar = new String(request.toByteArray(), StandardCharsets.ISO_8859_1);
                if (!sofar.startsWith("GET ") && !"GET ".startsWith(sofar)) {
                    tls.write(request.toByteArray()); // not HTTP: echoed, as test-lengths expects
                    request.reset();
                } else if (sofar.contains("\n\n") || sofar.contains("\r\n\r\n")) {
                    tls.write(RESPONSE);
                    request.reset();
                }
            }
            tls.close();
            out.println("closed client=" + who);
        } catch (SslException e) {
            linger(sock); // as the CLI server: a reset over unread bytes could overtake the alert
            out.println("error: " + e.getMessage() + " (client " + who + ")"); // the message starts with the Failure
        } catch (Exception e) {
            out.println("error: " + e + " (client " + who + ")");
        }
        out.flush();
    }

    /** Reads what the client still sends for a moment (bounded in time and bytes) before the socket closes. */
    private static void linger(Socket sock) {
        try {
            sock.shutdownOutput();
            sock.setSoTimeout(2000);
            java.io.InputStream in = sock.getInputStream();
            byte[] discard = new byte[16384];
            long total = 0;
            int n;
            while (total < (32 << 20) && (n = in.read(discard)) > 0) total += n;
        } catch (java.io.IOException e) {
            // gone, or quiet
        }
    }
}
