package dev.hydrastream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package rules of DESIGN.md, enforced. Layers, top to bottom: tools ({@code cli}, {@code
 * demo}, {@code bench}, {@code kafka}); the service side ({@code web} → {@code streams} → {@code
 * tracking}, {@code telemetry}, {@code metrics} → {@code inference}) and the training side ({@code
 * model} → {@code eval} → {@code data}, {@code sim}, {@code camera}); the ground floor ({@code
 * wire}, {@code frame}, {@code runtime}, {@code spec}, {@code config}, {@code util}, {@code
 * schema}). Cycles are looked for between packages at every depth ({@code streams.perception} and
 * {@code streams.events} are two slices, and so are {@code data} and {@code data.render}).
 */
class ArchitectureTest {

  static final String ROOT = "dev.hydrastream";

  static final String[] SERVICE =
      pkgs("web", "streams", "tracking", "telemetry", "metrics", "inference");
  static final String[] TRAINING = pkgs("model", "eval", "data", "sim", "camera");
  static final String[] TOOLS = pkgs("cli", "demo", "bench", "kafka");
  static final String[] GROUND =
      pkgs("wire", "frame", "runtime", "spec", "config", "util", "schema");

  private static JavaClasses main;

  @BeforeAll
  static void importMain() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  /** A rule and test-only classes that break it (proof that the rule can fail). */
  record Rule(ArchRule rule, Class<?>... breakers) {
    @Override
    public String toString() {
      return rule.getDescription();
    }
  }

