package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.error.StoreClosedException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.User;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * TCK group: Error. Every exception is an unchecked, typed {@link StorageException}; malformed IDs are a
 * {@link ValidationException} naming the argument, raised before anything is stored; unknown users and sessions are
 * {@link NotFoundException}; only {@link StorageUnavailableException} is retryable.
 */
public abstract class ErrorContract extends TckSupport {

    /** IDs outside {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}. */
    static Stream<Named<String>> invalidIds() {
        return Stream.of(
                Named.of("..", ".."),
                Named.of("a/b", "a/b"),
                Named.of("../escape", "../escape"),
                Named.of("a\\b", "a\\b"),
                Named.of("empty", ""),
                Named.of("129 characters", "a".repeat(129)),
                Named.of("NUL", "\u0000"),
                Named.of("NUL inside", "ab\u0000cd"),
                Named.of("newline", "a\nb"),
                Named.of("space inside", "a b"),
                Named.of("trailing space", "abc "),
                Named.of("leading -", "-abc"),
                Named.of("leading .", ".abc"),
                Named.of("leading _", "_abc"),
                Named.of("colon", "a:b"),
                Named.of("non-ASCII letter", "caf\u00E9"),
                Named.of("emoji", "id\uD83D\uDE00"));
    }

    /** One call with a bad argument, and the name {@link ValidationException#field()} must give. */
    private record Call(String what, String field, ThrowingCallable call) {
    }

    private static final SituationalContext CONTEXT = new SituationalContext("s", List.of(), Map.of(), 0.5,
            Instant.parse("2030-01-01T00:00:00Z"));

