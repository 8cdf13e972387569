package dev.chatstore.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;

/**
 * One in-process wire-protocol server ({@code mongo-java-server}, memory backend) per test JVM, on a free loopback
 * port; the real driver talks to it over a socket. It is not a production server: see the module README for what it
 * cannot do (no transactions, non-unique indexes ignored, ...). Stopped when the JVM exits.
 */
final class InProcessMongo {

    private static MongoServer server;
    private static String address;

    private InProcessMongo() {
    }

    /** {@code host:port} of the shared server, starting it on first use. */
    static synchronized String address() {
        if (server == null) {
            server = new MongoServer(new MemoryBackend());
            server.bind("127.0.0.1", 0);
            InetSocketAddress bound = server.getLocalAddress();
            address = bound.getHostString() + ":" + bound.getPort();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "in-process-mongo-shutdown"));
        }
        return address;
    }
}
