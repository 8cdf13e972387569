package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code users}. Timestamps are epoch milliseconds; {@code profile} is JSON text. */
@Entity
@Table(name = "users")
public class UserRow {
    @Id
    @Column(name = "id", length = 128)
    public String id;
    @Column(name = "display_name", nullable = false)
    public String displayName;
    @Column(name = "profile", nullable = false)
    public String profile;
    @Column(name = "created_at", nullable = false)
    public long createdAt;
    @Column(name = "updated_at", nullable = false)
    public long updatedAt;
    @Column(name = "version", nullable = false)
    public long version;
}
