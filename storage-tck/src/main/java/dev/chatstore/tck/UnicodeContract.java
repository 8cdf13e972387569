package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.User;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: Unicode. Any valid Unicode text (emoji, right-to-left, combining marks, NUL, ...) round-trips exactly,
 * unnormalised, through every text field; a string with an unpaired surrogate is rejected before anything is stored.
 */
public abstract class UnicodeContract extends TckSupport {

    /** Valid Unicode that must come back exactly as given (named, so test names stay printable). */
    static Stream<Named<String>> validSamples() {
        return Stream.of(
                Named.of("emoji", "Hello 😀 world 🎉🚀"),
                Named.of("emoji ZWJ family", "👨\u200D👩\u200D👧\u200D👦"),
                Named.of("emoji ZWJ with skin tone", "👩🏽\u200D💻 and 🧑🏿\u200D🚀"),
                Named.of("emoji skin tones", "👍🏻👍🏼👍🏽👍🏾👍🏿"),
                Named.of("flags and keycaps", "🇺🇦🇯🇵🏳️\u200D🌈 1️⃣ #️⃣"),
                Named.of("Arabic (RTL)", "مرحبا بالعالم، كيف حالك؟"),
                Named.of("Hebrew with points (RTL)", "שָׁלוֹם עוֹלָם"),
                Named.of("bidi controls mixed with LTR", "abc \u202Eevil\u202C \u2067עברית\u2069 123 مرحبا"),
                Named.of("combining marks, decomposed (NFD), not normalised", "cafe\u0301 e\u0301\u0302 n\u0303"),
                Named.of("precomposed (NFC)", "café ñ Å"),
                Named.of("stacked combining marks", "Z\u0351\u0308\u0324a\u036B\u0301\u0326l\u0310g\u0327o"),
                Named.of("NUL inside", "before\u0000after\u0000"),
                Named.of("control characters and whitespace", "\u0001\u0007\t\r\n\u001B[0m\u007F \u0085"),
                Named.of("mixed scripts", "English Русский 中文 日本語 한국어 ελληνικά हिन्दी ไทย ქართული"),
                Named.of("supplementary CJK and math letters", "𠜎𠜱𠝹𠱓 𝐀𝐁𝐂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"),
                Named.of("BOM, zero-width and line separators", "\uFEFFzero\u200Bwidth\u200C\u200D \u2028\u2029"),
                Named.of("noncharacters and the last code point", "\uFFFE\uFFFF \uDBFF\uDFFF \uE000"),
                Named.of("JSON- and escape-like text", "{\"a\":\"b\\\"\"} \\u0000 \\n \\\\ '%s' $1 ${x} <b>&amp;</b>"),
                Named.of("leading and trailing whitespace", "  \t padded \n  "),
                Named.of("empty", ""));
    }

