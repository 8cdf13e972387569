package dev.chatstore.api.spi;

import java.util.Objects;

/**
 * Names one message log: a user's session or a panel. Sessions and panels keep their messages in the same kind of
 * log (seqs 1, 2, 3, ... with no gap and no duplicate, IDs unique within the log), so one port serves both.
 */
public sealed interface LogRef permits LogRef.SessionLog, LogRef.PanelLog {

    /** The ID stored in each message's {@code sessionId} field: the session ID or the panel ID. */
    String logId();

    static SessionLog session(String userId, String sessionId) {
        return new SessionLog(userId, sessionId);
    }

    static PanelLog panel(String panelId) {
        return new PanelLog(panelId);
    }

    /** The log of one user's session. */
    record SessionLog(String userId, String sessionId) implements LogRef {
        public SessionLog {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(sessionId, "sessionId");
        }

        @Override
        public String logId() {
            return sessionId;
        }

        @Override
        public String toString() {
            return "session " + userId + "/" + sessionId;
        }
    }

    /** The log of a panel. */
    record PanelLog(String panelId) implements LogRef {
        public PanelLog {
            Objects.requireNonNull(panelId, "panelId");
        }

        @Override
        public String logId() {
            return panelId;
        }

        @Override
        public String toString() {
            return "panel " + panelId;
        }
    }
}
