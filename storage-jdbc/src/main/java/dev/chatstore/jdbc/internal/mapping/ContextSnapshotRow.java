package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code context_snapshots}; {@code sk} orders snapshots captured at the same instant. */
@Entity
@Table(name = "context_snapshots")
public class ContextSnapshotRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "sk")
    public Long sk;
    @Column(name = "session_sk", nullable = false)
    public long sessionSk;
    @Column(name = "captured_at", nullable = false)
    public long capturedAt;
    @Column(name = "data", nullable = false)
    public String data;
}
