package dev.chatstore.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@link ChatstoreArchitecture}'s rules against the production classes of every module on the test class
 * path (storage-api, storage-tck, storage-cli); test classes, including the violation fixtures, are not imported.
 */
@AnalyzeClasses(packages = ChatstoreArchitecture.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule apiDependsOnlyOnJdk = ChatstoreArchitecture.API_DEPENDS_ONLY_ON_JDK;

    @ArchTest
    static final ArchRule apiCoreDoesNotDependOnMemAdapter = ChatstoreArchitecture.API_CORE_DOES_NOT_DEPEND_ON_MEM_ADAPTER;

    @ArchTest
    static final ArchRule adaptersDoNotDependOnEachOther = ChatstoreArchitecture.ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER;

    @ArchTest
    static final ArchRule migrationDependsOnlyOnPorts = ChatstoreArchitecture.MIGRATION_DEPENDS_ONLY_ON_PORTS;

    @ArchTest
    static final ArchRule cliDependsOnlyOnPorts = ChatstoreArchitecture.CLI_DEPENDS_ONLY_ON_PORTS;

    @ArchTest
    static final ArchRule noPackageCycles = ChatstoreArchitecture.NO_PACKAGE_CYCLES;

    @ArchTest
    static final ArchRule domainModelsAreRecords = ChatstoreArchitecture.DOMAIN_MODELS_ARE_RECORDS;

    @ArchTest
    static final ArchRule libraryDoesNotPrint = ChatstoreArchitecture.LIBRARY_DOES_NOT_PRINT;

    @ArchTest
    static final ArchRule exceptionsExtendStorageException = ChatstoreArchitecture.EXCEPTIONS_EXTEND_STORAGE_EXCEPTION;

    /** Guards against a vacuous pass: the import must hold each module's production classes and no test class. */
    @ArchTest
    static void importsTheProductionClassesOfEveryModule(JavaClasses classes) {
        assertThat(classes.contain("dev.chatstore.api.ChatStore")).as("storage-api imported").isTrue();
        assertThat(classes.contain("dev.chatstore.mem.MemoryBackend")).as("mem adapter imported").isTrue();
        assertThat(classes.contain("dev.chatstore.tck.ChatStoreTck")).as("storage-tck imported").isTrue();
        assertThat(classes.contain("dev.chatstore.cli.ChatStoreCommand")).as("storage-cli imported").isTrue();
        assertThat(classes.stream().map(c -> c.getPackageName()))
                .as("no fixture or test class imported")
                .noneMatch(p -> p.startsWith(ArchitectureRulesCatchViolationsTest.FIXTURE_ROOT)
                        || p.startsWith("dev.chatstore.architecture"));
    }
}
