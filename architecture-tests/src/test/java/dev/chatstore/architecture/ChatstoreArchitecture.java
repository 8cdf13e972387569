package dev.chatstore.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture of Chatstore (CONTRACT §1, STYLE "Habits") as ArchUnit rules.
 *
 * <p>Every rule is built by a factory that takes the root package, so the very same definition checks the real
 * code ({@link #ROOT}, see {@code ArchitectureTest}) and a tree of deliberately broken fixture classes
 * ({@code dev.chatstore.archfixture}, see {@code ArchitectureRulesCatchViolationsTest}). The constants are the rules
 * applied to the real code.
 *
 * <p>Rules about modules that do not exist yet (the adapters flatfile, jdbc, mongo, redis; migration) allow an
 * empty selection, so they hold vacuously today and bite as soon as those packages appear.
 */
public final class ChatstoreArchitecture {

    /** The root package of all production code. */
    public static final String ROOT = "dev.chatstore";

    /** Adapter packages directly under the root, one per storage module. */
    public static final List<String> TOP_LEVEL_ADAPTERS = List.of("flatfile", "jdbc", "mongo", "redis");

    /** The in-memory adapter (storage-mem). */
    public static final String MEM_ADAPTER = "mem";

    public static final ArchRule API_DEPENDS_ONLY_ON_JDK = apiDependsOnlyOnJdk(ROOT);
    public static final ArchRule API_CORE_DOES_NOT_DEPEND_ON_MEM_ADAPTER = apiCoreDoesNotDependOnMemAdapter(ROOT);
    public static final ArchRule ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER = adaptersDoNotDependOnEachOther(ROOT);
    public static final ArchRule MIGRATION_DEPENDS_ONLY_ON_PORTS = migrationDependsOnlyOnPorts(ROOT);
    public static final ArchRule CLI_DEPENDS_ONLY_ON_PORTS = cliDependsOnlyOnPorts(ROOT);
    public static final ArchRule NO_PACKAGE_CYCLES = noPackageCycles(ROOT);
    public static final ArchRule DOMAIN_MODELS_ARE_RECORDS = domainModelsAreRecords(ROOT);
    public static final ArchRule LIBRARY_DOES_NOT_PRINT = libraryDoesNotPrint(ROOT);
    public static final ArchRule EXCEPTIONS_EXTEND_STORAGE_EXCEPTION = exceptionsExtendStorageException(ROOT);

    private ChatstoreArchitecture() {
    }

    /** Every rule, for the given root package, in a stable order. */
    public static List<ArchRule> all(String root) {
        return List.of(
                apiDependsOnlyOnJdk(root),
                apiCoreDoesNotDependOnMemAdapter(root),
                adaptersDoNotDependOnEachOther(root),
                migrationDependsOnlyOnPorts(root),
                cliDependsOnlyOnPorts(root),
                noPackageCycles(root),
                domainModelsAreRecords(root),
                libraryDoesNotPrint(root),
                exceptionsExtendStorageException(root));
    }

    /** storage-api depends on the JDK ({@code java..}, {@code javax..}) and on itself, nothing else. */
    public static ArchRule apiDependsOnlyOnJdk(String root) {
        return classes().that().resideInAPackage(root + ".api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", root + ".api..")
                .as("storage-api (" + root + ".api..) depends only on the JDK and itself")
                .because("the API's types must depend on no library (CONTRACT §1, §2)");
    }

    /**
     * The API's core (ports, records, service, config, errors) knows no adapter, not even the in-memory one that
     * ships in the same jar: backends are found through {@code ServiceLoader} or handed in explicitly.
     */
    public static ArchRule apiCoreDoesNotDependOnMemAdapter(String root) {
        return noClasses().that().resideInAPackage(root + ".api..")
                .should().dependOnClassesThat().resideInAPackage(root + "." + MEM_ADAPTER + "..")
                .as("the core of storage-api does not depend on the mem adapter (" + root + "." + MEM_ADAPTER + "..)")
                .because("the core must not know any backend; mem is found by URL like every other one");
    }

    /**
     * No adapter depends on another: flatfile, jdbc, mongo, redis and the in-API mem adapter are each a slice, and
     * no slice may use another. Holds vacuously while an adapter package does not exist yet.
     */
    public static ArchRule adaptersDoNotDependOnEachOther(String root) {
        return slices().assignedFrom(adapterSlices(root))
                .should().notDependOnEachOther()
                .allowEmptyShould(true)
                .as("no adapter (" + adapterPackages(root) + ") depends on another adapter")
                .because("each adapter depends on storage-api and its own driver only (CONTRACT §1)");
    }

    /**
     * The {@code chatstore} command uses, of Chatstore, only the API (ports, the ChatStore service, maintenance), the
     * migration engine (itself on ports only) and the benchmark harness: never an adapter's classes, so a new backend
     * needs no change in the CLI.
     */
    public static ArchRule cliDependsOnlyOnPorts(String root) {
        return classes().that().resideInAPackage(root + ".cli..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(root + "..")
                        .or(resideInAnyPackage(root + ".api..", root + ".cli..", root + ".bench..",
                                root + ".migration..")))
                .allowEmptyShould(true)
                .as("storage-cli (" + root + ".cli..) depends on the API's ports only, never on an adapter")
                .because("tools reach check, repair and schema operations through StoreMaintenance (issue: Port v2)");
    }

    /**
     * storage-migration may use, of Chatstore, only the API's ports (storage-api minus the mem adapter) and itself:
     * never an adapter, the TCK or the CLI, so it can move data between any two backends.
     */
    public static ArchRule migrationDependsOnlyOnPorts(String root) {
        return classes().that().resideInAPackage(root + ".migration..")
                .should().onlyDependOnClassesThat(
                        resideOutsideOfPackage(root + "..")
                                .or(resideInAnyPackage(root + ".api..", root + ".migration..")
                                        .and(resideOutsideOfPackage(root + "." + MEM_ADAPTER + ".."))))
                .allowEmptyShould(true)
                .as("storage-migration (" + root + ".migration..) depends on the API's ports only, never on an adapter")
                .because("migration moves data between any two backends through the ports (CONTRACT §1, §7)");
    }

    /** No cycle between any two packages of the code base (each package is its own slice). */
    public static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)")
                .should().beFreeOfCycles()
                .as("packages under " + root + " are free of cycles");
    }

    /** Every public top-level class in the model package is a record (enums and interfaces aside). */
    public static ArchRule domainModelsAreRecords(String root) {
        return classes().that().resideInAPackage(root + ".api.model..")
                .and().arePublic()
                .and().areTopLevelClasses()
                .and().areNotEnums()
                .and().areNotInterfaces()
                .should().beRecords()
                .as("public domain models (" + root + ".api.model..) are records")
                .because("records for domain values (STYLE, Habits)");
    }

    /** The library logs, it never prints: only the CLI may touch {@code System.out}, {@code System.err}. */
    public static ArchRule libraryDoesNotPrint(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackage(root + ".cli..")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .as("no class under " + root + " except the CLI accesses System.out, System.err or printStackTrace")
                .because("the library never prints to stdout; logging goes through SLF4J (STYLE, Habits)");
    }

    /**
     * Every public exception of the library (API and adapters) is a {@code StorageException}, so callers see one
     * unchecked, typed tree. The TCK (assertion failures) and the CLI (exit codes) are not library code.
     */
    public static ArchRule exceptionsExtendStorageException(String root) {
        String storageException = root + ".api.error.StorageException";
        return classes().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(root + ".tck..", root + ".cli..")
                .and().arePublic()
                .and().areAssignableTo(Throwable.class)
                .should().beAssignableTo(storageException)
                .as("public exceptions under " + root + " extend " + storageException)
                .because("errors are unchecked and typed with StorageException at the root (CONTRACT §4)");
    }

    /** The adapter packages under {@code root}, as ArchUnit package patterns. */
    static List<String> adapterPackages(String root) {
        return java.util.stream.Stream.concat(TOP_LEVEL_ADAPTERS.stream(), java.util.stream.Stream.of(MEM_ADAPTER))
                .map(a -> root + "." + a + "..")
                .toList();
    }

    private static SliceAssignment adapterSlices(String root) {
        List<String> patterns = adapterPackages(root);
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                for (String pattern : patterns) {
                    if (resideInAPackage(pattern).test(javaClass)) {
                        return SliceIdentifier.of(pattern.substring(root.length() + 1, pattern.length() - 2));
                    }
                }
                return SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "adapters " + patterns;
            }
        };
    }
}
