package io.alphaflow.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module and package rules of DESIGN.md and STYLE.md, checked on the compiled classes. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.alphaflow");

  @Test
  void coreKnowsNoDatabaseHttpOrCli() {
    noClasses()
        .that()
        .resideInAPackage("io.alphaflow.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "io.alphaflow.store..",
            "io.alphaflow.cli..",
            "picocli..",
            "ch.qos.logback..",
            "org.flywaydb..",
            "org.sqlite..",
            "java.net.http..")
        .check(CLASSES);
  }

  @Test
  void quantTasksKnowNoStoreAndNoCli() {
    noClasses()
        .that()
        .resideInAPackage("io.alphaflow.quant..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.alphaflow.store..", "io.alphaflow.cli..", "picocli..")
        .check(CLASSES);
  }

  @Test
  void storesDoNotDependOnTheCli() {
    noClasses()
        .that()
        .resideInAPackage("io.alphaflow.store..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.alphaflow.cli..")
        .check(CLASSES);
  }

  @Test
  void internalPackagesAreUsedOnlyByTheirOwnFeature() {
    for (String feature : new String[] {"io.alphaflow.core.flow", "io.alphaflow.core.execution"}) {
      noClasses()
          .that()
          .resideOutsideOfPackage(feature + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(feature + ".internal..")
          .check(CLASSES);
    }
  }

  @Test
  void onlyTheCliHasCommandClasses() {
    classes()
        .that()
        .haveSimpleNameEndingWith("Command")
        .should()
        .resideInAPackage("io.alphaflow.cli..")
        .check(CLASSES);
  }
}
