package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code documents}: a document's metadata; its bytes are in {@link DocumentChunkRow}s. */
@Entity
@Table(name = "documents")
public class DocumentRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "sk")
    public Long sk;
    @Column(name = "session_sk", nullable = false)
    public long sessionSk;
    @Column(name = "name", nullable = false)
    public String name;
    @Column(name = "mime_type", nullable = false)
    public String mimeType;
    @Column(name = "size", nullable = false)
    public long size;
    @Column(name = "sha256", nullable = false, length = 64)
    public String sha256;
    @Column(name = "uploaded_at", nullable = false)
    public long uploadedAt;
    @Column(name = "analysis", nullable = false)
    public String analysis;
    @Column(name = "metadata", nullable = false)
    public String metadata;
}
