package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/** A row of {@code document_chunks}: at most 1 MiB of a document's bytes (written and read with JDBC streams). */
@Entity
@Table(name = "document_chunks")
@IdClass(DocumentChunkRow.Key.class)
public class DocumentChunkRow {
    @Id
    @Column(name = "document_sk")
    public long documentSk;
    @Id
    @Column(name = "chunk_no")
    public int chunkNo;

    /** The primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public long documentSk;
        public int chunkNo;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && documentSk == k.documentSk && chunkNo == k.chunkNo;
        }

        @Override
        public int hashCode() {
            return Objects.hash(documentSk, chunkNo);
        }
    }
}
