package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/** A row of {@code panel_insights}. */
@Entity
@Table(name = "panel_insights")
@IdClass(InsightRow.Key.class)
public class InsightRow {
    @Id
    @Column(name = "panel_id", length = 128)
    public String panelId;
    @Id
    @Column(name = "id", length = 128)
    public String id;
    @Column(name = "created_at", nullable = false)
    public long createdAt;
    @Column(name = "content", nullable = false)
    public String content;

    /** The primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String panelId;
        public String id;

        public Key() {
        }

        public Key(String panelId, String id) {
            this.panelId = panelId;
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(panelId, k.panelId) && Objects.equals(id, k.id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(panelId, id);
        }
    }
}
