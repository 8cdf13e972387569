package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The append path trusts a log it knows while the file at the log's path is unchanged, without looking at
 * {@code session.json}: two store instances on one directory (each acts like its own process) must still see
 * deletions, re-creations, appends and hand-made changes of the other.
 */
class AppendPathTest {

    @TempDir
    Path tmp;

    private ChatStore open() {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + tmp.resolve("data"))
                .durability(Durability.SYNC).build()).provider(new FlatfileBackendProvider()).open();
    }

    @Test
    void aSessionDeletedByAnotherInstanceIsNotFoundOnTheNextAppend() {
        try (ChatStore a = open(); ChatStore b = open()) {
            a.users().create("u");
            a.sessions().create("u", NewSession.titled("t").withId("s"));
            a.messages().append("u", "s", NewMessage.user("one"));
            a.messages().append("u", "s", NewMessage.user("two"));
            assertThat(b.sessions().delete("u", "s")).isTrue();
            assertThatThrownBy(() -> a.messages().append("u", "s", NewMessage.user("three")))
                    .isInstanceOf(NotFoundException.class);
            // and re-created: the next append goes to the new session's log, from seq 1
            b.sessions().create("u", NewSession.titled("again").withId("s"));
            Message m = a.messages().append("u", "s", NewMessage.user("fresh"));
            assertThat(m.seq()).isEqualTo(1);
            assertThat(b.messages().page("u", "s")).extracting(Message::content).containsExactly("fresh");
        }
    }

    @Test
    void aSessionDeletedAndRecreatedBetweenTwoAppendsGetsOnlyTheLaterOne() {
        try (ChatStore a = open(); ChatStore b = open()) {
            a.users().create("u");
            a.sessions().create("u", NewSession.titled("t").withId("s"));
            a.messages().append("u", "s", NewMessage.user("old"));
            b.sessions().delete("u", "s");
            b.sessions().create("u", NewSession.titled("new").withId("s"));
            b.messages().append("u", "s", NewMessage.user("b1"));
            Message m = a.messages().append("u", "s", NewMessage.user("a1"));
            assertThat(m.seq()).isEqualTo(2);
            assertThat(b.messages().page("u", "s")).extracting(Message::content).containsExactly("b1", "a1");
            assertThat(b.sessions().get("u", "s").orElseThrow().messageCount()).isEqualTo(2);
        }
    }

    @Test
    void aUserDeletedByAnotherInstanceIsNotFoundOnTheNextAppend() {
        try (ChatStore a = open(); ChatStore b = open()) {
            a.users().create("u");
            a.sessions().create("u", NewSession.titled("t").withId("s"));
            a.messages().append("u", "s", NewMessage.user("one"));
            assertThat(b.users().delete("u")).isTrue();
            assertThatThrownBy(() -> a.messages().append("u", "s", NewMessage.user("two")))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void appendsOfTwoInstancesInterleaveWithContiguousSeqs() {
        try (ChatStore a = open(); ChatStore b = open()) {
            a.users().create("u");
            a.sessions().create("u", NewSession.titled("t").withId("s"));
            for (int i = 0; i < 50; i++) {
                ChatStore w = i % 3 == 0 ? b : a;
                assertThat(w.messages().append("u", "s", NewMessage.user("m" + i)).seq()).isEqualTo(i + 1);
            }
            assertThat(a.sessions().get("u", "s").orElseThrow().messageCount()).isEqualTo(50);
            assertThat(b.messages().last("u", "s", 50)).extracting(Message::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
        }
    }

    @Test
    void aTornTailLeftByAnotherWriterIsCutBeforeTheNextAppend() throws Exception {
        try (ChatStore a = open()) {
            a.users().create("u");
            a.sessions().create("u", NewSession.titled("t").withId("s"));
            a.messages().append("u", "s", NewMessage.user("one"));
            Path log = tmp.resolve("data/users/u/sessions/s/messages.jsonl");
            Files.write(log, "{\"seq\":2,\"id\":\"x\",\"sess".getBytes(), java.nio.file.StandardOpenOption.APPEND);
            Message m = a.messages().append("u", "s", NewMessage.user("two"));
            assertThat(m.seq()).isEqualTo(2);
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).hasSize(2);
            assertThat(lines.get(1)).contains("\"content\":\"two\"");
        }
    }
}
