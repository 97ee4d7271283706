package dev.hydrastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The documentation is true: the generated tables of the README and docs/ equal what the code
 * renders now (commands, settings, heads), {@code run --help} lists every setting, every relative
 * link resolves inside the repository, and the sample config file is a valid settings file.
 */
class DocsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();

  @Test
  void generatedTablesMatchTheCode() throws Exception {
    for (Map.Entry<String, Map<String, String>> f :
        CommandDocs.blocks(Main.commandLine()).entrySet()) {
      String text = Files.readString(ROOT.resolve(f.getKey()));
      for (Map.Entry<String, String> block : f.getValue().entrySet()) {
        assertThat(CommandDocs.apply(text, Map.of(block.getKey(), block.getValue())))
            .as(
                "%s: table '%s' differs from the code; run ./hydrastream docs",
                f.getKey(), block.getKey())
            .isEqualTo(text);
      }
    }
  }

  @Test
  void theCommandTableHasEveryOptionOfEveryCommand() {
    String table = CommandDocs.commandTable(Main.commandLine());
    assertThat(table)
        .contains("./hydrastream demo [--cameras 4] [--fps 5] [--duration DURATION]")
        .contains("[--corrupt-every 0]")
        .contains("./hydrastream infer [--model models/hydranet] [--json]")
        .contains("IMAGE...")
        .contains("./hydrastream dataset --out DIR --count N")
        .contains("[--overwrite]")
        .contains("./hydrastream bench pipeline")
        .doesNotContain("./hydrastream help")
        .doesNotContain("--help");
  }

  @Test
  void runHelpListsEverySetting() {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("run", "--help")).isZero();
    for (String name : Settings.DEF.names()) {
      assertThat(out.toString()).contains("  " + name + " (default: ");
    }
  }

  @Test
  void relativeLinksResolveInsideTheRepository() throws Exception {
    Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      Matcher m = link.matcher(Files.readString(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue; // a web address
        }
        Path resolved = page.getParent().resolve(target).normalize();
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
          broken.add(ROOT.relativize(page) + " -> " + target);
        }
      }
    }
    assertThat(broken).as("links outside the repository or to nothing").isEmpty();
    assertThat(Files.readString(ROOT.resolve("README.md"))).doesNotContain("../shared");
  }

  @Test
  void theSampleConfigIsAValidSettingsFile() {
    Settings s = Settings.load(ROOT.resolve("deploy/hydrastream.properties"), Map.of(), Map.of());
    assertThat(s.getList(Settings.BOOTSTRAP_SERVERS)).isNotEmpty();
    assertThat(s.getString(Settings.TOPIC_PREFIX)).isEqualTo("fleet1.");
  }
}
