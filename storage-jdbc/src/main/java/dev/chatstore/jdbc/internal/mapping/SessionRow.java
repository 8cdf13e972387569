package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code sessions}; {@code sk} is the surrogate key messages, documents and contexts refer to. */
@Entity
@Table(name = "sessions")
public class SessionRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "sk")
    public Long sk;
    @Column(name = "user_id", nullable = false, length = 128)
    public String userId;
    @Column(name = "id", nullable = false, length = 128)
    public String id;
    @Column(name = "title", nullable = false)
    public String title;
    @Column(name = "model")
    public String model;
    @Column(name = "provider")
    public String provider;
    @Column(name = "archived", nullable = false)
    public boolean archived;
    @Column(name = "metadata", nullable = false)
    public String metadata;
    @Column(name = "message_count", nullable = false)
    public long messageCount;
    @Column(name = "last_message_at")
    public Long lastMessageAt;
    @Column(name = "created_at", nullable = false)
    public long createdAt;
    @Column(name = "updated_at", nullable = false)
    public long updatedAt;
    @Column(name = "version", nullable = false)
    public long version;
}
