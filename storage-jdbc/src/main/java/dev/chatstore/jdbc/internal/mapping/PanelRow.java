package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code panels}; {@code personas} is a JSON array, {@code messageCount} the last seq. */
@Entity
@Table(name = "panels")
public class PanelRow {
    @Id
    @Column(name = "id", length = 128)
    public String id;
    @Column(name = "type", nullable = false)
    public String type;
    @Column(name = "personas", nullable = false)
    public String personas;
    @Column(name = "config", nullable = false)
    public String config;
    @Column(name = "created_at", nullable = false)
    public long createdAt;
    @Column(name = "updated_at", nullable = false)
    public long updatedAt;
    @Column(name = "message_count", nullable = false)
    public long messageCount;
}
