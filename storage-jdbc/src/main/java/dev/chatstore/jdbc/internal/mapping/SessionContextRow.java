package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code session_contexts}: a session's current situational context as JSON text. */
@Entity
@Table(name = "session_contexts")
public class SessionContextRow {
    @Id
    @Column(name = "session_sk")
    public long sessionSk;
    @Column(name = "data", nullable = false)
    public String data;
}
