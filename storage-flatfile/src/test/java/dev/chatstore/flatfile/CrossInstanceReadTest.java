package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store instance that has read a log sees what another instance (another process: a backfill, a repair) wrote
 * to it since, on its next read: appends, restores, and a log deleted and written again.
 */
class CrossInstanceReadTest {

    @TempDir
    Path tmp;

    private ChatStore open() {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + tmp.resolve("data"))
                .durability(Durability.NONE).build()).provider(new FlatfileBackendProvider()).open();
    }

    @Test
    void aReaderSeesAnotherInstancesAppendsAndRestores() {
        try (ChatStore a = open(); ChatStore b = open()) {
            a.users().create("u");
            a.sessions().create("u", NewSession.titled("t").withId("s"));
            assertThat(a.messages().last("u", "s", 1)).isEmpty();
            b.messages().append("u", "s", NewMessage.user("one"));
            assertThat(a.messages().last("u", "s", 1)).extracting(Message::seq).containsExactly(1L);

            List<Message> more = new ArrayList<>();
            try (ChatStore source = open()) {
                // messages as a backfill restores them: with their seqs, written by yet another instance
                source.sessions().create("u", NewSession.titled("src").withId("src"));
                for (int i = 0; i < 5; i++) {
                    source.messages().append("u", "src", NewMessage.user("m" + i));
                }
                more.addAll(source.messages().page("u", "src"));
            }
            Session s = b.sessions().get("u", "s").orElseThrow();
            List<Message> restored = new ArrayList<>();
            for (Message m : more.subList(1, 5)) {
                restored.add(new Message(m.id(), "s", m.seq(), m.role(), m.content(), m.createdAt(), m.attachments(),
                        m.metadata(), m.usage(), m.model(), m.provider()));
            }
            b.transfer().restoreMessages("u", s.id(), restored);
            assertThat(a.messages().last("u", "s", 1)).extracting(Message::seq).containsExactly(5L);
        }
    }

    @Test
    void aReaderSeesALogDeletedAndWrittenAgain() {
        try (ChatStore a = open(); ChatStore b = open()) {
            a.users().create("u");
            a.sessions().create("u", NewSession.titled("t").withId("s"));
            a.messages().append("u", "s", NewMessage.user("old"));
            assertThat(a.messages().last("u", "s", 1)).extracting(Message::content).containsExactly("old");
            b.sessions().delete("u", "s");
            b.sessions().create("u", NewSession.titled("t").withId("s"));
            b.messages().append("u", "s", NewMessage.user("new 1"));
            b.messages().append("u", "s", NewMessage.user("new 2"));
            assertThat(a.messages().last("u", "s", 1)).extracting(Message::content).containsExactly("new 2");
        }
    }
}
