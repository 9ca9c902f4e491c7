package dev.outbound.workflows;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Workflow code must replay to the same commands: no I/O, clocks, randomness or threads of its own
 * (temporal-workflowcheck is not published for our Temporal version, so these rules stand in for it
 * on the bytecode of the workflow implementations and of the package-private classes that hold
 * parts of them, such as {@link LeadSequenceWaits}).
 */
class DeterminismRulesTest {

  private static final JavaClasses WORKFLOWS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.outbound.workflows");

  /** Workflow implementations, and the package-private classes their code was moved into. */
  private static final DescribedPredicate<JavaClass> WORKFLOW_CODE =
      DescribedPredicate.describe(
          "workflow code (a *WorkflowImpl or a package-private class of dev.outbound.workflows)",
          type ->
              type.getSimpleName().endsWith("WorkflowImpl")
                  || (type.getPackageName().equals("dev.outbound.workflows")
                      && !type.getModifiers().contains(JavaModifier.PUBLIC)));

  @Test
  void workflowImplementationsUseWorkflowTimeOnly() {
    ArchRule rule =
        noClasses()
            .that(WORKFLOW_CODE)
            .should()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(System.class, "nanoTime")
            .orShould()
            .callMethodWhere(
                com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                    com.tngtech.archunit.base.DescribedPredicate.describe(
                        "a static now() of java.time",
                        target ->
                            target.getName().equals("now")
                                && target.getOwner().getPackageName().equals("java.time"))))
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.time.Clock");
    rule.check(WORKFLOWS);
  }

  @Test
  void workflowImplementationsHaveNoRandomnessThreadsOrIo() {
    ArchRule rule =
        noClasses()
            .that(WORKFLOW_CODE)
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.util.Random")
            .orShould()
            .callMethod(Math.class, "random")
            .orShould()
            .callMethod(java.util.UUID.class, "randomUUID")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.lang.Thread")
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "java.io..", "java.net..", "java.nio..", "java.util.concurrent..", "java.sql..");
    rule.check(WORKFLOWS);
  }

  @Test
  void workflowImplementationsIterateNoHashOrderedCollections() {
    ArchRule rule =
        noClasses()
            .that(WORKFLOW_CODE)
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.util.HashMap")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.util.HashSet");
    rule.check(WORKFLOWS);
  }
}
