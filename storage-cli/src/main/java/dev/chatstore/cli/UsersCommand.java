package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.User;
import picocli.CommandLine.Command;

import java.util.List;

import static dev.chatstore.cli.Records.Column.text;

/** {@code chatstore users}: every user of the store, by ID. Read-only. */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = {"List the store's users by ID (read-only: the store is never created or changed)."})
final class UsersCommand extends ReadCommand {

    @Override
    int read(ChatStore store) {
        int page = page(store);
        try (Records out = records("(no users)", text("ID"), text("NAME"), text("CREATED"), text("UPDATED"))) {
            for (int offset = 0; ; offset += page) {
                List<User> batch = store.users().list(offset, page);
                for (User u : batch) {
                    out.add(Records.fields("id", u.id(), "displayName", u.displayName(), "profile", u.profile(),
                                    "createdAt", u.createdAt(), "updatedAt", u.updatedAt(), "version", u.version()),
                            u.id(), u.displayName(), time(u.createdAt()), time(u.updatedAt()));
                }
                if (batch.size() < page) {
                    break;
                }
            }
        }
        return ChatStoreCommand.EXIT_OK;
    }
}
