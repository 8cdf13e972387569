package dev.chatstore.mongo;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MongoDBContainer;

import java.util.Optional;

/**
 * Real MongoDB servers for the kit, when this machine can have one: {@code CHATSTORE_TEST_MONGO_URL} (any server,
 * used for both classes), or else, where Docker is available, a {@code mongo:7.0} container started once per JVM
 * (standalone, and a single-node replica set). Empty when neither is there, which is the case on this project's
 * machines and in its CI (no mongod package, no Docker engine).
 */
final class RealMongoServers {

    static final String URL_VARIABLE = "CHATSTORE_TEST_MONGO_URL";
    private static final String IMAGE = "mongo:7.0";

    private static Optional<String> standalone;
    private static Optional<String> replicaSet;

    private RealMongoServers() {
    }

    /** Why there is no real server, for skip reasons. */
    static String whyNone() {
        return URL_VARIABLE + " is not set and Docker is not available"
                + ("true".equals(System.getenv("CI")) ? " (CI machines have neither: the kit ran against the "
                + "in-process server only, in MongoTckTest)" : "")
                + "; set " + URL_VARIABLE + " to a real server's URL, e.g. mongodb://localhost:27017, to run it";
    }

    private static Optional<String> fromEnvironment() {
        String url = System.getenv(URL_VARIABLE);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(url.strip());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /** A standalone server's URL (without a database). */
    static synchronized Optional<String> standalone() {
        if (standalone == null) {
            standalone = fromEnvironment();
            if (standalone.isEmpty() && dockerAvailable()) {
                @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
                GenericContainer<?> mongo = new GenericContainer<>(IMAGE).withExposedPorts(27017);
                mongo.start();
                standalone = Optional.of("mongodb://" + mongo.getHost() + ":" + mongo.getMappedPort(27017));
            }
        }
        return standalone;
    }

    /** A replica set's URL (without a database); the environment's URL serves whatever it points at. */
    static synchronized Optional<String> replicaSet() {
        if (replicaSet == null) {
            replicaSet = fromEnvironment();
            if (replicaSet.isEmpty() && dockerAvailable()) {
                @SuppressWarnings("resource")
                MongoDBContainer mongo = new MongoDBContainer(IMAGE);
                mongo.start();
                String url = mongo.getReplicaSetUrl(); // mongodb://host:port/test
                replicaSet = Optional.of(url.substring(0, url.lastIndexOf('/')) + "/?directConnection=true");
            }
        }
        return replicaSet;
    }
}
