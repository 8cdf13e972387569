package dev.chatstore.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves that each rule of {@link ChatstoreArchitecture} can fail: the same rule definition, pointed at the fixture
 * tree {@value #FIXTURE_ROOT} (test sources holding one deliberate violation per rule), throws an
 * {@link AssertionError} that names the violating class, while pointed at the real production code it passes.
 * Allowed look-alikes in the fixtures (a record, an enum, the CLI printing, an exception under the root) must not
 * be reported.
 */
class ArchitectureRulesCatchViolationsTest {

    static final String FIXTURE_ROOT = "dev.chatstore.archfixture";

    private static JavaClasses fixtures;
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        fixtures = new ClassFileImporter().importPackages(FIXTURE_ROOT);
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ChatstoreArchitecture.ROOT);
        assertThat(fixtures.contain(FIXTURE_ROOT + ".api.model.NotARecord")).as("fixtures imported").isTrue();
        assertThat(production.contain("dev.chatstore.api.ChatStore")).as("production imported").isTrue();
        assertThat(production.contain(FIXTURE_ROOT + ".api.model.NotARecord")).as("fixtures kept out of production").isFalse();
    }

    @Test
    void apiDependsOnlyOnJdk_catchesApiClassUsingAssertJ() {
        assertCatches(ChatstoreArchitecture::apiDependsOnlyOnJdk,
                List.of(FIXTURE_ROOT + ".api.LeakyPort", "org.assertj.core.api.Assertions"),
                List.of("FixtureMemoryBackend", "NotARecord"));
    }

    @Test
    void apiCoreDoesNotDependOnMemAdapter_catchesApiCoreUsingMemBackend() {
        assertCatches(ChatstoreArchitecture::apiCoreDoesNotDependOnMemAdapter,
                List.of(FIXTURE_ROOT + ".api.CoreUsesMem", FIXTURE_ROOT + ".mem.FixtureMemoryBackend"),
                List.of("LeakyPort"));
    }

    @Test
    void adaptersDoNotDependOnEachOther_catchesJdbcAdapterUsingFlatfileAdapter() {
        assertCatches(ChatstoreArchitecture::adaptersDoNotDependOnEachOther,
                List.of(FIXTURE_ROOT + ".jdbc.JdbcStore", FIXTURE_ROOT + ".flatfile.FlatfileStore"),
                List.of("Backfill", "CoreUsesMem"));
    }

    @Test
    void migrationDependsOnlyOnPorts_catchesMigrationUsingRedisAdapter() {
        assertCatches(ChatstoreArchitecture::migrationDependsOnlyOnPorts,
                List.of(FIXTURE_ROOT + ".migration.Backfill", FIXTURE_ROOT + ".redis.RedisStore"),
                List.of("JdbcStore"));
    }

    @Test
    void cliDependsOnlyOnPorts_catchesCliCommandUsingFlatfileAdapter() {
        assertCatches(ChatstoreArchitecture::cliDependsOnlyOnPorts,
                List.of(FIXTURE_ROOT + ".cli.CheckUsesFlatfile", FIXTURE_ROOT + ".flatfile.FlatfileStore"),
                List.of("Main"));
    }

    @Test
    void noPackageCycles_catchesTwoPackageCycle() {
        assertCatches(ChatstoreArchitecture::noPackageCycles,
                List.of("Cycle detected", FIXTURE_ROOT + ".cycle.alpha.Alpha", FIXTURE_ROOT + ".cycle.beta.Beta"),
                List.of("JdbcStore", "Backfill", "CoreUsesMem"));
    }

    @Test
    void domainModelsAreRecords_catchesPlainClassInModelPackage() {
        assertCatches(ChatstoreArchitecture::domainModelsAreRecords,
                List.of(FIXTURE_ROOT + ".api.model.NotARecord"),
                List.of("FineRecord", "api.model.Kind"));
    }

    @Test
    void libraryDoesNotPrint_catchesAdapterWritingToSystemOut() {
        assertCatches(ChatstoreArchitecture::libraryDoesNotPrint,
                List.of(FIXTURE_ROOT + ".flatfile.ChattyLog", "System.out"),
                List.of(FIXTURE_ROOT + ".cli.Main"));
    }

    @Test
    void exceptionsExtendStorageException_catchesPlainRuntimeException() {
        assertCatches(ChatstoreArchitecture::exceptionsExtendStorageException,
                List.of(FIXTURE_ROOT + ".api.error.RogueException"),
                List.of("FineException"));
    }

    /** Every rule in {@link ChatstoreArchitecture#all} has a fixture that breaks it, and the real code keeps it. */
    @Test
    void everyRuleFailsOnTheFixturesAndPassesOnTheRealCode() {
        List<ArchRule> onFixtures = ChatstoreArchitecture.all(FIXTURE_ROOT);
        List<ArchRule> onProduction = ChatstoreArchitecture.all(ChatstoreArchitecture.ROOT);
        assertThat(onFixtures).hasSize(8);
        for (int i = 0; i < onFixtures.size(); i++) {
            ArchRule fixtureRule = onFixtures.get(i);
            assertThatThrownBy(() -> fixtureRule.check(fixtures))
                    .as("rule '%s' must fail on the fixtures", fixtureRule.getDescription())
                    .isInstanceOf(AssertionError.class);
            ArchRule productionRule = onProduction.get(i);
            assertThatCode(() -> productionRule.check(production))
                    .as("rule '%s' must pass on the real code", productionRule.getDescription())
                    .doesNotThrowAnyException();
        }
    }

    private static void assertCatches(Function<String, ArchRule> rule, List<String> reported, List<String> notReported) {
        assertThatCode(() -> rule.apply(ChatstoreArchitecture.ROOT).check(production))
                .as("the real code keeps the rule")
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> rule.apply(FIXTURE_ROOT).check(fixtures))
                .as("the deliberate violation breaks the rule")
                .isInstanceOf(AssertionError.class)
                .hasMessageContainingAll(reported.toArray(String[]::new))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(notReported));
    }
}
