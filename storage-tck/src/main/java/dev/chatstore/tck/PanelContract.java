package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: panels. Multi-persona panels with their own message log (roles: the panel's personas or user,
 * assistant, system, tool; seqs 1, 2, 3, ... per panel) and insights, newest first, purged after
 * {@code panels.insight-retention-days}.
 */
public abstract class PanelContract extends TckSupport {

    private static final List<String> PERSONAS = List.of("analyst", "critic");

    private Panel panel(String id) {
        return store.panels().create(NewPanel.of("multi_persona", PERSONAS).withId(id));
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }

    @Test
    @DisplayName("A panel gets a generated ID panel_YYYYMMDD_HHMMSS_<random> and reads back as created")
    void createWithGeneratedId() {
        JsonObject config = JsonObject.of("rounds", 3, "moderator", true);

        Panel created = store.panels().create(NewPanel.of("focus_group", PERSONAS).withConfig(config));
        Panel another = store.panels().create("focus_group", PERSONAS);

        assertThat(created.id()).matches("panel_\\d{8}_\\d{6}_[0-9a-z]{10}");
        assertThat(another.id()).matches("panel_\\d{8}_\\d{6}_[0-9a-z]{10}").isNotEqualTo(created.id());
        assertThat(created.type()).isEqualTo("focus_group");
        assertThat(created.personas()).containsExactly("analyst", "critic");
        assertThat(created.config()).isEqualTo(config);
        assertThat(created.createdAt()).isEqualTo(created.updatedAt())
                .isEqualTo(created.createdAt().truncatedTo(ChronoUnit.MILLIS))
                .isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
        assertThat(store.panels().get(created.id())).contains(created);
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd").withZone(java.time.ZoneOffset.UTC)
                .format(created.createdAt());
        assertThat(created.id()).startsWith("panel_" + stamp + "_");
    }

    @Test
    @DisplayName("A caller-chosen panel ID is kept; a duplicate is a DuplicateKeyException and changes nothing")
    void duplicateId() {
        Panel first = panel("panel-a");
        store.panels().append("panel-a", NewMessage.user("hello"));

        assertThatThrownBy(() -> store.panels().create(NewPanel.of("other", List.of("x")).withId("panel-a")))
                .isInstanceOf(DuplicateKeyException.class);

        assertThat(store.panels().get("panel-a").orElseThrow().type()).isEqualTo(first.type());
        assertThat(store.panels().messages("panel-a")).hasSize(1);
    }