  static Stream<Rule> rules() {
    return Stream.of(
        new Rule(
            noCycles().as("no cycles between packages"),
            dev.hydrastream.frame.ArchFixtureCycle.class,
            dev.hydrastream.config.ArchFixtureCycle.class),
        new Rule(
            noCycles().as("no cycles between sub-packages of one package"),
            dev.hydrastream.data.labels.ArchFixtureCycle.class,
            dev.hydrastream.data.render.ArchFixtureCycle.class),
        new Rule(
            noClasses()
                .that()
                .resideInAPackage(ROOT + ".wire..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(allBut("wire", "spec", "schema", "util"))
                .as("the wire format (wire) imports nothing of ours but spec, schema and util"),
            forName("dev.hydrastream.wire.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideInAPackage(ROOT + ".spec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(allBut("spec"))
                .as("the vocabulary (spec) imports no other package of ours"),
            forName("dev.hydrastream.spec.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideInAnyPackage(SERVICE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(TRAINING, TOOLS))
                .as(
                    "the service side never imports the training side, the demo, the benches,"
                        + " the embedded broker or the CLI"),
            forName("dev.hydrastream.streams.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".cli..")
                .as("nothing imports the CLI"),
            forName("dev.hydrastream.data.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideOutsideOfPackages(pkgs("kafka", "demo", "bench", "cli"))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".kafka..")
                .as("the embedded broker is used only by demo, bench (and tests)"),
            forName("dev.hydrastream.model.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideInAnyPackage(GROUND)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(SERVICE, TRAINING, TOOLS))
                .as("the ground floor imports nothing above it"),
            forName("dev.hydrastream.util.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideInAPackage(ROOT + ".runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(pkgs("inference", "model"))
                .as("the native runtime imports neither serving nor training"),
            forName("dev.hydrastream.runtime.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideInAPackage(ROOT + ".inference..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(pkgs("web", "streams", "tracking", "telemetry", "metrics"))
                .as("inference is the bottom of the service side"),
            forName("dev.hydrastream.inference.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideInAnyPackage(pkgs("tracking", "telemetry", "metrics"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(pkgs("web", "streams"))
                .allowEmptyShould(true)
                .as("tracking, telemetry and metrics know no Kafka topology"),
            forName("dev.hydrastream.metrics.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideInAPackage(ROOT + ".streams..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".web..")
                .as("streams does not import the web layer"),
            forName("dev.hydrastream.streams.ArchFixtureWeb")),
        new Rule(
            noClasses()
                .that()
                .resideInAnyPackage(
                    pkgs(
                        "streams.events",
                        "streams.tracking",
                        "streams.dashboard",
                        "streams.timing",
                        "streams.topics"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                    ROOT + ".streams", ROOT + ".streams.perception..", ROOT + ".streams.admin..")
                .as(
                    "the lower streams sub-packages (events, tracking, dashboard, timing, topics)"
                        + " import neither perception, admin nor the service"),
            forName("dev.hydrastream.streams.topics.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideInAnyPackage(pkgs("data", "sim", "camera"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(pkgs("model", "eval"))
                .as("data, sim and camera are the bottom of the training side"),
            forName("dev.hydrastream.sim.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .resideInAPackage(ROOT + ".eval..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".model..")
                .as("eval does not import the trainer"),
            forName("dev.hydrastream.eval.ArchFixture")),
        new Rule(
            noClasses()
                .that()
                .doNotHaveFullyQualifiedName(ROOT + ".frame.FrameDecoder")
                .should()
                .callMethodWhere(nativeImageDecoding())
                .as(
                    "only FrameDecoder calls OpenCV's image decoders (and it decodes nothing but"
                        + " what FrameValidator accepted)"),
            forName("dev.hydrastream.frame.ArchFixtureDecode")));
  }

  /** Every package is its own slice, so a cycle between sub-packages fails too. */
  static ArchRule noCycles() {
    return slices().matching(ROOT + ".(**)").should().beFreeOfCycles();
  }

  /** Calls of OpenCV's decoders (imdecode, imread and their multi-image variants). */
  static DescribedPredicate<JavaMethodCall> nativeImageDecoding() {
    return DescribedPredicate.describe(
        "OpenCV image decoding",
        call ->
            call.getTargetOwner().getName().equals("org.bytedeco.opencv.global.opencv_imgcodecs")
                && call.getName().matches("imdecode.*|imread.*|imcount"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void holds(Rule r) {
    EvaluationResult result = r.rule().evaluate(main);
    assertThat(result.getFailureReport().getDetails()).as(r.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void failsWhenBroken(Rule r) {
    JavaClasses broken = new ClassFileImporter().importClasses(r.breakers());
    EvaluationResult result = r.rule().evaluate(broken);
    assertThat(result.hasViolation()).as("a class breaking '" + r + "' is caught").isTrue();
  }

  /** Tests that start a broker are integration tests ({@code *IT}, run by failsafe). */
  @Test
  void brokerStartingTestsAreNamedIT() {
    JavaClasses tests =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .importPackages(ROOT);
    ArchRule rule =
        noClasses()
            .that()
            .haveSimpleNameEndingWith("Test")
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName(ROOT + ".testing.KafkaCluster")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName(ROOT + ".testing.KafkaClusterExtension")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName(ROOT + ".kafka.EmbeddedKafka")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.apache.kafka.common.test.KafkaClusterTestKit")
            .as("tests that start a broker are named *IT");
    assertThat(rule.evaluate(tests).getFailureReport().getDetails()).isEmpty();
  }

  static Class<?> forName(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  static String[] pkgs(String... names) {
    return Stream.of(names).map(n -> ROOT + "." + n + "..").toArray(String[]::new);
  }

  static String[] allBut(String... own) {
    List<String> all =
        List.of(
            "web",
            "streams",
            "tracking",
            "telemetry",
            "metrics",
            "inference",
            "model",
            "eval",
            "data",
            "sim",
            "camera",
            "cli",
            "demo",
            "bench",
            "kafka",
            "frame",
            "runtime",
            "spec",
            "config",
            "util",
            "schema",
            "wire");
    List<String> kept = List.of(own);
    return pkgs(all.stream().filter(p -> !kept.contains(p)).toArray(String[]::new));
  }

  static String[] concat(String[]... groups) {
    return Stream.of(groups).flatMap(Stream::of).toArray(String[]::new);
  }
}
