package org.microssl.desktop.gateway;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread of the {@link Gateway}: its connections' handshakes, reads, writes and deadlines. Nothing
 * here blocks: a silent or dribbling client costs a selector key and a deadline check, never a thread.
 */
final class Worker implements Runnable {
    /** How a connection ended, for {@link Gateway.Stats}. */
    enum Outcome { CLOSED_BY_CLIENT, TRUNCATED, CLOSED_BY_HANDLER, HANDSHAKE_TIMEOUT, IDLE_TIMEOUT, FAILED }

    private final Gateway gateway;
    private final Gateway.Config config;
    private final TlsSession.Factory sessions;
    private final Selector selector;
    private final Queue<SocketChannel> arrivals = new ConcurrentLinkedQueue<>();
    /** Connections whose last turn ended with reads left to do (decrypted data may be waiting in their session). */
    private List<GatewayConnection> again = new ArrayList<>();
    private List<GatewayConnection> spare = new ArrayList<>();
    /** Decrypted bytes go here, one connection at a time: no connection owns a plaintext buffer. */
    private final byte[] scratch = new byte[1 << 14];
    private final long sweepNanos;
    private volatile boolean stopping;

    Worker(Gateway gateway, Gateway.Config config, TlsSession.Factory sessions) throws IOException {
        this.gateway = gateway;
        this.config = config;
        this.sessions = sessions;
        this.selector = Selector.open();
        long shortest = Math.min(config.handshakeTimeoutMillis, config.idleTimeoutMillis);
        this.sweepNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(20, Math.min(1000, shortest / 10)));
    }

    /** Hands an accepted channel to this thread. */
    void add(SocketChannel channel) {
        arrivals.add(channel);
        selector.wakeup();
    }

    void again(GatewayConnection c) {
        again.add(c);
    }

    void handshakeCompleted() {
        gateway.handshakes.increment();
    }

    void ended(Outcome outcome, Exception cause, GatewayConnection c) {
        gateway.ended(outcome, cause, c);
    }

    void stop() {
        stopping = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        long nextSweep = System.nanoTime() + sweepNanos;
        try {
            while (!stopping) {
                register();
                if (again.isEmpty()) {
                    long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSweep - System.nanoTime()));
                    selector.select(waitMillis);
                } else {
                    selector.selectNow();
                }
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (key.isValid()) ((GatewayConnection) key.attachment()).ready(scratch);
                }
                if (!again.isEmpty()) {
                    List<GatewayConnection> turn = again;
                    again = spare;
                    for (GatewayConnection c : turn) c.ready(scratch);
                    turn.clear();
                    spare = turn;
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    for (SelectionKey key : selector.keys()) {
                        if (key.isValid()) ((GatewayConnection) key.attachment()).checkDeadline(now);
                    }
                    nextSweep = now + sweepNanos;
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            gateway.log("selector failed: " + e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                if (key.isValid()) ((GatewayConnection) key.attachment()).shutdown();
            }
            SocketChannel c;
            while ((c = arrivals.poll()) != null) gateway.refuse(c, null, true);
            try {
                selector.close();
            } catch (IOException e) {
                // stopping anyway
            }
        }
    }

    private void register() {
        SocketChannel channel;
        while ((channel = arrivals.poll()) != null) {
            try {
                channel.configureBlocking(false);
                TlsSession tls = sessions.open(channel);
                GatewayConnection c = new GatewayConnection(this, channel, tls, config);
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
            } catch (IOException | RuntimeException e) {
                gateway.refuse(channel, "cannot start a session: " + e, true);
            }
        }
    }
}
