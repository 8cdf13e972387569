package dev.chatstore.redis;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manual failover ({@code CLUSTER FAILOVER} sent to a replica) while a writer appends to sessions on every
 * primary: every acknowledged message is stored exactly once, at the seq it was acknowledged with, and each log is
 * still 1..n without gap. Failed appends (the client gives up during the switch) may be retried by the writer; the
 * script's duplicate-ID check is what keeps a retried, already-applied append from being stored twice. The roles
 * are switched back afterwards, so the cluster is left as it was found.
 */
class RedisClusterFailoverTest {

    private static final String URL = RedisTestServers.CLUSTER_URL;
    private final String prefix = RedisTestServers.newPrefix("fo");

    @AfterEach
    void cleanUp() {
        if (RedisTestServers.answers(URL)) {
            RedisTestServers.deleteKeys(URL, prefix + ":*");
        }
    }

    record Ack(String userId, String sessionId, long seq, String messageId) {
    }

    @Test
    void aManualFailoverLosesAndDuplicatesNoAcknowledgedMessage() throws Exception {
        RedisTestServers.requireCluster();
        int[] nodes = primaryAndReplicaOf(JedisClusterCRC16.getSlot(prefix + ":{u:user0}:user"));
        try (ChatStore store = RedisStores.open(URL, prefix, b -> b.backendOption("max-attempts", 10))) {
            List<Session> sessions = new ArrayList<>();
            for (int u = 0; u < 9; u++) {
                store.users().create("user" + u);
                sessions.add(store.sessions().create("user" + u, "failover"));
            }
            // nodes[1], the replica of the primary serving user0's keys, is promoted mid-run.

            Map<String, List<Ack>> acks = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong failures = new AtomicLong();
            Thread writer = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    Session s = sessions.get(i % sessions.size());
                    try {
                        Message m = store.messages().append(s.userId(), s.id(),
                                NewMessage.user("failover message " + i));
                        acks.computeIfAbsent(s.userId(), k -> new ArrayList<>())
                                .add(new Ack(s.userId(), s.id(), m.seq(), m.id()));
                    } catch (StorageException e) {
                        failures.incrementAndGet();
                        sleep(20);
                    }
                    i++;
                }
            });
            writer.start();
            sleep(700);
            long before = acks.values().stream().mapToLong(List::size).sum();
            try (Jedis replica = new Jedis("127.0.0.1", nodes[1])) {
                assertThat(replica.clusterFailover()).isEqualTo("OK");
            }
            waitForRole(nodes[1], "master");
            sleep(1500);
            stop.set(true);
            writer.join(30_000);
            long after = acks.values().stream().mapToLong(List::size).sum();
            assertThat(after).as("appends acknowledged after the failover").isGreaterThan(before + 10);

            for (Session s : sessions) {
                List<Message> log = new ArrayList<>();
                for (long seq = 0; ; ) {
                    List<Message> page = store.messages().after(s.userId(), s.id(), seq, 1000);
                    log.addAll(page);
                    if (page.size() < 1000) {
                        break;
                    }
                    seq = page.get(page.size() - 1).seq();
                }
                assertThat(log).extracting(Message::seq).containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toList());
                assertThat(log).extracting(Message::id).doesNotHaveDuplicates();
                for (Ack a : acks.getOrDefault(s.userId(), List.of())) {
                    assertThat(log.get((int) a.seq() - 1).id()).as("acknowledged " + a).isEqualTo(a.messageId());
                }
            }
        } finally {
            restoreRoles(nodes[0]);
        }
    }

    /** The ports of the primary serving the slot and of one of its replicas. */
    private static int[] primaryAndReplicaOf(int slot) {
        try (Jedis any = new Jedis("127.0.0.1", 7101)) {
            String primaryId = null;
            int primaryPort = -1;
            List<String[]> lines = new ArrayList<>();
            for (String line : any.clusterNodes().split("\n")) {
                lines.add(line.split(" "));
            }
            for (String[] f : lines) {
                if (!f[2].contains("master")) {
                    continue;
                }
                for (int i = 8; i < f.length; i++) {
                    String[] range = f[i].split("-");
                    int lo = Integer.parseInt(range[0]);
                    int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                    if (slot >= lo && slot <= hi) {
                        primaryId = f[0];
                        primaryPort = port(f[1]);
                    }
                }
            }
            for (String[] f : lines) {
                if (f[2].contains("slave") && f[3].equals(primaryId)) {
                    return new int[]{primaryPort, port(f[1])};
                }
            }
            throw new AssertionError("no replica serves slot " + slot + ": " + any.clusterNodes());
        }
    }

    /**
     * Makes the original primary a primary again (a second manual failover, retried while it is still syncing as
     * a replica), so the cluster is left as it was found. Best effort: the cluster serves either way.
     */
    private static void restoreRoles(int originalPrimary) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try (Jedis node = new Jedis("127.0.0.1", originalPrimary)) {
                if (node.info("replication").contains("role:master")) {
                    return;
                }
                node.clusterFailover();
            } catch (RuntimeException e) {
                // not ready for a manual failover yet (still syncing): try again
            }
            sleep(2000);
        }
        org.slf4j.LoggerFactory.getLogger(RedisClusterFailoverTest.class)
                .warn("node {} is still a replica after the failover test; the cluster serves anyway", originalPrimary);
    }

    private static int port(String address) {
        String hostPort = address.split("@")[0];
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static void waitForRole(int port, String role) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try (Jedis node = new Jedis("127.0.0.1", port)) {
                if (node.info("replication").contains("role:" + role)) {
                    return;
                }
            }
            sleep(100);
        }
        throw new AssertionError("node " + port + " did not become " + role);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
