package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.User;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: Paging. Default page sizes come from configuration, an offset past the end gives an empty page, and
 * limits outside {@code 1 .. paging.max-limit} or negative offsets are rejected.
 */
public abstract class PagingContract extends TckSupport {

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    @Test
    @DisplayName("§4 Paging: the message page size defaults to paging.message-default-limit")
    void messageDefaultLimit() {
        ChatStore small = open(b -> b.set(Setting.MESSAGE_DEFAULT_LIMIT, 5));
        small.users().create("alice");
        Session s = small.sessions().create("alice", "t");
        for (int i = 1; i <= 12; i++) {
            small.messages().append("alice", s.id(), NewMessage.user("m" + i));
        }

        assertThat(seqs(small.messages().page("alice", s.id()))).isEqualTo(range(1, 5));
    }

    @Test
    @DisplayName("§4 Paging: with default settings a message page holds 100 messages")
    void messageDefaultLimitIsSeedDefault() {
        Session s = userWithSession("alice");
        appendMany(s, 105);

        assertThat(seqs(store.messages().page("alice", s.id()))).isEqualTo(range(1, 100));
    }

    @Test
    @DisplayName("§4 Paging: the session listing size defaults to paging.session-default-limit")
    void sessionDefaultLimit() {
        ChatStore small = open(b -> b.set(Setting.SESSION_DEFAULT_LIMIT, 3));
        small.users().create("alice");
        for (int i = 0; i < 7; i++) {
            small.sessions().create("alice", "s" + i);
        }

        assertThat(small.sessions().list("alice")).hasSize(3);
        assertThat(small.sessions().list("alice")).isEqualTo(small.sessions().list("alice", 0, 3));
        assertThat(small.sessions().list("alice", 0, 7)).hasSize(7);
    }

    @Test
    @DisplayName("§4 Paging: the user listing size defaults to paging.session-default-limit")
    void userDefaultLimit() {
        ChatStore small = open(b -> b.set(Setting.SESSION_DEFAULT_LIMIT, 2));
        for (String u : List.of("u1", "u2", "u3", "u4")) {
            small.users().create(u);
        }

        assertThat(small.users().list()).extracting(User::id).containsExactly("u1", "u2");
    }

    @Test
    @DisplayName("§4 Paging: the number of search results defaults to paging.search-default-limit")
    void searchDefaultLimit() {
        ChatStore small = open(b -> b.set(Setting.SEARCH_DEFAULT_LIMIT, 4));
        small.users().create("alice");
        Session s = small.sessions().create("alice", "t");
        for (int i = 1; i <= 10; i++) {
            small.messages().append("alice", s.id(), NewMessage.user("needle number " + i));
        }

        assertThat(small.messages().search("alice", "needle")).hasSize(4);
        assertThat(small.messages().search("alice", SearchQuery.of("needle").limit(9))).hasSize(9);
    }

    @Test
    @DisplayName("§4 Paging: with default settings a search returns at most 20 results")
    void searchDefaultLimitIsSeedDefault() {
        Session s = userWithSession("alice");
        for (int i = 1; i <= 25; i++) {
            store.messages().append("alice", s.id(), NewMessage.user("needle " + i));
        }

        assertThat(store.messages().search("alice", "needle")).hasSize(20);
    }

