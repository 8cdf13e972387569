package dev.chatstore.tck;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.spi.LogRef;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: Restore, the primitive that import, backfill and repair stand on. Through {@code ChatStore.transfer()}
 * (the core's rules) and through the port itself ({@code MessageLogs.restore}, what an adapter must do).
 */
public abstract class RestoreContract extends TckSupport {

    private static final Instant T = Instant.parse("2031-05-06T07:08:09.010Z");

    private static Message message(String logId, long seq, String id, String content) {
        return new Message(id, logId, seq, seq % 2 == 1 ? Message.ROLE_USER : Message.ROLE_ASSISTANT, content,
                T.plusSeconds(seq), List.of(), JsonObject.empty(), seq % 2 == 0
                ? Optional.of(Usage.of(10, 20, "0.002")) : Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static List<Message> range(String logId, long from, long to, String prefix) {
        List<Message> out = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            out.add(message(logId, seq, prefix + seq, "restored text " + seq));
        }
        return out;
    }

    @Test
    @DisplayName("Restore writes messages exactly, and the session's counters follow the log")
    void restoreIntoEmptySession() {
        Session s = userWithSession("alice");
        List<Message> given = range(s.id(), 1, 5, "m");

        store.transfer().restoreMessages("alice", s.id(), given);

        assertThat(store.messages().after("alice", s.id(), 0, 100)).isEqualTo(given);
        Session after = store.sessions().get("alice", s.id()).orElseThrow();
        assertThat(after.messageCount()).isEqualTo(5);
        assertThat(after.lastMessageAt()).contains(given.get(4).createdAt());
        assertThat(store.messages().append("alice", s.id(), NewMessage.user("next")).seq())
                .as("an append after a restore continues the log").isEqualTo(6);
    }

    @Test
    @DisplayName("Re-restoring the same records changes nothing (idempotent)")
    void restoreIsIdempotent() {
        Session s = userWithSession("alice");
        List<Message> given = range(s.id(), 1, 4, "m");
        store.transfer().restoreMessages("alice", s.id(), given);
        String before = exportBody(store);

        store.transfer().restoreMessages("alice", s.id(), given);
        store.transfer().restoreMessages("alice", s.id(), given.subList(1, 3));

        assertThat(exportBody(store)).isEqualTo(before);
    }

    @Test
    @DisplayName("A restored message at an occupied seq with the same ID replaces it (repair)")
    void restoreReplacesSameId() {
        Session s = userWithSession("alice");
        store.transfer().restoreMessages("alice", s.id(), range(s.id(), 1, 3, "m"));
        Message fixed = message(s.id(), 2, "m2", "repaired text");

        store.transfer().restoreMessages("alice", s.id(), List.of(fixed));

        assertThat(store.messages().get("alice", s.id(), 2)).contains(fixed);
        assertThat(store.messages().count("alice", s.id())).isEqualTo(3);
    }

    @Test
    @DisplayName("A restore that would leave a gap is a ValidationException and writes nothing")
    void restoreRefusesGap() {
        Session s = userWithSession("alice");
        store.transfer().restoreMessages("alice", s.id(), range(s.id(), 1, 2, "m"));

        assertThatThrownBy(() -> store.transfer().restoreMessages("alice", s.id(), range(s.id(), 4, 5, "m")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("gap");
        assertThatThrownBy(() -> store.transfer().restoreMessages("alice", s.id(),
                List.of(message(s.id(), 3, "m3", "x"), message(s.id(), 5, "m5", "y"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("consecutive");
        assertThat(store.messages().count("alice", s.id())).isEqualTo(2);
        assertThat(store.messages().after("alice", s.id(), 0, 10)).hasSize(2);
    }

    @Test
    @DisplayName("A restore never moves an ID: another ID at an occupied seq, or a known ID at a new seq, is a DuplicateKeyException and writes nothing")
    void restoreRefusesIdCollisions() {
        Session s = userWithSession("alice");
        List<Message> original = range(s.id(), 1, 3, "m");
        store.transfer().restoreMessages("alice", s.id(), original);

        assertThatThrownBy(() -> store.transfer().restoreMessages("alice", s.id(),
                List.of(message(s.id(), 2, "other", "x"))))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.transfer().restoreMessages("alice", s.id(),
                List.of(message(s.id(), 4, "new-4", "x"), message(s.id(), 5, "m1", "moved"))))
                .isInstanceOf(DuplicateKeyException.class);

        assertThat(store.messages().after("alice", s.id(), 0, 10)).isEqualTo(original);
        assertThat(store.messages().count("alice", s.id())).isEqualTo(3);
    }

    @Test
    @DisplayName("SPI: MessageLogs.restore itself refuses an ID used at another seq, writing nothing of the batch")
    void portRestoreRefusesIdAtAnotherSeq() {
        Session s = userWithSession("alice");
        LogRef log = LogRef.session("alice", s.id());
        backend().logs().restore(log, range(s.id(), 1, 2, "m"));

        assertThatThrownBy(() -> backend().logs().restore(log,
                List.of(message(s.id(), 3, "m3", "fine"), message(s.id(), 4, "m1", "moved"))))
                .isInstanceOf(DuplicateKeyException.class);

        assertThat(backend().logs().after(log, 0, 10)).extracting(Message::id).containsExactly("m1", "m2");
        assertThat(backend().logs().findById(log, "m3")).isEmpty();
        assertThat(backend().sessions().find("alice", s.id()).orElseThrow().messageCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("SPI: MessageLogs.restore sets messageCount and lastMessageAt from the log; sessions.restore keeps them")
    void portRestoreCounters() {
        Session s = userWithSession("alice");
        LogRef log = LogRef.session("alice", s.id());
        List<Message> given = range(s.id(), 1, 3, "m");
        backend().logs().restore(log, given);

        Session stored = backend().sessions().find("alice", s.id()).orElseThrow();
        assertThat(stored.messageCount()).isEqualTo(3);
        assertThat(stored.lastMessageAt()).contains(given.get(2).createdAt());

        Session claimsMore = new Session(stored.id(), stored.userId(), "renamed", stored.model(), stored.provider(),
                stored.archived(), stored.metadata(), 200_000, Optional.of(T.plusSeconds(999_999)),
                stored.createdAt(), stored.updatedAt(), stored.version());
        backend().sessions().restore(claimsMore);

        Session after = backend().sessions().find("alice", s.id()).orElseThrow();
        assertThat(after.title()).isEqualTo("renamed");
        assertThat(after.messageCount()).as("a session's counters never claim what its log does not hold").isEqualTo(3);
        assertThat(after.lastMessageAt()).contains(given.get(2).createdAt());
    }

    @Test
    @DisplayName("SPI: a session restored before its messages starts with empty counters")
    void portRestoreNewSessionHasEmptyCounters() {
        user("alice");
        Session claims = new Session("restored", "alice", "t", Optional.empty(), Optional.empty(), false,
                JsonObject.empty(), 42, Optional.of(T), T, T, 3);
        store.transfer().restoreSession(claims);

        Session stored = store.sessions().get("alice", "restored").orElseThrow();
        assertThat(stored.messageCount()).isZero();
        assertThat(stored.lastMessageAt()).isEmpty();
        assertThat(stored.version()).isEqualTo(3);
        assertThat(store.messages().count("alice", "restored")).isZero();
    }

    @Test
    @DisplayName("Panel logs restore under the same rules")
    void panelRestore() {
        Panel p = store.panels().create(NewPanel.of("debate", List.of()));
        List<Message> given = range(p.id(), 1, 3, "pm");

        store.transfer().restorePanelMessages(p.id(), given);
        store.transfer().restorePanelMessages(p.id(), given);

        assertThat(store.panels().messages(p.id(), 0, 10)).isEqualTo(given);
        assertThatThrownBy(() -> store.transfer().restorePanelMessages(p.id(), range(p.id(), 5, 5, "pm")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.transfer().restorePanelMessages(p.id(),
                List.of(message(p.id(), 2, "intruder", "x"))))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    @DisplayName("Restore into a missing session is a NotFoundException; a message naming another log is a ValidationException")
    void restoreChecksItsTarget() {
        user("alice");
        assertThatThrownBy(() -> store.transfer().restoreMessages("alice", "nope", range("nope", 1, 1, "m")))
                .isInstanceOf(NotFoundException.class);
        Session s = userWithSession("bob");
        assertThatThrownBy(() -> store.transfer().restoreMessages("bob", s.id(), range("elsewhere", 1, 1, "m")))
                .isInstanceOf(ValidationException.class);
        assertThat(store.messages().count("bob", s.id())).isZero();
    }
}
