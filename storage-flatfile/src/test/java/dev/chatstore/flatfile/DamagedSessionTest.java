package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15: a damaged {@code session.json} is an error on every read that needs it, not only the first; the
 * session index must not remember "this session does not exist". The issue's repro slept 2.5 s so that the
 * user's {@code sessions/} directory was older than {@code SessionIndex.RACY_MILLIS} (2 s), after which the
 * index trusts its remembered directory listing; here the directory's mtime is set back instead.
 */
class DamagedSessionTest {

    @TempDir
    Path tmp;

    private static ChatStore open(Path dir, String verifyOnOpen) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url("file:" + dir)
                .backendOption("verify-on-open", verifyOnOpen).build())
                .provider(new FlatfileBackendProvider()).open();
    }

    private static void ageSessionsDir(Path dir) throws IOException {
        Files.setLastModifiedTime(dir.resolve("users/u/sessions"),
                FileTime.from(Instant.now().minusSeconds(10)));
    }

    private static void assertNames(Throwable e, Path file) {
        assertThat(e).isInstanceOf(StorageCorruptionException.class);
        assertThat(((StorageCorruptionException) e).location()).contains(file.toString());
    }

    @Test
    void issueReproEveryListSearchUsageAndExportRaisesNotOnlyTheFirst() throws IOException {
        Path dir = tmp.resolve("store");
        Path sj = dir.resolve("users/u/sessions/s/session.json");
        try (ChatStore st = open(dir, "tail")) {
            st.users().create("u");
            st.sessions().create("u", NewSession.titled("hello").withId("s"));
            st.messages().append("u", "s", NewMessage.user("alpha bravo"));
            ageSessionsDir(dir);
            Files.writeString(sj, Files.readString(sj).replaceFirst(":", "#"));
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThatThrownBy(() -> st.sessions().list("u")).satisfies(e -> assertNames(e, sj));
            }
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThatThrownBy(() -> st.messages().search("u", "alpha bravo")).satisfies(e -> assertNames(e, sj));
                assertThatThrownBy(() -> st.exportTo(new ByteArrayOutputStream())).satisfies(e -> assertNames(e, sj));
                assertThatThrownBy(() -> st.usage().forUser("u")).satisfies(e -> assertNames(e, sj));
                assertThatThrownBy(() -> st.sessions().list("u")).satisfies(e -> assertNames(e, sj));
                assertThat(st.sessions().count("u")).isEqualTo(1);
            }
        }
        for (String mode : new String[] {"none", "tail", "full"}) {
            ChatStore opened;
            try {
                opened = open(dir, mode);
            } catch (StorageCorruptionException e) {
                assertNames(e, sj); // a verifying open may refuse the store, naming the file
                continue;
            }
            try (ChatStore st = opened) {
                ageSessionsDir(dir);
                for (int attempt = 0; attempt < 3; attempt++) {
                    assertThatThrownBy(() -> st.sessions().list("u")).satisfies(e -> assertNames(e, sj));
                    assertThatThrownBy(() -> st.messages().search("u", "alpha bravo"))
                            .satisfies(e -> assertNames(e, sj));
                    assertThatThrownBy(() -> st.exportTo(new ByteArrayOutputStream()))
                            .satisfies(e -> assertNames(e, sj));
                }
            }
        }
    }
}
