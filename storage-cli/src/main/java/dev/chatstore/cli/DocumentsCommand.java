package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import static dev.chatstore.cli.Records.Column.number;
import static dev.chatstore.cli.Records.Column.text;

/** {@code chatstore documents USER SESSION}: the documents of a session, by name, without their bytes. */
@Command(name = "documents", mixinStandardHelpOptions = true,
        description = {"List a session's documents by name: type, size, checksum, analysis (read-only)."})
final class DocumentsCommand extends ReadCommand {

    @Parameters(index = "0", paramLabel = "USER", description = "The user's ID.")
    String userId;

    @Parameters(index = "1", paramLabel = "SESSION", description = "The session's ID.")
    String sessionId;

    @Override
    int read(ChatStore store) {
        requireSession(store, userId, sessionId);
        try (Records out = records("(no documents)", text("NAME"), text("TYPE"), number("BYTES"), text("UPLOADED"),
                text("SHA256"), text("ANALYSIS"))) {
            for (Document d : store.documents().list(userId, sessionId)) {
                out.add(Records.fields("sessionId", d.sessionId(), "name", d.name(), "mimeType", d.mimeType(),
                                "size", d.size(), "sha256", d.sha256(), "uploadedAt", d.uploadedAt(),
                                "analysis", d.analysis(), "metadata", d.metadata()),
                        d.name(), d.mimeType(), d.size(), time(d.uploadedAt()), d.sha256().substring(0, 12) + "...",
                        d.analysis().isEmpty() ? "-" : String.join(", ", d.analysis().members().keySet()));
            }
        }
        return ChatStoreCommand.EXIT_OK;
    }
}
