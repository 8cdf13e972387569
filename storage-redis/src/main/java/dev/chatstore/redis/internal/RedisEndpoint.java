package dev.chatstore.redis.internal;

import dev.chatstore.api.StorageBackends;
import dev.chatstore.api.error.StorageConfigurationException;
import redis.clients.jedis.HostAndPort;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed storage URL: {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://...} (TLS) or
 * {@code redis-cluster://[[user]:password@]host1:port1,host2:port2,...} ({@code rediss-cluster://} with TLS;
 * the nodes are seeds, the client discovers the rest).
 *
 * @param cluster  whether the URL names a Redis Cluster
 * @param tls      whether to connect with TLS
 * @param nodes    the server, or the cluster's seed nodes
 * @param user     the ACL user, if given
 * @param password the password, if given
 * @param database the database index (standalone only)
 */
public record RedisEndpoint(boolean cluster, boolean tls, List<HostAndPort> nodes, Optional<String> user,
                            Optional<String> password, int database) {

    public static final int DEFAULT_PORT = 6379;

    /** Whether the URL has one of the schemes this backend serves. */
    public static boolean supports(String url) {
        return scheme(url).isPresent();
    }

    public static RedisEndpoint parse(String url) {
        String scheme = scheme(url).orElseThrow(() -> invalid(url, "expected redis://, rediss://, redis-cluster:// "
                + "or rediss-cluster://"));
        boolean cluster = scheme.endsWith("-cluster");
        boolean tls = scheme.startsWith("rediss");
        String rest = url.substring(scheme.length() + 3);
        int query = rest.indexOf('?');
        if (query >= 0) {
            throw invalid(url, "query parameters are not accepted; use backend.* options");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            String u = decode(colon >= 0 ? info.substring(0, colon) : info);
            user = u.isEmpty() ? Optional.empty() : Optional.of(u);
            if (colon >= 0) {
                password = Optional.of(decode(info.substring(colon + 1)));
            } else if (user.isPresent()) {
                password = user; // redis://secret@host means a password, as redis-cli reads it
                user = Optional.empty();
            }
        }
        int database = 0;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String db = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (!db.isEmpty()) {
                if (cluster) {
                    throw invalid(url, "a Redis Cluster has only database 0");
                }
                try {
                    database = Integer.parseInt(db);
                } catch (NumberFormatException e) {
                    throw invalid(url, "the database must be a number, not '" + db + "'");
                }
                if (database < 0) {
                    throw invalid(url, "the database must not be negative");
                }
            }
        }
        List<HostAndPort> nodes = new ArrayList<>();
        for (String hostPort : rest.split(",")) {
            nodes.add(hostAndPort(url, hostPort.strip()));
        }
        if (!cluster && nodes.size() != 1) {
            throw invalid(url, "a standalone URL names one server; use redis-cluster:// for several nodes");
        }
        return new RedisEndpoint(cluster, tls, List.copyOf(nodes), user, password, database);
    }

    /** The URL without credentials, for messages and logs. */
    public String redacted() {
        StringBuilder sb = new StringBuilder(tls ? "rediss" : "redis").append(cluster ? "-cluster://" : "://");
        if (user.isPresent() || password.isPresent()) {
            sb.append(user.orElse("")).append(password.isPresent() ? ":****" : "").append('@');
        }
        for (int i = 0; i < nodes.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(nodes.get(i).getHost()).append(':').append(nodes.get(i).getPort());
        }
        if (database != 0) {
            sb.append('/').append(database);
        }
        return sb.toString();
    }

    private static Optional<String> scheme(String url) {
        for (String s : List.of("redis-cluster", "rediss-cluster", "redis", "rediss")) {
            if (url.startsWith(s + "://")) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static HostAndPort hostAndPort(String url, String text) {
        if (text.isEmpty()) {
            throw invalid(url, "a host is missing");
        }
        String host = text;
        int port = DEFAULT_PORT;
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && !text.endsWith("]")) {
            host = text.substring(0, colon);
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw invalid(url, "'" + text.substring(colon + 1) + "' is not a port");
            }
            if (port < 1 || port > 65535) {
                throw invalid(url, "port " + port + " is out of range");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw invalid(url, "a host is missing");
        }
        return new HostAndPort(host, port);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static StorageConfigurationException invalid(String url, String problem) {
        return new StorageConfigurationException("invalid Redis URL " + StorageBackends.redact(url) + ": " + problem);
    }
}
