package dev.outbound.vocabulary;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module boundary of the vocabulary: plain Java that the workflows may use, so no framework, no
 * database, no mail, no Temporal, and none of the modules that build on it.
 */
class PlainJavaTest {

  private static final JavaClasses VOCABULARY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.outbound.vocabulary");

  @Test
  void theVocabularyUsesNoFrameworkDatabaseMailOrTemporal() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "java.sql..",
            "javax.sql..",
            "jakarta.mail..",
            "io.temporal..",
            "org.slf4j..")
        .check(VOCABULARY);
  }

  @Test
  void theVocabularyKnowsNoOtherModule() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.outbound.workflows..",
            "dev.outbound.crm..",
            "dev.outbound.activities..",
            "dev.outbound.api..",
            "dev.outbound.worker..",
            "dev.outbound.launcher..")
        .check(VOCABULARY);
  }
}
