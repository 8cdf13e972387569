package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: Search. Words are runs of Unicode letters and digits (combining marks stay in their word), compared
 * case-insensitively after NFC; query words shorter than {@code search.min-word-length} are ignored; a message
 * matches when it contains every query word as a whole word. Only the user's own session messages, newest first.
 */
public abstract class SearchContract extends TckSupport {

    /**
     * A corpus in one session of "alice": label to content. Each message is appended with a distinct createdAt, one
     * second apart in this order, so results have a known order (newest = last in the map).
     */
    private Map<String, String> corpus() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("pg", "We moved the data to postgres last year");
        c.put("pg-upper", "POSTGRES is fast");
        c.put("pg-index", "postgres needs an index for that query");
        c.put("idx-comma", "Add an index, then measure");
        c.put("idx-paren", "Consider (index) usage");
        c.put("idx-period", "It all ends with an index.");
        c.put("idx-quoted", "the \"index\" keyword; also [index] and {index}!");
        c.put("idx-dash", "--index-- in a comment");
        c.put("idx-underscore", "a column named user_index");
        c.put("idx-slash", "see docs/index/html");
        c.put("email", "Please send an e-mail today");
        c.put("cat", "The cat sat on the mat");
        c.put("category", "This category is about a concatenate function and cats");
        c.put("german", "Die Überprüfung ist abgeschlossen");
        c.put("cyrillic", "Резервная копия базы данных готова");
        c.put("greek", "Η ΒΆΣΗ ΔΕΔΟΜΈΝΩΝ είναι έτοιμη");
        c.put("cjk", "全文检索 数据库索引 性能优化");
        c.put("arabic", "تم تحديث قاعدة البيانات بنجاح");
        c.put("hebrew", "הנתונים נשמרו במסד");
        c.put("digits", "Released in version 2024 of the product, not v2025");
        c.put("nfd", "un cafe\u0301 au lait");
        c.put("nfc", "un autre café noir");
        c.put("hindi", "डेटाबेस का अनुक्रमण"); // Devanagari vowel signs are combining marks inside words
        c.put("emoji", "deploy🚀rocket done 👍🏽");
        c.put("nul", "left\u0000right side");
        return c;
    }

    private final Map<String, String> labels = new LinkedHashMap<>();
    private Session session;

    private Session loadCorpus() {
        session = userWithSession("alice");
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        for (Map.Entry<String, String> e : corpus().entrySet()) {
            store.messages().append("alice", session.id(), NewMessage.user(e.getValue()).withCreatedAt(t));
            labels.put(e.getValue(), e.getKey());
            t = t.plusSeconds(1);
        }
        return session;
    }

    /** The labels of the messages the query finds, in result order. */
    private List<String> find(String query) {
        if (session == null) {
            loadCorpus();
        }
        List<String> out = new ArrayList<>();
        for (Message m : store.messages().search("alice", SearchQuery.of(query).limit(100))) {
            out.add(labels.getOrDefault(m.content(), "?" + m.content()));
        }
        return out;
    }

    @Test
    @DisplayName("§4 Search: comparison is case-insensitive in both directions")
    void caseInsensitive() {
        assertThat(find("POSTGRES")).containsExactlyInAnyOrder("pg", "pg-upper", "pg-index");
        assertThat(find("postgres")).containsExactlyInAnyOrder("pg", "pg-upper", "pg-index");
        assertThat(find("PostGres")).containsExactlyInAnyOrder("pg", "pg-upper", "pg-index");
    }

    @Test
    @DisplayName("§4 Search: punctuation and symbols split words (index, (index) index. \"index\" --index-- user_index a/index)")
    void punctuationSplitsWords() {
        assertThat(find("index")).containsExactlyInAnyOrder("pg-index", "idx-comma", "idx-paren", "idx-period",
                "idx-quoted", "idx-dash", "idx-underscore", "idx-slash");
        assertThat(find("user")).containsExactly("idx-underscore");
        assertThat(find("docs")).containsExactly("idx-slash");
    }

    @Test
    @DisplayName("§4 Search: a hyphen splits words: e-mail is the words e and mail")
    void hyphenatedWord() {
        assertThat(find("mail")).containsExactly("email");
        assertThat(find("email")).isEmpty();
        assertThat(find("e-mail")).containsExactly("email"); // "e" is shorter than the minimum and ignored
    }

    @Test
    @DisplayName("§4 Search: only whole words match (cat does not match category, concatenate or cats)")
    void wholeWordsOnly() {
        assertThat(find("cat")).containsExactly("cat");
        assertThat(find("cats")).containsExactly("category");
        assertThat(find("categ")).isEmpty();
        assertThat(find("ostgre")).isEmpty();
        assertThat(find("postgresql")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: a message must contain every query word (AND), in any order")
    void everyWordRequired() {
        assertThat(find("postgres index")).containsExactly("pg-index");
        assertThat(find("index postgres")).containsExactly("pg-index");
        assertThat(find("postgres fast")).containsExactly("pg-upper");
        assertThat(find("postgres missingword")).isEmpty();
        assertThat(find("cat mat sat")).containsExactly("cat");
    }

    @Test
    @DisplayName("§4 Search: repeating a query word changes nothing")
    void repeatedWords() {
        assertThat(find("postgres postgres POSTGRES")).isEqualTo(find("postgres"));
    }

    @Test
    @DisplayName("§4 Search: words shorter than the minimum length are ignored ('a to postgres' finds what 'postgres' finds)")
    void shortWordsIgnored() {
        assertThat(find("a to postgres")).isEqualTo(find("postgres")).hasSize(3);
        assertThat(find("an index")).isEqualTo(find("index"));
        assertThat(find("on cat")).containsExactly("cat");
    }

    @Test
    @DisplayName("§4 Search: a query of only short words (or no words) returns nothing")
    void onlyShortWords() {
        assertThat(find("a to")).isEmpty();
        assertThat(find("an")).isEmpty();
        assertThat(find("")).isEmpty();
        assertThat(find("   ")).isEmpty();
        assertThat(find("!!! ... ,,, ???")).isEmpty();
        assertThat(find("🚀")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: words are counted in code points, so a three-letter word of supplementary letters qualifies")
    void lengthInCodePoints() {
        Session s = userWithSession("bob");
        // U+1D400.. are letters outside the BMP (two UTF-16 units each); 𝐀𝐁 is 2 code points but 4 chars
        store.messages().append("bob", s.id(), NewMessage.user("math 𝐀𝐁 and 𝐀𝐁𝐂 here"));

        assertThat(store.messages().search("bob", "𝐀𝐁𝐂")).hasSize(1);
        assertThat(store.messages().search("bob", "𝐀𝐁")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: Unicode letters form words (German umlauts, case-folded)")
    void german() {
        assertThat(find("überprüfung")).containsExactly("german");
        assertThat(find("ÜBERPRÜFUNG")).containsExactly("german");
        assertThat(find("uberprufung")).isEmpty();
        assertThat(find("abgeschlossen die")).containsExactly("german");
    }

    @Test
    @DisplayName("§4 Search: Cyrillic, Greek, Arabic and Hebrew words match case-insensitively")
    void otherScripts() {
        assertThat(find("БАЗЫ")).containsExactly("cyrillic");
        assertThat(find("копия готова")).containsExactly("cyrillic");
        assertThat(find("βάση")).containsExactly("greek");
        assertThat(find("δεδομένων ΈΤΟΙΜΗ")).containsExactly("greek");
        assertThat(find("البيانات")).containsExactly("arabic");
        assertThat(find("قاعدة بنجاح")).containsExactly("arabic");
        assertThat(find("הנתונים")).containsExactly("hebrew");
    }

    @Test
    @DisplayName("§4 Search: a run of CJK characters is one word and matches only whole")
    void cjkRun() {
        assertThat(find("数据库索引")).containsExactly("cjk");
        assertThat(find("全文检索 性能优化")).containsExactly("cjk");
        assertThat(find("全文检")).isEmpty();
        assertThat(find("数据库")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: combining marks stay inside their word (Devanagari)")
    void devanagari() {
        assertThat(find("डेटाबेस")).containsExactly("hindi");
        assertThat(find("अनुक्रमण")).containsExactly("hindi");
    }

    @Test
    @DisplayName("§4 Search: digits are words (version 2024), matched whole")
    void digits() {
        assertThat(find("2024")).containsExactly("digits");
        assertThat(find("version 2024")).containsExactly("digits");
        assertThat(find("v2025")).containsExactly("digits");
        assertThat(find("2025")).isEmpty();
        assertThat(find("202")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: text in decomposed form (cafe + U+0301) is found by the composed query and vice versa")
    void canonicalEquivalence() {
        assertThat(find("café")).containsExactlyInAnyOrder("nfd", "nfc");
        assertThat(find("cafe\u0301")).containsExactlyInAnyOrder("nfd", "nfc");
        assertThat(find("CAFÉ")).containsExactlyInAnyOrder("nfd", "nfc");
        assertThat(find("cafe")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: emoji and other symbols separate words; NUL separates words")
    void symbolsSeparate() {
        assertThat(find("deploy")).containsExactly("emoji");
        assertThat(find("rocket done")).containsExactly("emoji");
        assertThat(find("left")).containsExactly("nul");
        assertThat(find("right")).containsExactly("nul");
    }

    @Test
    @DisplayName("§4 Search: results are exactly the matching set, newest first")
    void resultsNewestFirst() {
        assertThat(find("index")).containsExactly("idx-slash", "idx-underscore", "idx-dash", "idx-quoted",
                "idx-period", "idx-paren", "idx-comma", "pg-index");
    }

    @Test
    @DisplayName("§4 Search: results are the user's own messages only")
    void ownMessagesOnly() {
        Session a = userWithSession("alice");
        Session b = userWithSession("bob");
        Message mine = store.messages().append("alice", a.id(), NewMessage.user("secret project falcon"));
        Message theirs = store.messages().append("bob", b.id(), NewMessage.user("secret project falcon"));

        assertThat(store.messages().search("alice", "falcon")).containsExactly(mine);
        assertThat(store.messages().search("bob", "falcon")).containsExactly(theirs);
        assertThat(store.messages().search("bob", "falcon")).allSatisfy(m -> assertThat(m.sessionId()).isEqualTo(b.id()));
        user("carol");
        assertThat(store.messages().search("carol", "falcon")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: two users' sessions with the same ID never leak into each other's results")
    void sameSessionIdDifferentUsers() {
        user("alice");
        user("bob");
        store.sessions().create("alice", NewSession.titled("a").withId("shared"));
        store.sessions().create("bob", NewSession.titled("b").withId("shared"));
        store.messages().append("alice", "shared", NewMessage.user("alpha falcon"));
        store.messages().append("bob", "shared", NewMessage.user("bravo falcon"));

        assertThat(store.messages().search("alice", "falcon")).extracting(Message::content).containsExactly("alpha falcon");
        assertThat(store.messages().search("bob", SearchQuery.of("falcon").inSession("shared")))
                .extracting(Message::content).containsExactly("bravo falcon");
        assertThat(store.messages().search("bob", "alpha")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: a session restriction returns only that session's matches")
    void inSession() {
        user("alice");
        Session one = store.sessions().create("alice", "one");
        Session two = store.sessions().create("alice", "two");
        Message m1 = store.messages().append("alice", one.id(), NewMessage.user("kubernetes deployment"));
        Message m2 = store.messages().append("alice", two.id(), NewMessage.assistant("kubernetes cluster"));

        assertThat(store.messages().search("alice", SearchQuery.of("kubernetes").inSession(one.id()))).containsExactly(m1);
        assertThat(store.messages().search("alice", SearchQuery.of("kubernetes").inSession(two.id()))).containsExactly(m2);
        assertThat(store.messages().search("alice", "kubernetes")).containsExactlyInAnyOrder(m1, m2);
        assertThat(store.messages().search("alice", SearchQuery.of("cluster").inSession(one.id()))).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: results are capped by limit, keeping the newest")
    void limitCaps() {
        Session s = userWithSession("alice");
        Instant t = Instant.parse("2030-06-01T00:00:00Z");
        for (int i = 1; i <= 30; i++) {
            store.messages().append("alice", s.id(), NewMessage.user("needle " + i).withCreatedAt(t.plusSeconds(i)));
        }

        assertThat(store.messages().search("alice", SearchQuery.of("needle").limit(5))).extracting(Message::content)
                .containsExactly("needle 30", "needle 29", "needle 28", "needle 27", "needle 26");
        assertThat(store.messages().search("alice", SearchQuery.of("needle").limit(1))).extracting(Message::content)
                .containsExactly("needle 30");
        assertThat(store.messages().search("alice", SearchQuery.of("needle").limit(100))).hasSize(30);
    }

    @Test
    @DisplayName("§4 Search: results are the stored messages, complete")
    void resultsAreStoredMessages() {
        Session s = userWithSession("alice");
        Message stored = store.messages().append("alice", s.id(), NewMessage.assistant("complete answer here")
                .withModel("gpt-4o").withProvider("openai"));

        assertThat(store.messages().search("alice", "answer")).containsExactly(stored);
        assertThat(store.messages().get("alice", s.id(), stored.seq())).contains(stored);
    }

    @Test
    @DisplayName("§4 Search: a newly appended message is found at once")
    void visibleAtOnce() {
        Session s = userWithSession("alice");
        assertThat(store.messages().search("alice", "zeppelin")).isEmpty();

        Message m = store.messages().append("alice", s.id(), NewMessage.user("zeppelin"));

        assertThat(store.messages().search("alice", "zeppelin")).containsExactly(m);
    }

    @Test
    @DisplayName("§4 Search: messages of a deleted session are no longer found")
    void deletedSessionNotFound() {
        Session s = userWithSession("alice");
        store.messages().append("alice", s.id(), NewMessage.user("ephemeral words"));
        store.sessions().delete("alice", s.id());

        assertThat(store.messages().search("alice", "ephemeral")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: searching a session of another user is a NotFoundException")
    void otherUsersSession() {
        Session a = userWithSession("alice");
        store.messages().append("alice", a.id(), NewMessage.user("private words"));
        user("bob");

        assertThatThrownBy(() -> store.messages().search("bob", SearchQuery.of("private").inSession(a.id())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.messages().search("alice", SearchQuery.of("private").inSession("nope")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("§4 Search: panel messages are not searched")
    void panelsNotSearched() {
        Session s = userWithSession("alice");
        store.panels().create(NewPanel.of("debate", List.of("critic")).withId("panel-1"));
        store.panels().append("panel-1", NewMessage.of("critic", "archipelago discussion"));
        store.panels().append("panel-1", NewMessage.user("archipelago question"));
        store.messages().append("alice", s.id(), NewMessage.user("unrelated"));

        assertThat(store.messages().search("alice", "archipelago")).isEmpty();
    }

    @Test
    @DisplayName("§4 Search: a query with an unpaired surrogate is a ValidationException")
    void invalidQuery() {
        user("alice");

        assertThatThrownBy(() -> store.messages().search("alice", "post\uD800gres"))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    @DisplayName("§4 Search: with search.min-word-length 5, shorter query words are ignored and longer ones still match")
    void raisedMinimum() {
        ChatStore s5 = open(b -> b.set(Setting.SEARCH_MIN_WORD_LENGTH, 5));
        s5.users().create("alice");
        Session s = s5.sessions().create("alice", "t");
        Message pg = s5.messages().append("alice", s.id(), NewMessage.user("the postgres index is fast"));
        Message cat = s5.messages().append("alice", s.id(), NewMessage.user("the cat sat"));
        s5.messages().append("alice", s.id(), NewMessage.user("mysql only"));

        assertThat(s5.messages().search("alice", "index")).containsExactly(pg);
        assertThat(s5.messages().search("alice", "fast postgres")).containsExactly(pg);
        assertThat(s5.messages().search("alice", "postgres mysql cat")).isEmpty();
        // "cat", "fast", "the" are shorter than 5 and ignored: the query is just "postgres"
        assertThat(s5.messages().search("alice", "cat fast the postgres")).containsExactly(pg);
        assertThat(s5.messages().search("alice", "cat")).isEmpty();
        assertThat(s5.messages().search("alice", "cat sat the")).isEmpty();
        assertThat(s5.messages().search("alice", "mysql")).hasSize(1);
        assertThat(cat.content()).isEqualTo("the cat sat");
    }

    @Test
    @DisplayName("§4 Search: with search.min-word-length 1, even one-letter words count")
    void loweredMinimum() {
        ChatStore s1 = open(b -> b.set(Setting.SEARCH_MIN_WORD_LENGTH, 1));
        s1.users().create("alice");
        Session s = s1.sessions().create("alice", "t");
        Message email = s1.messages().append("alice", s.id(), NewMessage.user("send an e-mail"));
        s1.messages().append("alice", s.id(), NewMessage.user("send a letter"));

        assertThat(s1.messages().search("alice", "e")).containsExactly(email);
        assertThat(s1.messages().search("alice", "a")).hasSize(1);
        assertThat(s1.messages().search("alice", "send a")).hasSize(1);
        assertThat(s1.messages().search("alice", "send")).hasSize(2);
    }
}
