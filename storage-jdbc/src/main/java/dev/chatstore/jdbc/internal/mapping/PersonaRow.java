package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/** A row of {@code personas}; {@code scopeUserId} is {@code ""} for the global scope. */
@Entity
@Table(name = "personas")
@IdClass(PersonaRow.Key.class)
public class PersonaRow {
    @Id
    @Column(name = "scope_user_id", length = 128)
    public String scopeUserId;
    @Id
    @Column(name = "id", length = 128)
    public String id;
    @Column(name = "data", nullable = false)
    public String data;
    @Column(name = "created_at", nullable = false)
    public long createdAt;
    @Column(name = "updated_at", nullable = false)
    public long updatedAt;
    @Column(name = "version", nullable = false)
    public long version;

    /** The primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String scopeUserId;
        public String id;

        public Key() {
        }

        public Key(String scopeUserId, String id) {
            this.scopeUserId = scopeUserId;
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(scopeUserId, k.scopeUserId) && Objects.equals(id, k.id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(scopeUserId, id);
        }
    }
}
