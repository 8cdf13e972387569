package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/**
 * A row of {@code panel_messages}. Appends and reads of messages are native SQL (seq assignment, batching, search
 * words); this mapping lets Hibernate validate the table. {@code cost} is left unmapped because its type is
 * dialect-specific (NUMERIC on PostgreSQL, exact decimal TEXT on SQLite).
 */
@Entity
@Table(name = "panel_messages")
@IdClass(PanelMessageRow.Key.class)
public class PanelMessageRow {
    @Id
    @Column(name = "panel_id", length = 128)
    public String panelId;
    @Id
    @Column(name = "seq")
    public long seq;
    @Column(name = "id", nullable = false, length = 128)
    public String id;
    @Column(name = "role", nullable = false)
    public String role;
    @Column(name = "content", nullable = false)
    public String content;
    @Column(name = "created_at", nullable = false)
    public long createdAt;
    @Column(name = "attachments", nullable = false)
    public String attachments;
    @Column(name = "metadata", nullable = false)
    public String metadata;
    @Column(name = "input_tokens")
    public Long inputTokens;
    @Column(name = "output_tokens")
    public Long outputTokens;
    @Column(name = "currency", length = 16)
    public String currency;
    @Column(name = "model")
    public String model;
    @Column(name = "provider")
    public String provider;

    /** The primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String panelId;
        public long seq;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(panelId, k.panelId) && seq == k.seq;
        }

        @Override
        public int hashCode() {
            return Objects.hash(panelId, seq);
        }
    }
}
