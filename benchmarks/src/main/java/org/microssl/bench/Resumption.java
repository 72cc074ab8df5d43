package org.microssl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Session;

/**
 * Resumed handshakes per second (issue 11), client and server in one thread, both sides' work counted, as
 * ../shared/openssl-anchor/hs.c's {@code t12_ecdsa_resume} and {@code t13_ecdsa_resume} do, beside microssl's full
 * validated handshakes (its {@code t12_ecdsa_verify}, {@code t13_ecdsa_verify}). Cases run round-robin, timed by
 * wall clock and by this thread's CPU time (ThreadMXBean); medians are printed.
 *
 * <ul>
 *   <li>{@code full13}, {@code full12}: a full handshake, ECDSA P-256 root, intermediate, leaf, chain and host name
 *       validated (the validator's signature cache warm, as for a device reconnecting to its server).</li>
 *   <li>{@code resume12}: TLS 1.2 abbreviated handshake with an RFC 5077 ticket; like OpenSSL's case, our server
 *       does not renew it, so every handshake presents the ticket of the full handshake. No signature, no key
 *       exchange.</li>
 *   <li>{@code resume13}: TLS 1.3 microssl ticket (sealed external PSK, psk_dhe_ke): one X25519 exchange, no
 *       signature; the server issues a new ticket, the client reads it and the next handshake offers that one
 *       (tickets are used once), as OpenSSL's case reads its NewSessionTicket.</li>
 * </ul>
 * No close_notify is sent, as in hs.c.
 *
 * <pre>java [-Xint] -cp benchmarks.jar org.microssl.bench.Resumption [seconds-per-case] [repeats]</pre>
 */
public final class Resumption {

    interface Op {
        void run() throws Exception;
    }

    private static final class Case {
        final String name;
        final Op op;
        final List<Double> wall = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();

        Case(String name, Op op) {
            this.name = name;
            this.op = op;
        }
    }

    /** Both ends over an in-memory wire, driven in one thread, optionally offering {@code session}. */
    private static SSLSocket handshake(MicrosslPeers.Contexts c, Session session) throws Exception {
        MemoryWire[] wire = MemoryWire.pair();
        SSLSocket client = session == null ? c.client.wrapSocket(wire[0], false, false, Fixtures.HOST)
                : wrapOffering(c.client, wire[0], session);
        SSLSocket server = c.server.wrapSocket(wire[1], true, false, null);
        for (int i = 0; i < 100; i++) {
            boolean cd = client.doHandshake();
            boolean sd = server.doHandshake();
            if (cd && sd) {
                return client;
            }
        }
        throw new IllegalStateException("handshake did not complete");
    }

    /** The public API's {@code setSession} + non-blocking wrap (the wrapSocket overload with a session blocks). */
    private static SSLSocket wrapOffering(SSLContext ctx, MemoryWire wire, Session session) throws Exception {
        synchronized (ctx) {
            ctx.setSession(session);
            try {
                return ctx.wrapSocket(wire, false, false, Fixtures.HOST);
            } finally {
                ctx.setSession(null);
            }
        }
    }

    private static final class Resumer {
        final MicrosslPeers.Contexts contexts;
        final boolean tls13;
        Session session;

        Resumer(Scenario scenario) throws Exception {
            contexts = new MicrosslPeers.Contexts(scenario, Scenario.AES_128_GCM, true, 0, null);
            tls13 = scenario.tls == 13;
            session = sessionAfter(handshake(contexts, null));
            if (session == null) throw new IllegalStateException("no session from the full handshake");
        }

        Session sessionAfter(SSLSocket client) throws Exception {
            if (tls13 && client.recv(1) != null) throw new IllegalStateException("unexpected application data");
            return client.session();
        }

        void resume() throws Exception {
            SSLSocket client = handshake(contexts, session);
            if (!client.sessionReused()) throw new IllegalStateException("not resumed: " + client.sessionNotReusedReason());
            if (tls13) {
                session = sessionAfter(client); // the new ticket: the old one was for one use
                if (session == null) throw new IllegalStateException("no new TLS 1.3 ticket");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final MicrosslPeers.Contexts full13 = new MicrosslPeers.Contexts(Scenario.t13_ecdsa_chain,
                Scenario.AES_128_GCM, true, 0, null);
        final MicrosslPeers.Contexts full12 = new MicrosslPeers.Contexts(Scenario.t12_ecdsa,
                Scenario.AES_128_GCM, true, 0, null);
        final Resumer r13 = new Resumer(Scenario.t13_ecdsa_chain);
        final Resumer r12 = new Resumer(Scenario.t12_ecdsa);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("full13 (t13_ecdsa_verify)", () -> handshake(full13, null)));
        cases.add(new Case("resume13 (t13_ecdsa_resume)", r13::resume));
        cases.add(new Case("full12 (t12_ecdsa_verify)", () -> handshake(full12, null)));
        cases.add(new Case("resume12 (t12_ecdsa_resume)", r12::resume));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (Case c : cases) {
            long end = System.nanoTime() + (long) (seconds * 0.5e9);
            while (System.nanoTime() < end) c.op.run();
        }
        for (int r = 0; r < repeats; r++) {
            for (Case c : cases) {
                long ops = 0;
                long cpu0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long end = t0 + (long) (seconds * 1e9);
                long now;
                do {
                    c.op.run();
                    ops++;
                    now = System.nanoTime();
                } while (now < end);
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                c.wall.add(ops / ((now - t0) / 1e9));
                c.cpu.add(ops / (cpu / 1e9));
            }
        }
        System.out.printf("%-30s %14s %14s %12s%n", "case", "wall hs/s", "cpu hs/s", "cpu ms/hs");
        for (Case c : cases) {
            double cpu = median(c.cpu);
            System.out.printf("%-30s %14.1f %14.1f %12.3f%n", c.name, median(c.wall), cpu, 1000 / cpu);
        }
        System.out.println("clock: System.nanoTime (wall), ThreadMXBean.getCurrentThreadCpuTime (cpu); "
                + repeats + " round-robin repeats of " + seconds + " s per case; medians");
    }

    private static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