    @Test
    @DisplayName("Panels list newest first (createdAt descending, then ID) and page; delete removes messages and insights")
    void listAndDelete() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(panel("panel-" + i).id());
        }
        store.panels().append("panel-2", NewMessage.user("doomed message"));
        store.panels().saveInsight("panel-2", JsonObject.of("doomed", "insight"));

        List<Panel> all = store.panels().list(0, 100);
        assertThat(all).extracting(Panel::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(all).isSortedAccordingTo(Comparator.comparing(Panel::createdAt, Comparator.reverseOrder())
                .thenComparing(Panel::id));
        assertThat(store.panels().list(1, 2)).isEqualTo(all.subList(1, 3));
        assertThat(store.panels().list(5, 10)).isEmpty();
        assertThat(store.panels().list(50, 10)).isEmpty();

        assertThat(store.panels().delete("panel-2")).isTrue();

        assertThat(store.panels().get("panel-2")).isEmpty();
        assertThat(store.panels().list(0, 100)).extracting(Panel::id).doesNotContain("panel-2").hasSize(4);
        assertThatThrownBy(() -> store.panels().append("panel-2", NewMessage.user("x"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.panels().saveInsight("panel-2", JsonObject.empty()))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.panels().delete("panel-2")).isFalse();
        assertThat(exportBody(store)).doesNotContain("doomed");

        panel("panel-2");
        assertThat(store.panels().messages("panel-2")).isEmpty();
        assertThat(store.panels().insights("panel-2")).isEmpty();
        assertThat(store.panels().append("panel-2", NewMessage.user("again")).seq()).isEqualTo(1);
    }

    @Test
    @DisplayName("Messages may use the panel's personas or user, assistant, system, tool as role; any other role is a ValidationException")
    void rolesAreChecked() {
        panel("panel-roles");
        List<String> allowed = List.of("analyst", "critic", "user", "assistant", "system", "tool");

        for (String role : allowed) {
            assertThat(store.panels().append("panel-roles", NewMessage.of(role, "as " + role)).role()).isEqualTo(role);
        }
        for (String role : List.of("stranger", "Analyst", "", "USER", "analyst ")) {
            assertThatThrownBy(() -> store.panels().append("panel-roles", NewMessage.of(role, "x"))).as(role)
                    .isInstanceOf(ValidationException.class);
        }
        assertThat(store.panels().messages("panel-roles")).extracting(Message::role).containsExactlyElementsOf(allowed);
        Session s = userWithSession("panel-user");
        assertThatThrownBy(() -> store.messages().append("panel-user", s.id(), NewMessage.of("analyst", "x")))
                .as("persona roles are for panels only").isInstanceOf(ValidationException.class);
    }

    @Test
    @DisplayName("§4 seq: panel seqs start at 1 and are contiguous per panel, independent of other panels and sessions")
    void seqsArePerPanel() {
        panel("panel-a");
        panel("panel-b");
        Session s = userWithSession("panel-user");
        appendMany(s, 4);

        List<Message> a = new ArrayList<>();
        a.add(store.panels().append("panel-a", NewMessage.of("analyst", "panelword one")));
        store.panels().append("panel-b", NewMessage.of("critic", "b1"));
        a.addAll(store.panels().appendAll("panel-a", List.of(NewMessage.of("critic", "a2"), NewMessage.user("a3"))));
        store.messages().append("panel-user", s.id(), NewMessage.user("session 5"));
        a.add(store.panels().append("panel-a", NewMessage.assistant("a4")));

        assertThat(seqs(a)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.panels().messages("panel-a")).isEqualTo(a);
        assertThat(seqs(store.panels().messages("panel-b"))).containsExactly(1L);
        assertThat(store.messages().count("panel-user", s.id())).isEqualTo(5);
        assertThat(a).allSatisfy(m -> assertThat(m.sessionId()).isEqualTo("panel-a"));
        assertThat(store.messages().search("panel-user", "panelword")).as("panel messages are not a user's").isEmpty();
    }

    @Test
    @DisplayName("§4 A batch append to a panel is all-or-nothing")
    void batchAppendIsAtomic() {
        panel("panel-batch");
        store.panels().append("panel-batch", NewMessage.user("first").withId("m-1"));

        assertThatThrownBy(() -> store.panels().appendAll("panel-batch", List.of(NewMessage.of("analyst", "ok"),
                NewMessage.of("stranger", "bad role")))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.panels().appendAll("panel-batch", List.of(NewMessage.of("analyst", "ok"),
                NewMessage.of("critic", "reuses an ID").withId("m-1")))).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.panels().appendAll("panel-batch", List.of(NewMessage.user("x").withId("m-2"),
                NewMessage.user("y").withId("m-2")))).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.panels().appendAll("panel-batch", List.of()))
                .isInstanceOf(ValidationException.class);

        assertThat(store.panels().messages("panel-batch")).extracting(Message::content).containsExactly("first");
        List<Message> batch = store.panels().appendAll("panel-batch", List.of(NewMessage.of("analyst", "two"),
                NewMessage.of("critic", "three").withId("m-3")));
        assertThat(seqs(batch)).containsExactly(2L, 3L);
        assertThat(store.panels().messages("panel-batch")).extracting(Message::id).contains("m-1", "m-3");
    }

    @Test
    @DisplayName("§4 Limits: a panel holds at most limits.max-messages-per-session messages; a batch past it stores nothing")
    void panelMessageLimit() {
        ChatStore small = open(b -> b.set(Setting.MAX_MESSAGES_PER_SESSION, 3));
        small.panels().create(NewPanel.of("t", PERSONAS).withId("panel-small"));
        small.panels().appendAll("panel-small", List.of(NewMessage.user("1"), NewMessage.user("2")));

        assertThatThrownBy(() -> small.panels().appendAll("panel-small", List.of(NewMessage.user("3"),
                NewMessage.user("4")))).isInstanceOf(LimitExceededException.class);

        assertThat(small.panels().messages("panel-small")).hasSize(2);
        assertThat(small.panels().append("panel-small", NewMessage.user("3")).seq()).isEqualTo(3);
        assertThatThrownBy(() -> small.panels().append("panel-small", NewMessage.user("4")))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    @DisplayName("messages(after, limit) pages ascending by seq; past the end is empty")
    void messagesAfter() {
        panel("panel-page");
        for (int i = 1; i <= 7; i++) {
            store.panels().append("panel-page", NewMessage.of(i % 2 == 0 ? "analyst" : "critic", "m" + i));
        }

        assertThat(seqs(store.panels().messages("panel-page", 0, 3))).containsExactly(1L, 2L, 3L);
        assertThat(seqs(store.panels().messages("panel-page", 2, 2))).containsExactly(3L, 4L);
        assertThat(seqs(store.panels().messages("panel-page", 5, 100))).containsExactly(6L, 7L);
        assertThat(store.panels().messages("panel-page", 7, 10)).isEmpty();
        assertThat(store.panels().messages("panel-page", 1000, 10)).isEmpty();
        assertThat(seqs(store.panels().messages("panel-page"))).hasSize(7);
        assertThatThrownBy(() -> store.panels().messages("panel-page", -1, 10)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.panels().messages("panel-page", 0, 0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.panels().messages("no-such-panel", 0, 10)).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("Panel messages keep content, metadata, usage and timestamps; updatedAt follows the newest message")
    void messageFieldsAndUpdatedAt() {
        Panel p = panel("panel-fields");
        Instant later = p.createdAt().plus(Duration.ofHours(1));
        NewMessage m = NewMessage.of("analyst", "Ünïcödé 🎉 \u0000 analysis").withId("msg-1").withCreatedAt(later)
                .withMetadata(JsonObject.of("round", 1)).withModel("gpt-4o").withProvider("openai")
                .withUsage(dev.chatstore.api.model.Usage.of(3, 4, "0.0070"));

        Message stored = store.panels().append(p.id(), m);

        assertThat(stored.id()).isEqualTo("msg-1");
        assertThat(stored.createdAt()).isEqualTo(later);
        assertThat(stored.usage().orElseThrow().cost()).isEqualTo(new java.math.BigDecimal("0.007"));
        assertThat(store.panels().messages(p.id())).containsExactly(stored);
        assertThat(store.panels().get(p.id()).orElseThrow().updatedAt()).isEqualTo(later);
        assertThat(store.panels().get(p.id()).orElseThrow().createdAt()).isEqualTo(p.createdAt());
    }

    @Test
    @DisplayName("Insights are saved with generated IDs and listed newest first, their content intact")
    void insights() {
        panel("panel-insights");
        panel("panel-other");
        List<Insight> saved = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            saved.add(store.panels().saveInsight("panel-insights", JsonObject.of("n", i, "text", "insight " + i)));
        }
        store.panels().saveInsight("panel-other", JsonObject.of("elsewhere", true));

        List<Insight> listed = store.panels().insights("panel-insights");

        assertThat(listed).containsExactlyInAnyOrderElementsOf(saved);
        assertThat(listed).isSortedAccordingTo(Comparator.comparing(Insight::createdAt, Comparator.reverseOrder())
                .thenComparing(Insight::id, Comparator.reverseOrder()));
        assertThat(saved).allSatisfy(i -> {
            assertThat(i.id()).matches("insight_\\d{8}_\\d{6}_[0-9a-z]{10}");
            assertThat(i.panelId()).isEqualTo("panel-insights");
            assertThat(i.createdAt()).isEqualTo(i.createdAt().truncatedTo(ChronoUnit.MILLIS));
        });
        assertThat(saved).extracting(Insight::id).doesNotHaveDuplicates();
        assertThat(store.panels().insights("panel-insights", 2)).isEqualTo(listed.subList(0, 2));
        assertThat(store.panels().insights("panel-other")).hasSize(1);
        assertThatThrownBy(() -> store.panels().saveInsight("no-such-panel", JsonObject.empty()))
                .isInstanceOf(NotFoundException.class);
    }

    private static String insightRecord(String panelId, String id, Instant createdAt, String text) {
        return JsonObject.of("type", "insight", "panelId", panelId, "id", id, "createdAt", createdAt.toString(),
                "content", JsonObject.of("text", text)).toJson();
    }

    @Test
    @DisplayName("purgeExpiredInsights removes insights older than panels.insight-retention-days and keeps the rest")
    void purgeExpiredInsights() {
        ChatStore s = open(b -> b.set(Setting.INSIGHT_RETENTION_DAYS, 30));
        Panel p = s.panels().create(NewPanel.of("t", PERSONAS).withId("panel-purge"));
        s.panels().create(NewPanel.of("t", PERSONAS).withId("panel-purge-2"));
        Insight fresh = s.panels().saveInsight(p.id(), JsonObject.of("text", "fresh"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String aged = String.join("\n",
                "{\"type\":\"header\",\"format\":\"chatstore-export\",\"version\":1,\"exportedAt\":\"" + now + "\"}",
                insightRecord(p.id(), "insight-old", now.minus(Duration.ofDays(400)), "very old"),
                insightRecord(p.id(), "insight-expired", now.minus(Duration.ofDays(31)), "expired"),
                insightRecord(p.id(), "insight-recent", now.minus(Duration.ofDays(29)), "recent"),
                insightRecord("panel-purge-2", "insight-other-old", now.minus(Duration.ofDays(90)), "other panel")) + "\n";
        ExportImportContract.importText(s, aged);
        assertThat(s.panels().insights(p.id())).hasSize(4);

        assertThat(s.panels().purgeExpiredInsights()).isEqualTo(3);

        assertThat(s.panels().insights(p.id())).extracting(Insight::id)
                .containsExactly(fresh.id(), "insight-recent");
        assertThat(s.panels().insights("panel-purge-2")).isEmpty();
        assertThat(s.panels().purgeExpiredInsights()).as("purging again").isZero();
        assertThat(s.panels().get(p.id())).as("the panel itself stays").isPresent();
    }

    @Test
    @DisplayName("purgeExpiredInsights keeps fresh insights with the default retention")
    void purgeKeepsFreshInsights() {
        panel("panel-fresh");
        store.panels().saveInsight("panel-fresh", JsonObject.of("a", 1));
        store.panels().saveInsight("panel-fresh", JsonObject.of("b", 2));

        assertThat(store.panels().purgeExpiredInsights()).isZero();
        assertThat(store.panels().insights("panel-fresh")).hasSize(2);
    }

    @Test
    @DisplayName("§4 Limits: a panel has at most limits.max-personas-per-panel personas (10 by default)")
    void personaLimit() {
        List<String> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add("persona-" + i);
        }
        List<String> eleven = new ArrayList<>(ten);
        eleven.add("persona-11");

        assertThat(store.panels().create("big", ten).personas()).hasSize(10);
        assertThatThrownBy(() -> store.panels().create(NewPanel.of("too-big", eleven).withId("panel-too-big")))
                .isInstanceOf(LimitExceededException.class);
        assertThat(store.panels().get("panel-too-big")).isEmpty();

        ChatStore two = open(b -> b.set(Setting.MAX_PERSONAS_PER_PANEL, 2));
        assertThat(two.panels().create("pair", List.of("a", "b")).personas()).containsExactly("a", "b");
        assertThatThrownBy(() -> two.panels().create("trio", List.of("a", "b", "c")))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    @DisplayName("Malformed panels (duplicate or invalid persona IDs, blank type, invalid ID) are a ValidationException")
    void malformedPanels() {
        assertThatThrownBy(() -> store.panels().create("t", List.of("analyst", "analyst")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.panels().create("t", List.of("not a valid id")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.panels().create(" ", PERSONAS)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.panels().create(NewPanel.of("t", PERSONAS).withId("../panel")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.panels().get("bad/id")).isInstanceOf(ValidationException.class);
        assertThat(store.panels().list(0, 10)).isEmpty();
    }
}