    /** Strings holding an unpaired surrogate: never valid anywhere. */
    static Stream<Named<String>> invalidSamples() {
        return Stream.of(
                Named.of("lone high surrogate inside", "a\uD800b"),
                Named.of("lone low surrogate", "\uDC00"),
                Named.of("high surrogate at the end", "abc\uD83D"),
                Named.of("surrogates in the wrong order", "x\uDE00\uD83Dy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.UnicodeContract#validSamples")
    @DisplayName("§4 Text: message content round-trips exactly through append, get, page, last and getById")
    void messageContent(String text) {
        Session s = userWithSession("alice");

        Message appended = store.messages().append("alice", s.id(), NewMessage.user(text));
        Message batch = store.messages().appendAll("alice", s.id(), List.of(NewMessage.assistant(text))).get(0);

        assertThat(appended.content()).isEqualTo(text);
        assertThat(store.messages().get("alice", s.id(), 1)).map(Message::content).contains(text);
        assertThat(store.messages().get("alice", s.id(), 2)).map(Message::content).contains(text);
        assertThat(store.messages().getById("alice", s.id(), appended.id())).contains(appended);
        assertThat(store.messages().page("alice", s.id(), 0, 10)).containsExactly(appended, batch);
        assertThat(store.messages().last("alice", s.id(), 1)).singleElement()
                .satisfies(m -> assertThat(m.content().codePoints().toArray()).isEqualTo(text.codePoints().toArray()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.UnicodeContract#validSamples")
    @DisplayName("§4 Text: session titles, models and providers round-trip exactly")
    void sessionFields(String text) {
        user("alice");

        Session s = store.sessions().create("alice", NewSession.titled(text).withModel(text + "m")
                .withProvider(text + "p").withId("s1"));
        Session renamed = store.sessions().update(s.withTitle(text + text));

        Session read = store.sessions().get("alice", "s1").orElseThrow();
        assertThat(read).isEqualTo(renamed);
        assertThat(read.title()).isEqualTo(text + text);
        assertThat(read.model()).contains(text + "m");
        assertThat(read.provider()).contains(text + "p");
        assertThat(store.sessions().list("alice")).containsExactly(read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.UnicodeContract#validSamples")
    @DisplayName("§4 Text: display names round-trip exactly")
    void displayName(String text) {
        store.users().create("alice", text, JsonObject.empty());
        store.users().create("bob", "", JsonObject.empty());
        User bob = store.users().update("bob", u -> u.withDisplayName(text + "!"));

        assertThat(store.users().get("alice").orElseThrow().displayName()).isEqualTo(text);
        assertThat(store.users().get("bob")).contains(bob);
        assertThat(bob.displayName()).isEqualTo(text + "!");
        assertThat(store.users().list()).extracting(User::displayName).containsExactly(text, text + "!");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.UnicodeContract#validSamples")
    @DisplayName("§4 Text: JSON string values and keys round-trip exactly (profile, metadata, persona data)")
    void jsonFields(String text) {
        JsonObject json = JsonObject.of("value", text, "k:" + text, "key", "list", List.of(text, "x"),
                "nested", Map.of(text + "#", Map.of("deep", text)));
        store.users().create("alice", "", json);
        Session s = store.sessions().create("alice", NewSession.titled("t").withMetadata(json));
        Message m = store.messages().append("alice", s.id(), NewMessage.user("hi").withMetadata(json));
        store.personas().save(PersonaScope.user("alice"), "p1", json);

        assertThat(store.users().get("alice").orElseThrow().profile()).isEqualTo(json);
        assertThat(store.users().get("alice").orElseThrow().profile().getString("value")).contains(text);
        assertThat(store.users().get("alice").orElseThrow().profile().has("k:" + text)).isTrue();
        assertThat(store.sessions().get("alice", s.id()).orElseThrow().metadata()).isEqualTo(json);
        assertThat(store.messages().get("alice", s.id(), m.seq()).orElseThrow().metadata()).isEqualTo(json);
        assertThat(store.personas().find(PersonaScope.user("alice"), "p1").orElseThrow().data()).isEqualTo(json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.UnicodeContract#validSamples")
    @DisplayName("§4 Text: context summaries, key points and entities, and panel messages round-trip exactly")
    void contextsAndPanels(String text) {
        Session s = userWithSession("alice");
        SituationalContext c = new SituationalContext(text, List.of(text, "plain"), Map.of(text + "e", List.of(text)),
                0.25, Instant.parse("2030-01-01T00:00:00Z"));
        store.contexts().set("alice", s.id(), c);
        store.contexts().saveSnapshot("alice", s.id(), c);
        store.panels().create(NewPanel.of("t", List.of("critic")).withId("p1"));
        store.panels().append("p1", NewMessage.of("critic", text));

        assertThat(store.contexts().current("alice", s.id())).contains(c);
        assertThat(store.contexts().history("alice", s.id())).containsExactly(c);
        assertThat(store.panels().messages("p1")).singleElement().extracting(Message::content).isEqualTo(text);
    }

    @Test
    @DisplayName("§4 Text: document names with accents, emoji and right-to-left text round-trip exactly")
    void documentNames() {
        Session s = userWithSession("alice");
        List<String> names = List.of("résumé 📄.txt", "تقرير.pdf", "日本語のファイル.md", "naïve — “quoted”.csv");
        for (String name : names) {
            store.documents().save("alice", s.id(), name, "text/plain", name.getBytes(StandardCharsets.UTF_8));
        }

        assertThat(store.documents().list("alice", s.id())).extracting(d -> d.name())
                .containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            assertThat(store.documents().read("alice", s.id(), name)).hasValueSatisfying(
                    bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(name));
        }
    }

    @Test
    @DisplayName("§4 Text: decomposed and precomposed forms are stored as different text, never normalised")
    void noNormalisation() {
        Session s = userWithSession("alice");
        String nfd = "cafe\u0301";
        String nfc = "caf\u00E9";

        store.messages().append("alice", s.id(), NewMessage.user(nfd));
        store.messages().append("alice", s.id(), NewMessage.user(nfc));
        store.sessions().create("alice", NewSession.titled(nfd).withId("t-nfd"));

        assertThat(store.messages().get("alice", s.id(), 1).orElseThrow().content()).isEqualTo(nfd).hasSize(5);
        assertThat(store.messages().get("alice", s.id(), 2).orElseThrow().content()).isEqualTo(nfc).hasSize(4);
        assertThat(store.sessions().get("alice", "t-nfd").orElseThrow().title()).isEqualTo(nfd);
    }

    @Test
    @DisplayName("§4 Text: a message exactly at the byte limit and ending in a 4-byte character round-trips")
    void fourByteCharacterAtTheLimit() {
        ChatStore small = open(b -> b.set(Setting.MAX_MESSAGE_BYTES, 12));
        small.users().create("alice");
        Session s = small.sessions().create("alice", "t");
        String atLimit = "12345678😀"; // 8 + 4 = 12 bytes, 10 UTF-16 units
        String emojiOnly = "😀🎉🚀"; // 12 bytes, 6 UTF-16 units

        Message m1 = small.messages().append("alice", s.id(), NewMessage.user(atLimit));
        Message m2 = small.messages().append("alice", s.id(), NewMessage.user(emojiOnly));

        assertThat(small.messages().get("alice", s.id(), m1.seq()).orElseThrow().content()).isEqualTo(atLimit);
        assertThat(small.messages().get("alice", s.id(), m2.seq()).orElseThrow().content()).isEqualTo(emojiOnly);
        assertThatThrownBy(() -> small.messages().append("alice", s.id(), NewMessage.user("123456789😀")))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> small.messages().append("alice", s.id(), NewMessage.user("😀🎉🚀👍")))
                .isInstanceOf(LimitExceededException.class);
        assertThat(small.messages().count("alice", s.id())).isEqualTo(2);
    }

    @Test
    @DisplayName("§4 Text: a long message of mixed 1- to 4-byte characters round-trips exactly")
    void longMixedMessage() {
        Session s = userWithSession("alice");
        String text = "aé€😀\u0000".repeat(20_000);

        Message m = store.messages().append("alice", s.id(), NewMessage.user(text));

        assertThat(store.messages().get("alice", s.id(), m.seq()).orElseThrow().content()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.UnicodeContract#invalidSamples")
    @DisplayName("§4 Text: an unpaired surrogate in message content is a ValidationException and nothing is stored")
    void invalidContent(String bad) {
        Session s = userWithSession("alice");

        assertInvalid(() -> store.messages().append("alice", s.id(), NewMessage.user(bad)));
        assertInvalid(() -> store.messages().appendAll("alice", s.id(),
                List.of(NewMessage.user("fine"), NewMessage.assistant(bad))));
        assertInvalid(() -> store.messages().append("alice", s.id(), NewMessage.assistant("ok").withModel(bad)));
        assertInvalid(() -> store.messages().append("alice", s.id(), NewMessage.assistant("ok").withProvider(bad)));
        assertInvalid(() -> store.messages().append("alice", s.id(),
                NewMessage.user("ok").withAttachments(List.of(bad + ".txt"))));

        assertThat(store.messages().count("alice", s.id())).isZero();
        assertThat(store.messages().page("alice", s.id(), 0, 10)).isEmpty();
        assertThat(store.sessions().get("alice", s.id()).orElseThrow()).isEqualTo(s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.UnicodeContract#invalidSamples")
    @DisplayName("§4 Text: an unpaired surrogate in a title or display name is a ValidationException and nothing is stored")
    void invalidLabels(String bad) {
        Session s = userWithSession("alice");
        String before = exportBody(store);

        assertInvalid(() -> store.users().create("bob", bad, JsonObject.empty()));
        assertInvalid(() -> store.users().update("alice", u -> u.withDisplayName(bad)));
        assertInvalid(() -> store.users().update(store.users().get("alice").orElseThrow().withDisplayName(bad)));
        assertInvalid(() -> store.sessions().create("alice", bad));
        assertInvalid(() -> store.sessions().create("alice", NewSession.titled("ok").withModel(bad)));
        assertInvalid(() -> store.sessions().update(s.withTitle(bad)));
        assertInvalid(() -> store.sessions().update("alice", s.id(), x -> x.withProvider(bad)));

        assertThat(store.users().get("bob")).isEmpty();
        assertThat(store.users().get("alice").orElseThrow().version()).isEqualTo(1);
        assertThat(store.sessions().count("alice")).isEqualTo(1);
        assertThat(store.sessions().get("alice", s.id())).contains(s);
        assertThat(exportBody(store)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.UnicodeContract#invalidSamples")
    @DisplayName("§4 Text: an unpaired surrogate in a JSON value or key is a ValidationException and nothing is stored")
    void invalidJson(String bad) {
        Session s = userWithSession("alice");
        String before = exportBody(store);

        assertInvalid(() -> store.users().create("bob", "", JsonObject.of("k", bad)));
        assertInvalid(() -> store.users().create("bob", "", JsonObject.of(bad, "v")));
        assertInvalid(() -> store.users().create("bob", "", JsonObject.of("list", List.of("ok", bad))));
        assertInvalid(() -> store.users().create("bob", "", JsonObject.of("nested", Map.of(bad, 1))));
        assertInvalid(() -> store.users().update("alice", u -> u.withProfile(JsonObject.of("k", bad))));
        assertInvalid(() -> store.sessions().create("alice", NewSession.titled("t").withMetadata(JsonObject.of(bad, 1))));
        assertInvalid(() -> store.messages().append("alice", s.id(),
                NewMessage.user("ok").withMetadata(JsonObject.of("k", bad))));
        assertInvalid(() -> store.personas().save(PersonaScope.global(), "p1", JsonObject.of("prompt", bad)));
        assertInvalid(() -> JsonObject.parse("{\"k\":\"" + bad + "\"}"));

        assertThat(store.users().get("bob")).isEmpty();
        assertThat(store.messages().count("alice", s.id())).isZero();
        assertThat(store.personas().find(PersonaScope.global(), "p1")).isEmpty();
        assertThat(exportBody(store)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.UnicodeContract#invalidSamples")
    @DisplayName("§4 Text: an unpaired surrogate in any other text argument is a ValidationException and nothing is stored")
    void invalidOtherText(String bad) {
        Session s = userWithSession("alice");
        store.panels().create(NewPanel.of("t", List.of("critic")).withId("p1"));
        String before = exportBody(store);
        SituationalContext ok = new SituationalContext("fine", List.of("k"), Map.of("e", List.of("v")), 0.5,
                Instant.parse("2030-01-01T00:00:00Z"));

        assertInvalid(() -> store.contexts().set("alice", s.id(),
                new SituationalContext(bad, List.of(), Map.of(), 0.5, ok.capturedAt())));
        assertInvalid(() -> store.contexts().saveSnapshot("alice", s.id(),
                new SituationalContext("s", List.of(bad), Map.of(), 0.5, ok.capturedAt())));
        assertInvalid(() -> store.contexts().saveSnapshot("alice", s.id(),
                new SituationalContext("s", List.of(), Map.of(bad, List.of("v")), 0.5, ok.capturedAt())));
        assertInvalid(() -> store.contexts().saveSnapshot("alice", s.id(),
                new SituationalContext("s", List.of(), Map.of("e", List.of(bad)), 0.5, ok.capturedAt())));
        assertInvalid(() -> store.documents().save("alice", s.id(), "doc" + bad + ".txt", "text/plain", new byte[1]));
        assertInvalid(() -> store.documents().save("alice", s.id(), "doc.txt", bad, new byte[1]));
        assertInvalid(() -> store.panels().append("p1", NewMessage.of("critic", bad)));
        assertInvalid(() -> store.panels().create(NewPanel.of(bad, List.of())));
        assertInvalid(() -> store.credentials().put("alice", "openai", "sk-" + bad));
        assertInvalid(() -> store.messages().search("alice", bad));

        assertThat(store.contexts().current("alice", s.id())).isEmpty();
        assertThat(store.contexts().history("alice", s.id())).isEmpty();
        assertThat(store.documents().list("alice", s.id())).isEmpty();
        assertThat(store.panels().messages("p1")).isEmpty();
        assertThat(store.credentials().providers("alice")).isEmpty();
        assertThat(exportBody(store)).isEqualTo(before);
    }

    private static void assertInvalid(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ValidationException.class);
    }
}
