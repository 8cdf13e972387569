package dev.chatstore.tck;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The technology compatibility kit: the one suite every backend runs. An adapter's test is a few lines:
 *
 * <pre>{@code
 * class MyBackendTckTest extends ChatStoreTck {
 *     @Override
 *     protected TckFixture fixture() {
 *         return TckFixture.inTempDirectories("chatstore-my-tck", new MyBackendProvider(), dir -> "my:" + dir);
 *     }
 * }
 * }</pre>
 *
 * <p>Each group is a nested class (and an abstract {@code *Contract} class an adapter may also run alone).
 * Tests of the shared semantics carry the line of docs/CONTRACT.md §4 they check in their display name ("§4 ...").
 */
public abstract class ChatStoreTck {

    /** The adapter's fixture; called once per test, and the instance returned both opens and cleans up. */
    protected abstract TckFixture fixture();

    @Nested
    @DisplayName("User")
    class Users extends UserContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Session")
    class Sessions extends SessionContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Message")
    class Messages extends MessageContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Paging")
    class Paging extends PagingContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Ordering")
    class Ordering extends OrderingContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Concurrency")
    class Concurrency extends ConcurrencyContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Search")
    class Search extends SearchContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Unicode")
    class Unicode extends UnicodeContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Limit")
    class Limits extends LimitContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("OptimisticConcurrency")
    class OptimisticConcurrency extends OptimisticConcurrencyContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Isolation")
    class Isolation extends IsolationContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Cascade")
    class Cascade extends CascadeContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("JsonRoundTrip")
    class JsonRoundTrip extends JsonRoundTripContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Usage")
    class UsageTotals extends UsageContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Document")
    class Documents extends DocumentContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Context")
    class Contexts extends ContextContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Panel")
    class Panels extends PanelContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Persona")
    class Personas extends PersonaContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Credential")
    class Credentials extends CredentialContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("ExportImport")
    class ExportImport extends ExportImportContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Health")
    class Health extends HealthContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Error")
    class Errors extends ErrorContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("NothingLostSilently")
    class NothingLostSilently extends NothingLostSilentlyContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }


    @Nested
    @DisplayName("Restore")
    class Restore extends RestoreContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }

    @Nested
    @DisplayName("Keyset scans, code-point orders and live export")
    class KeysetScans extends KeysetScanContract {
        @Override
        protected TckFixture fixture() {
            return ChatStoreTck.this.fixture();
        }
    }
}