    @Test
    @DisplayName("§4 Paging: an offset past the end gives an empty page, not an error")
    void offsetPastEnd() {
        Session s = userWithSession("alice");
        appendMany(s, 3);

        assertThat(store.messages().page("alice", s.id(), 3, 10)).isEmpty();
        assertThat(store.messages().page("alice", s.id(), 1000, 10)).isEmpty();
        assertThat(store.messages().page("alice", s.id(), Integer.MAX_VALUE, 10)).isEmpty();
        assertThat(store.messages().after("alice", s.id(), 3, 10)).isEmpty();
        assertThat(store.messages().after("alice", s.id(), Long.MAX_VALUE, 10)).isEmpty();
        assertThat(store.sessions().list("alice", 1, 10)).isEmpty();
        assertThat(store.sessions().list("alice", Integer.MAX_VALUE, 10)).isEmpty();
        assertThat(store.users().list(1, 10)).isEmpty();
        assertThat(store.users().list(Integer.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    @DisplayName("§4 Paging: an empty session gives empty pages")
    void emptySession() {
        Session s = userWithSession("alice");

        assertThat(store.messages().page("alice", s.id())).isEmpty();
        assertThat(store.messages().page("alice", s.id(), 0, 10)).isEmpty();
        assertThat(store.messages().after("alice", s.id(), 0, 10)).isEmpty();
        assertThat(store.messages().last("alice", s.id(), 10)).isEmpty();
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    @DisplayName("§4 Paging: a limit below 1 is a ValidationException")
    void limitBelowOne(int limit) {
        Session s = userWithSession("alice");
        appendMany(s, 2);

        assertLimitRejected(() -> store.messages().page("alice", s.id(), 0, limit));
        assertLimitRejected(() -> store.messages().after("alice", s.id(), 0, limit));
        assertLimitRejected(() -> store.messages().last("alice", s.id(), limit));
        assertLimitRejected(() -> store.messages().search("alice", SearchQuery.of("message").limit(limit)));
        assertLimitRejected(() -> store.sessions().list("alice", 0, limit));
        assertLimitRejected(() -> store.users().list(0, limit));
        assertLimitRejected(() -> store.contexts().history("alice", s.id(), limit));
        assertLimitRejected(() -> store.panels().list(0, limit));
    }

    @Test
    @DisplayName("§4 Paging: a limit above paging.max-limit is a ValidationException; exactly the maximum is fine")
    void limitAboveMaximum() {
        ChatStore small = open(b -> b.set(Setting.MAX_PAGE_LIMIT, 50));
        small.users().create("alice");
        Session s = small.sessions().create("alice", "t");
        for (int i = 1; i <= 60; i++) {
            small.messages().append("alice", s.id(), NewMessage.user("message " + i));
        }

        assertThat(small.messages().page("alice", s.id(), 0, 50)).hasSize(50);
        assertThat(small.messages().last("alice", s.id(), 50)).hasSize(50);
        assertThat(small.messages().search("alice", SearchQuery.of("message").limit(50))).hasSize(50);
        assertLimitRejected(() -> small.messages().page("alice", s.id(), 0, 51));
        assertLimitRejected(() -> small.messages().after("alice", s.id(), 0, 51));
        assertLimitRejected(() -> small.messages().last("alice", s.id(), 51));
        assertLimitRejected(() -> small.messages().search("alice", SearchQuery.of("message").limit(51)));
        assertLimitRejected(() -> small.sessions().list("alice", 0, 51));
        assertLimitRejected(() -> small.users().list(0, 51));
        assertLimitRejected(() -> small.sessions().list("alice", 0, Integer.MAX_VALUE));
    }

    @Test
    @DisplayName("§4 Paging: a negative offset is a ValidationException")
    void negativeOffset() {
        Session s = userWithSession("alice");
        appendMany(s, 2);

        assertThatThrownBy(() -> store.messages().page("alice", s.id(), -1, 10))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("offset"));
        assertThatThrownBy(() -> store.messages().after("alice", s.id(), -1, 10))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("afterSeq"));
        assertThatThrownBy(() -> store.sessions().list("alice", -1, 10))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("offset"));
        assertThatThrownBy(() -> store.users().list(Integer.MIN_VALUE, 10))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("offset"));
        assertThatThrownBy(() -> store.panels().list(-5, 10)).isInstanceOf(ValidationException.class);
    }

    @Test
    @DisplayName("§4 Paging: page(offset, limit) gives messages offset+1 .. offset+limit in seq order")
    void messagePages() {
        Session s = userWithSession("alice");
        List<Message> all = appendMany(s, 23);

        assertThat(store.messages().page("alice", s.id(), 0, 10)).isEqualTo(all.subList(0, 10));
        assertThat(store.messages().page("alice", s.id(), 10, 10)).isEqualTo(all.subList(10, 20));
        assertThat(store.messages().page("alice", s.id(), 20, 10)).isEqualTo(all.subList(20, 23));
        assertThat(store.messages().page("alice", s.id(), 7, 1)).containsExactly(all.get(7));
        assertThat(store.messages().page("alice", s.id(), 22, 5)).containsExactly(all.get(22));
    }

