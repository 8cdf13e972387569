package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;

import java.util.List;

/**
 * How many records of each kind a store holds, counted through the public API page by page: session messages
 * from each session's counter, panel messages by reading the panels' logs.
 *
 * @param users         users
 * @param sessions      sessions of all users
 * @param messages      messages of all sessions
 * @param panelMessages messages of all panels
 * @param documents     documents of all sessions
 * @param panels        panels
 * @param personas      personas, global and per user
 * @param credentials   stored credentials
 */
record StoreCounts(long users, long sessions, long messages, long panelMessages, long documents, long panels,
                   long personas, long credentials) {

    private static final int PAGE = 1000;

    static StoreCounts of(ChatStore store) {
        int page = Math.min(PAGE, store.config().maxPageLimit());
        long users = 0;
        long sessions = 0;
        long messages = 0;
        long documents = 0;
        long personas = store.personas().list(PersonaScope.global()).size();
        long credentials = 0;
        for (int offset = 0; ; offset += page) {
            List<User> batch = store.users().list(offset, page);
            for (User user : batch) {
                users++;
                personas += store.personas().list(PersonaScope.user(user.id())).size();
                credentials += store.credentials().providers(user.id()).size();
                for (int sessionOffset = 0; ; sessionOffset += page) {
                    List<Session> owned = store.sessions().list(user.id(), sessionOffset, page);
                    for (Session session : owned) {
                        sessions++;
                        messages += session.messageCount();
                        documents += store.documents().list(user.id(), session.id()).size();
                    }
                    if (owned.size() < page) {
                        break;
                    }
                }
            }
            if (batch.size() < page) {
                break;
            }
        }
        long panels = 0;
        long panelMessages = 0;
        for (int offset = 0; ; offset += page) {
            List<Panel> batch = store.panels().list(offset, page);
            for (Panel panel : batch) {
                panels++;
                long afterSeq = 0;
                while (true) {
                    List<Message> log = store.panels().messages(panel.id(), afterSeq, page);
                    panelMessages += log.size();
                    if (log.size() < page) {
                        break;
                    }
                    afterSeq = log.get(log.size() - 1).seq();
                }
            }
            if (batch.size() < page) {
                break;
            }
        }
        return new StoreCounts(users, sessions, messages, panelMessages, documents, panels, personas, credentials);
    }

    /** The counts as a JSON object, named as {@link #table()} names them, in camel case. */
    dev.chatstore.api.json.JsonObject json() {
        return Records.fields("users", users, "sessions", sessions, "messages", messages,
                "panelMessages", panelMessages, "documents", documents, "panels", panels, "personas", personas,
                "credentials", credentials);
    }

    /** Label and count, in display order. */
    TextTable table() {
        return new TextTable(false, true)
                .row("users", users)
                .row("sessions", sessions)
                .row("messages", messages)
                .row("panel messages", panelMessages)
                .row("documents", documents)
                .row("panels", panels)
                .row("personas", personas)
                .row("credentials", credentials);
    }
}