    /** Every ID-taking method with {@code bad} in each ID position ("alice", "s1", "p1", "critic" exist). */
    private List<Call> callsWithId(String bad) {
        List<Call> c = new ArrayList<>();
        User alice = store.users().get("alice").orElseThrow();
        Session s1 = store.sessions().get("alice", "s1").orElseThrow();
        Persona critic = store.personas().find(PersonaScope.global(), "critic").orElseThrow();
        // users
        c.add(new Call("users.create", "userId", () -> store.users().create(bad)));
        c.add(new Call("users.create(full)", "userId", () -> store.users().create(bad, "x", JsonObject.empty())));
        c.add(new Call("users.get", "userId", () -> store.users().get(bad)));
        c.add(new Call("users.update(User)", "userId", () -> store.users().update(
                new User(bad, "x", JsonObject.empty(), alice.createdAt(), alice.updatedAt(), 1))));
        c.add(new Call("users.update(fn)", "userId", () -> store.users().update(bad, u -> u)));
        c.add(new Call("users.delete", "userId", () -> store.users().delete(bad)));
        // sessions
        c.add(new Call("sessions.create userId", "userId", () -> store.sessions().create(bad, "t")));
        c.add(new Call("sessions.create sessionId", "sessionId",
                () -> store.sessions().create("alice", NewSession.titled("t").withId(bad))));
        c.add(new Call("sessions.get userId", "userId", () -> store.sessions().get(bad, "s1")));
        c.add(new Call("sessions.get sessionId", "sessionId", () -> store.sessions().get("alice", bad)));
        c.add(new Call("sessions.update(Session) sessionId", "sessionId", () -> store.sessions().update(
                new Session(bad, "alice", "t", s1.model(), s1.provider(), false, JsonObject.empty(), 0,
                        s1.lastMessageAt(), s1.createdAt(), s1.updatedAt(), 1))));
        c.add(new Call("sessions.update(Session) userId", "userId", () -> store.sessions().update(
                new Session("s1", bad, "t", s1.model(), s1.provider(), false, JsonObject.empty(), 0,
                        s1.lastMessageAt(), s1.createdAt(), s1.updatedAt(), 1))));
        c.add(new Call("sessions.update(fn) userId", "userId", () -> store.sessions().update(bad, "s1", s -> s)));
        c.add(new Call("sessions.update(fn) sessionId", "sessionId", () -> store.sessions().update("alice", bad, s -> s)));
        c.add(new Call("sessions.delete userId", "userId", () -> store.sessions().delete(bad, "s1")));
        c.add(new Call("sessions.delete sessionId", "sessionId", () -> store.sessions().delete("alice", bad)));
        c.add(new Call("sessions.list", "userId", () -> store.sessions().list(bad)));
        c.add(new Call("sessions.list(paged)", "userId", () -> store.sessions().list(bad, 0, 10)));
        c.add(new Call("sessions.count", "userId", () -> store.sessions().count(bad)));
        // messages
        c.add(new Call("messages.append userId", "userId", () -> store.messages().append(bad, "s1", NewMessage.user("x"))));
        c.add(new Call("messages.append sessionId", "sessionId",
                () -> store.messages().append("alice", bad, NewMessage.user("x"))));
        c.add(new Call("messages.append message id", "message.id",
                () -> store.messages().append("alice", "s1", NewMessage.user("x").withId(bad))));
        c.add(new Call("messages.appendAll message id", "message.id", () -> store.messages().appendAll("alice", "s1",
                List.of(NewMessage.user("ok").withId("fine"), NewMessage.user("x").withId(bad)))));
        c.add(new Call("messages.get userId", "userId", () -> store.messages().get(bad, "s1", 1)));
        c.add(new Call("messages.get sessionId", "sessionId", () -> store.messages().get("alice", bad, 1)));
        c.add(new Call("messages.getById messageId", "messageId", () -> store.messages().getById("alice", "s1", bad)));
        c.add(new Call("messages.getById sessionId", "sessionId", () -> store.messages().getById("alice", bad, "m")));
        c.add(new Call("messages.page userId", "userId", () -> store.messages().page(bad, "s1")));
        c.add(new Call("messages.page sessionId", "sessionId", () -> store.messages().page("alice", bad, 0, 10)));
        c.add(new Call("messages.after sessionId", "sessionId", () -> store.messages().after("alice", bad, 0, 10)));
        c.add(new Call("messages.last userId", "userId", () -> store.messages().last(bad, "s1", 10)));
        c.add(new Call("messages.last sessionId", "sessionId", () -> store.messages().last("alice", bad, 10)));
        c.add(new Call("messages.count sessionId", "sessionId", () -> store.messages().count("alice", bad)));
        c.add(new Call("messages.search userId", "userId", () -> store.messages().search(bad, "hello")));
        c.add(new Call("messages.search sessionId", "sessionId",
                () -> store.messages().search("alice", SearchQuery.of("hello").inSession(bad))));
        // documents
        c.add(new Call("documents.save userId", "userId",
                () -> store.documents().save(bad, "s1", "a.txt", "text/plain", new byte[1])));
        c.add(new Call("documents.save sessionId", "sessionId", () -> store.documents().save("alice", bad, "a.txt",
                "text/plain", new ByteArrayInputStream(new byte[1]), JsonObject.empty())));
        c.add(new Call("documents.get", "sessionId", () -> store.documents().get("alice", bad, "a.txt")));
        c.add(new Call("documents.read", "userId", () -> store.documents().read(bad, "s1", "a.txt")));
        c.add(new Call("documents.open", "sessionId", () -> store.documents().open("alice", bad, "a.txt")));
        c.add(new Call("documents.list", "sessionId", () -> store.documents().list("alice", bad)));
        c.add(new Call("documents.updateAnalysis", "userId",
                () -> store.documents().updateAnalysis(bad, "s1", "a.txt", JsonObject.empty())));
        c.add(new Call("documents.delete", "sessionId", () -> store.documents().delete("alice", bad, "a.txt")));
        // contexts
        c.add(new Call("contexts.set", "sessionId", () -> store.contexts().set("alice", bad, CONTEXT)));
        c.add(new Call("contexts.current", "userId", () -> store.contexts().current(bad, "s1")));
        c.add(new Call("contexts.saveSnapshot", "userId", () -> store.contexts().saveSnapshot(bad, "s1", CONTEXT)));
        c.add(new Call("contexts.history", "sessionId", () -> store.contexts().history("alice", bad)));
        // panels
        c.add(new Call("panels.create panelId", "panelId",
                () -> store.panels().create(NewPanel.of("t", List.of()).withId(bad))));
        c.add(new Call("panels.create persona", "personas", () -> store.panels().create(NewPanel.of("t", List.of(bad)))));
        c.add(new Call("panels.get", "panelId", () -> store.panels().get(bad)));
        c.add(new Call("panels.append", "panelId", () -> store.panels().append(bad, NewMessage.user("x"))));
        c.add(new Call("panels.append message id", "message.id",
                () -> store.panels().append("p1", NewMessage.user("x").withId(bad))));
        c.add(new Call("panels.messages", "panelId", () -> store.panels().messages(bad)));
        c.add(new Call("panels.saveInsight", "panelId", () -> store.panels().saveInsight(bad, JsonObject.of("a", 1))));
        c.add(new Call("panels.insights", "panelId", () -> store.panels().insights(bad)));
        c.add(new Call("panels.delete", "panelId", () -> store.panels().delete(bad)));
        // personas
        c.add(new Call("personas.save personaId", "personaId",
                () -> store.personas().save(PersonaScope.global(), bad, JsonObject.empty())));
        c.add(new Call("personas.save scope", "scope.userId",
                () -> store.personas().save(PersonaScope.user(bad), "critic", JsonObject.empty())));
        c.add(new Call("personas.update", "personaId", () -> store.personas().update(new Persona(bad,
                PersonaScope.global(), JsonObject.empty(), critic.createdAt(), critic.updatedAt(), 1))));
        c.add(new Call("personas.find", "personaId", () -> store.personas().find(PersonaScope.global(), bad)));
        c.add(new Call("personas.find scope", "scope.userId", () -> store.personas().find(PersonaScope.user(bad), "critic")));
        c.add(new Call("personas.resolve userId", "userId", () -> store.personas().resolve(bad, "critic")));
        c.add(new Call("personas.resolve personaId", "personaId", () -> store.personas().resolve("alice", bad)));
        c.add(new Call("personas.list", "scope.userId", () -> store.personas().list(PersonaScope.user(bad))));
        c.add(new Call("personas.listVisibleTo", "userId", () -> store.personas().listVisibleTo(bad)));
        c.add(new Call("personas.delete", "personaId", () -> store.personas().delete(PersonaScope.global(), bad)));
        // credentials
        c.add(new Call("credentials.put userId", "userId", () -> store.credentials().put(bad, "openai", "sk-1")));
        c.add(new Call("credentials.put provider", "provider", () -> store.credentials().put("alice", bad, "sk-1")));
        c.add(new Call("credentials.get", "provider", () -> store.credentials().get("alice", bad)));
        c.add(new Call("credentials.providers", "userId", () -> store.credentials().providers(bad)));
        c.add(new Call("credentials.delete", "userId", () -> store.credentials().delete(bad, "openai")));
        // usage
        c.add(new Call("usage.forUser", "userId", () -> store.usage().forUser(bad)));
        c.add(new Call("usage.forSession userId", "userId", () -> store.usage().forSession(bad, "s1")));
        c.add(new Call("usage.forSession sessionId", "sessionId", () -> store.usage().forSession("alice", bad)));
        c.add(new Call("usage.query", "sessionId", () -> store.usage().query(UsageQuery.forSession("alice", bad))));
        return c;
    }