    @Test
    @DisplayName("§4 Paging: after(seq, limit) follows a conversation from any seq")
    void afterSeq() {
        Session s = userWithSession("alice");
        List<Message> all = appendMany(s, 15);

        assertThat(store.messages().after("alice", s.id(), 0, 5)).isEqualTo(all.subList(0, 5));
        assertThat(seqs(store.messages().after("alice", s.id(), 5, 5))).isEqualTo(range(6, 10));
        assertThat(seqs(store.messages().after("alice", s.id(), 12, 100))).isEqualTo(range(13, 15));
        assertThat(store.messages().after("alice", s.id(), 14, 100)).containsExactly(all.get(14));
        assertThat(store.messages().after("alice", s.id(), 15, 100)).isEmpty();

        // following: read what is new since the last seen seq
        Message sixteen = store.messages().append("alice", s.id(), NewMessage.assistant("new"));
        assertThat(store.messages().after("alice", s.id(), 15, 100)).containsExactly(sixteen);
    }

    @Test
    @DisplayName("§4 Paging: last(n) gives the newest n messages in ascending order, or all if there are fewer")
    void lastN() {
        Session s = userWithSession("alice");
        List<Message> all = appendMany(s, 12);

        assertThat(store.messages().last("alice", s.id(), 1)).containsExactly(all.get(11));
        assertThat(store.messages().last("alice", s.id(), 5)).isEqualTo(all.subList(7, 12));
        assertThat(store.messages().last("alice", s.id(), 12)).isEqualTo(all);
        assertThat(store.messages().last("alice", s.id(), 100)).isEqualTo(all);
    }

    @Test
    @DisplayName("§4 Paging: consecutive message pages cover the session exactly once")
    void pagesCoverEverything() {
        Session s = userWithSession("alice");
        List<Message> all = appendMany(s, 37);
        List<Message> paged = new ArrayList<>();

        for (int offset = 0; ; offset += 8) {
            List<Message> page = store.messages().page("alice", s.id(), offset, 8);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(page);
        }
        List<Message> followed = new ArrayList<>();
        long lastSeen = 0;
        while (true) {
            List<Message> page = store.messages().after("alice", s.id(), lastSeen, 6);
            if (page.isEmpty()) {
                break;
            }
            followed.addAll(page);
            lastSeen = page.get(page.size() - 1).seq();
        }

        assertThat(paged).isEqualTo(all);
        assertThat(followed).isEqualTo(all);
    }

    @Test
    @DisplayName("§4 Paging: consecutive session pages cover the user's sessions exactly once, in listing order")
    void sessionPages() {
        user("alice");
        for (int i = 0; i < 11; i++) {
            store.sessions().create("alice", "s" + i);
        }
        List<Session> all = store.sessions().list("alice", 0, 100);

        List<Session> paged = new ArrayList<>();
        paged.addAll(store.sessions().list("alice", 0, 4));
        paged.addAll(store.sessions().list("alice", 4, 4));
        paged.addAll(store.sessions().list("alice", 8, 4));

        assertThat(all).hasSize(11);
        assertThat(paged).isEqualTo(all);
        assertThat(store.sessions().list("alice", 11, 4)).isEmpty();
    }

    @Test
    @DisplayName("§4 Paging: context history returns at most limit snapshots, newest first")
    void historyLimit() {
        Session s = userWithSession("alice");
        Instant base = Instant.parse("2030-01-01T00:00:00Z");
        for (int i = 0; i < 6; i++) {
            store.contexts().saveSnapshot("alice", s.id(),
                    new SituationalContext("summary " + i, List.of(), Map.of(), 0.5, base.plusSeconds(i)));
        }

        assertThat(store.contexts().history("alice", s.id(), 2)).extracting(SituationalContext::summary)
                .containsExactly("summary 5", "summary 4");
        assertThat(store.contexts().history("alice", s.id(), 100)).hasSize(6);
    }

    private static void assertLimitRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ValidationException.class);
    }
}
