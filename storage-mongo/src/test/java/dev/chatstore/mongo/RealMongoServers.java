package dev.chatstore.mongo;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MongoDBContainer;

import java.util.Optional;

/**
 * A real MongoDB server for the kit, when this machine can have one: {@code CHATSTORE_TEST_MONGO_URL} (any server:
 * standalone, replica set or mongos), or else, where Docker is available, a {@code mongo:7.0} single-node replica set
 * started once per JVM. Empty when neither is there, which is the case on this project's machines and in its CI (no
 * mongod package, no Docker engine).
 */
final class RealMongoServers {

    static final String URL_VARIABLE = "CHATSTORE_TEST_MONGO_URL";
    private static final String IMAGE = "mongo:7.0";

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

    /**
     * A real server's URL (without a database): the environment's, whatever it points at, or else a container's
     * single-node replica set, which runs the transaction protocol (the one path the in-process server cannot).
     */
    static synchronized Optional<String> server() {
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