    private void createFixtureData() {
        user("alice");
        store.sessions().create("alice", NewSession.titled("t").withId("s1"));
        store.messages().append("alice", "s1", NewMessage.user("hello").withId("m"));
        store.panels().create(NewPanel.of("t", List.of("critic")).withId("p1"));
        store.personas().save(PersonaScope.global(), "critic", JsonObject.of("prompt", "p"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chatstore.tck.ErrorContract#invalidIds")
    @DisplayName("§4 Errors: a malformed ID is a ValidationException naming the argument, for every method, and nothing is stored")
    void invalidIds(String bad) {
        createFixtureData();
        String before = exportBody(store);

        assertSoftly(softly -> {
            for (Call call : callsWithId(bad)) {
                softly.assertThatThrownBy(call.call()).as(call.what())
                        .isInstanceOfSatisfying(ValidationException.class,
                                e -> assertThat(e.field()).as(call.what()).isEqualTo(call.field()));
            }
        });

        assertThat(exportBody(store)).isEqualTo(before);
        assertThat(store.users().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("§4 Errors: IDs at the edges of the pattern are accepted (1 and 128 characters, . _ - inside, digits first)")
    void validIdsAccepted() {
        List<String> ids = List.of("a", "Z", "0", "a".repeat(128), "a.b_c-d", "9-._", "A.", "x..y", "chat_session_1");
        for (String id : ids) {
            store.users().create(id);
            store.sessions().create(id, NewSession.titled("t").withId(id));
            store.messages().append(id, id, NewMessage.user("x").withId(id));
            store.personas().save(PersonaScope.user(id), id, JsonObject.empty());
        }

        for (String id : ids) {
            assertThat(store.users().get(id)).isPresent();
            assertThat(store.sessions().get(id, id)).isPresent();
            assertThat(store.messages().getById(id, id, id)).isPresent();
            assertThat(store.personas().find(PersonaScope.user(id), id)).isPresent();
        }
        assertThat(store.users().count()).isEqualTo(ids.size());
    }

    @Test
    @DisplayName("§4 Errors: a null ID or argument is a ValidationException, not a NullPointerException")
    void nullIds() {
        createFixtureData();

        assertThatThrownBy(() -> store.users().get(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.users().create(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.sessions().get("alice", null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.messages().page(null, "s1", 0, 10)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.messages().appendAll("alice", "s1", null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.panels().get(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.users().create("bob", null, JsonObject.empty()))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.users().create("bob", "", null)).isInstanceOf(ValidationException.class);
        assertThat(store.users().get("bob")).isEmpty();
    }

    @Test
    @DisplayName("§4 Errors: ValidationException.field() names the argument at fault")
    void validationFieldNames() {
        createFixtureData();

        assertField("message.content", () -> store.messages().append("alice", "s1", NewMessage.user("a\uD800")));
        assertField("message.role", () -> store.messages().append("alice", "s1", NewMessage.of("wizard", "x")));
        assertField("message.role", () -> store.messages().append("alice", "s1", NewMessage.of("critic", "x")));
        assertField("messages", () -> store.messages().appendAll("alice", "s1", List.of()));
        assertField("message.usage", () -> store.messages().append("alice", "s1",
                NewMessage.assistant("x").withUsage(Usage.of(-1, 0, "0"))));
        assertField("message.usage.currency", () -> store.messages().append("alice", "s1",
                NewMessage.assistant("x").withUsage(new Usage(1, 1, BigDecimal.ONE, "usd"))));
        assertField("message.usage.cost", () -> store.messages().append("alice", "s1",
                NewMessage.assistant("x").withUsage(Usage.of(1, 1, "-0.01"))));
        assertField("seq", () -> store.messages().get("alice", "s1", 0));
        assertField("limit", () -> store.messages().page("alice", "s1", 0, 0));
        assertField("offset", () -> store.messages().page("alice", "s1", -1, 10));
        assertField("afterSeq", () -> store.messages().after("alice", "s1", -1, 10));
        assertField("title", () -> store.sessions().create("alice", "x".repeat(1001)));
        assertField("displayName", () -> store.users().create("bob", "\uDC00", JsonObject.empty()));
        assertField("name", () -> store.documents().save("alice", "s1", "../etc/passwd.txt", "text/plain", new byte[1]));
        assertField("name", () -> store.documents().save("alice", "s1", "..", "text/plain", new byte[1]));
        assertField("name", () -> store.documents().save("alice", "s1", "", "text/plain", new byte[1]));
        assertField("context.confidence", () -> store.contexts().set("alice", "s1",
                new SituationalContext("s", List.of(), Map.of(), 1.5, CONTEXT.capturedAt())));
        assertField("context.confidence", () -> store.contexts().set("alice", "s1",
                new SituationalContext("s", List.of(), Map.of(), Double.NaN, CONTEXT.capturedAt())));
        assertField("secret", () -> store.credentials().put("alice", "openai", ""));
        assertField("type", () -> store.panels().create(NewPanel.of(" ", List.of())));

        assertThat(store.messages().count("alice", "s1")).isEqualTo(1);
        assertThat(store.users().get("bob")).isEmpty();
        assertThat(store.documents().list("alice", "s1")).isEmpty();
        assertThat(store.contexts().current("alice", "s1")).isEmpty();
        assertThat(store.credentials().providers("alice")).isEmpty();
    }

    @Test
    @DisplayName("§4 Errors: an unknown user or session is a NotFoundException")
    void notFound() {
        createFixtureData();

        List<ThrowingCallable> calls = List.of(
                () -> store.sessions().create("ghost", "t"),
                () -> store.users().update("ghost", u -> u),
                () -> store.messages().append("ghost", "s1", NewMessage.user("x")),
                () -> store.messages().append("alice", "nope", NewMessage.user("x")),
                () -> store.messages().get("alice", "nope", 1),
                () -> store.messages().page("alice", "nope", 0, 10),
                () -> store.messages().last("alice", "nope", 10),
                () -> store.messages().count("alice", "nope"),
                () -> store.messages().search("alice", SearchQuery.of("hello").inSession("nope")),
                () -> store.documents().save("alice", "nope", "a.txt", "text/plain", new byte[1]),
                () -> store.documents().list("alice", "nope"),
                () -> store.contexts().set("alice", "nope", CONTEXT),
                () -> store.contexts().history("alice", "nope"),
                () -> store.usage().forSession("alice", "nope"),
                () -> store.sessions().update("alice", "nope", s -> s),
                () -> store.personas().save(PersonaScope.user("ghost"), "critic", JsonObject.empty()),
                () -> store.personas().update(new Persona("nobody", PersonaScope.global(), JsonObject.empty(),
                        Instant.EPOCH, Instant.EPOCH, 1)),
                () -> store.credentials().put("ghost", "openai", "sk-1"),
                () -> store.panels().append("no-panel", NewMessage.user("x")),
                () -> store.panels().saveInsight("no-panel", JsonObject.of("a", 1)));

        assertSoftly(softly -> {
            for (int i = 0; i < calls.size(); i++) {
                softly.assertThatThrownBy(calls.get(i)).as("call #" + i).isInstanceOf(NotFoundException.class);
            }
        });
        assertThat(store.users().get("ghost")).isEmpty();
        assertThat(store.sessions().get("alice", "nope")).isEmpty();
        assertThat(store.panels().get("no-panel")).isEmpty();
    }

    @Test
    @DisplayName("§4 Errors: a duplicate key is a DuplicateKeyException and nothing is written")
    void duplicateKeys() {
        createFixtureData();

        assertThatThrownBy(() -> store.users().create("alice")).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.sessions().create("alice", NewSession.titled("again").withId("s1")))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.messages().append("alice", "s1", NewMessage.user("again").withId("m")))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.messages().appendAll("alice", "s1",
                List.of(NewMessage.user("one").withId("twin"), NewMessage.user("two").withId("twin"))))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.messages().appendAll("alice", "s1",
                List.of(NewMessage.user("new").withId("fresh"), NewMessage.user("old").withId("m"))))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.panels().create(NewPanel.of("t", List.of()).withId("p1")))
                .isInstanceOf(DuplicateKeyException.class);

        assertThat(store.sessions().get("alice", "s1").orElseThrow().title()).isEqualTo("t");
        assertThat(store.messages().count("alice", "s1")).isEqualTo(1);
        assertThat(store.messages().getById("alice", "s1", "fresh")).isEmpty();
        assertThat(store.panels().get("p1").orElseThrow().personas()).containsExactly("critic");
    }

    @Test
    @DisplayName("§4 Errors: every exception type is unchecked and a StorageException")
    void exceptionHierarchy() {
        List<Class<? extends StorageException>> types = List.of(NotFoundException.class, DuplicateKeyException.class,
                ValidationException.class, LimitExceededException.class, OptimisticConflictException.class,
                StorageCorruptionException.class, StorageUnavailableException.class,
                StorageConfigurationException.class, StorageIOException.class);

        assertThat(RuntimeException.class).isAssignableFrom(StorageException.class);
        for (Class<? extends StorageException> type : types) {
            assertThat(StorageException.class).isAssignableFrom(type);
            assertThat(RuntimeException.class).isAssignableFrom(type);
        }
    }

    @Test
    @DisplayName("§4 Errors: what the store throws is a StorageException of the right type")
    void thrownTypes() {
        createFixtureData();
        ChatStore small = open(b -> b.set(dev.chatstore.api.config.Setting.MAX_MESSAGE_BYTES, 4));
        small.users().create("alice");
        Session s = small.sessions().create("alice", "t");
        User stale = store.users().get("alice").orElseThrow();
        store.users().update(stale.withDisplayName("new"));

        assertThatThrownBy(() -> store.users().create("alice")).isInstanceOf(StorageException.class)
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.users().create("a/b")).isInstanceOf(StorageException.class)
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.messages().page("alice", "nope", 0, 1)).isInstanceOf(StorageException.class)
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.users().update(stale)).isInstanceOf(StorageException.class)
                .isInstanceOf(OptimisticConflictException.class);
        assertThatThrownBy(() -> small.messages().append("alice", s.id(), NewMessage.user("12345")))
                .isInstanceOf(StorageException.class).isInstanceOf(LimitExceededException.class);
    }

    @Test
    @DisplayName("§4 Errors: only StorageUnavailableException is retryable")
    void retryable() {
        assertThat(new StorageUnavailableException("connection refused").isRetryable()).isTrue();
        assertThat(new StorageUnavailableException("timeout", new RuntimeException()).isRetryable()).isTrue();

        List<StorageException> others = List.of(new NotFoundException("user", "x"),
                new DuplicateKeyException("user", "x"), new ValidationException("userId", "bad"),
                new LimitExceededException("limits.max-message-bytes", 1, 2),
                new OptimisticConflictException("user", "x", 1, 2),
                new StorageCorruptionException("file", 0, "bad checksum"),
                new StorageConfigurationException("bad key"),
                new StorageIOException("disk full", new java.io.IOException("ENOSPC")));
        for (StorageException e : others) {
            assertThat(e.isRetryable()).as(e.getClass().getSimpleName()).isFalse();
        }
    }

    @Test
    @DisplayName("§4 Errors: errors the store raises in normal use are not retryable")
    void thrownAreNotRetryable() {
        createFixtureData();

        assertThatThrownBy(() -> store.users().create("alice"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isRetryable()).isFalse());
        assertThatThrownBy(() -> store.sessions().get("alice", ".."))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isRetryable()).isFalse());
        assertThatThrownBy(() -> store.messages().count("alice", "nope"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isRetryable()).isFalse());
    }

    @Test
    @DisplayName("§4 Errors: a call on a closed store is a StoreClosedException (never retryable), and closing twice is harmless")
    void closedStore() {
        ChatStore other = open(b -> { });
        other.users().create("alice");
        other.close();
        other.close();

        for (ThrowingCallable call : List.<ThrowingCallable>of(() -> other.users().create("bob"),
                () -> other.users().get("alice"), () -> other.sessions().list("alice"),
                () -> other.messages().search("alice", "anything"), () -> other.exportTo(new java.io.ByteArrayOutputStream()))) {
            assertThatThrownBy(call).isInstanceOfSatisfying(StoreClosedException.class,
                    e -> assertThat(e.isRetryable()).as("retrying a closed store never succeeds").isFalse());
        }
        assertThat(other.health().reachable()).isFalse();
    }

    private static void assertField(String field, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
