package dev.outbound.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md, "Modules": the API uses workflow interfaces and records only, never
 * implementations.
 */
class ModuleBoundariesTest {

  private static final JavaClasses API =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.outbound.api");

  @Test
  void theApiNeverReachesWorkflowImplementations() {
    noClasses()
        .that()
        .resideInAPackage("dev.outbound.api..")
        .should()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Impl")
        .check(API);
  }

  @Test
  void theApiNeverReachesActivitiesOrTheWorker() {
    noClasses()
        .that()
        .resideInAPackage("dev.outbound.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.outbound.activities..", "dev.outbound.worker..")
        .check(API);
  }
}
