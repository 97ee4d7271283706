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
 * The documentation is true: the generated tables of docs/ equal what the code renders now
 * (commands, settings, heads) and no page holds a generated block the generator does not know,
 * {@code run --help} lists every setting, the README stays a short way in (at most {@value
 * #README_MAX_LINES} lines, the two commands, every page of docs/ listed), every relative link and
 * its anchor resolve inside the repository, and the sample config file is a valid settings file.
 */
class DocsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();

  /** The README is the way in; everything longer has its page under docs/. */
  static final int README_MAX_LINES = 250;

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
  void everyGeneratedBlockInTheDocsIsOneTheGeneratorWrites() throws Exception {
    Map<String, Map<String, String>> blocks = CommandDocs.blocks(Main.commandLine());
    Pattern marker = Pattern.compile("<!-- (?:end )?generated: ([\\w-]+)");
    List<String> unknown = new ArrayList<>();
    for (Path page : pages()) {
      String name = ROOT.relativize(page).toString().replace('\\', '/');
      Matcher m = marker.matcher(Files.readString(page));
      while (m.find()) {
        if (!blocks.getOrDefault(name, Map.of()).containsKey(m.group(1))) {
          unknown.add(name + ": " + m.group(1));
        }
      }
    }
    assertThat(unknown)
        .as("generated blocks that ./hydrastream docs does not rewrite (they would drift)")
        .isEmpty();
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
  void theReadmeIsAShortWayIn() throws Exception {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    assertThat(lines.size())
        .as("README.md lines (at most %d: move the rest to a page under docs/)", README_MAX_LINES)
        .isLessThanOrEqualTo(README_MAX_LINES);
    String readme = String.join("\n", lines);
    // The two commands, the test command exactly as .ci/run runs it (with -ntp there).
    assertThat(readme)
        .contains("## The two commands")
        .contains("\n./hydrastream demo --duration 60s --cameras 4 --fps 5 ")
        .contains("\nmvn -B verify ");
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("\nmvn -B -ntp verify\n");
    assertThat(readme).contains("## Run against your cluster").contains("run --config");
  }

  @Test
  void everyPageOfDocsIsListedInTheReadmeAndTheDocsIndex() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String index = Files.readString(ROOT.resolve("docs/README.md"));
    List<String> missing = new ArrayList<>();
    for (Path page : pages()) {
      String name = page.getFileName().toString();
      if (page.getParent().equals(ROOT) || name.equals("README.md")) {
        continue;
      }
      if (!readme.contains("](docs/" + name + ")")) {
        missing.add("README.md: docs/" + name);
      }
      if (!index.contains("](" + name + ")")) {
        missing.add("docs/README.md: " + name);
      }
    }
    assertThat(missing).as("pages of docs/ not listed").isEmpty();
  }

  @Test
  void relativeLinksResolveInsideTheRepository() throws Exception {
    Pattern link = Pattern.compile("\\]\\(([^)\\s]*)\\)");
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      Matcher m = link.matcher(Files.readString(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue; // a web address
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
          broken.add(ROOT.relativize(page) + " -> " + target);
        } else if (hash >= 0
            && resolved.toString().endsWith(".md")
            && !anchors(resolved).contains(target.substring(hash + 1))) {
          broken.add(ROOT.relativize(page) + " -> " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).as("links outside the repository, to nothing or to no heading").isEmpty();
    assertThat(Files.readString(ROOT.resolve("README.md"))).doesNotContain("../shared");
  }

  @Test
  void anchorsAreTheSlugsGitHubGivesHeadings() {
    assertThat(slug("The default model (`models/hydranet`, 3.8 MB)"))
        .isEqualTo("the-default-model-modelshydranet-38-mb");
    assertThat(slug("2026-11-27: the benches, run twice"))
        .isEqualTo("2026-11-27-the-benches-run-twice");
    assertThat(slug("Where a frame's time goes, and what it costs"))
        .isEqualTo("where-a-frames-time-goes-and-what-it-costs");
  }

  /** README.md and the Markdown pages of docs/. */
  private static List<Path> pages() throws Exception {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** The anchors GitHub gives the headings of a Markdown page (outside code blocks). */
  private static List<String> anchors(Path page) throws Exception {
    List<String> anchors = new ArrayList<>();
    boolean code = false;
    for (String line : Files.readAllLines(page)) {
      if (line.startsWith("```")) {
        code = !code;
      } else if (!code && line.matches("#{1,6} .*")) {
        String s = slug(line.replaceFirst("#+ ", ""));
        String unique = s;
        for (int n = 1; anchors.contains(unique); n++) {
          unique = s + "-" + n;
        }
        anchors.add(unique);
      }
    }
    return anchors;
  }

  /** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    return heading
        .strip()
        .toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
        .replace(' ', '-');
  }

  @Test
  void theSampleConfigIsAValidSettingsFile() {
    Settings s = Settings.load(ROOT.resolve("deploy/hydrastream.properties"), Map.of(), Map.of());
    assertThat(s.getList(Settings.BOOTSTRAP_SERVERS)).isNotEmpty();
    assertThat(s.getString(Settings.TOPIC_PREFIX)).isEqualTo("fleet1.");
  }
}
