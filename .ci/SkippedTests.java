import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints one line at the end of {@code mvn verify} naming the tests this build skipped and why, and
 * the command that installs the Debian packages they need ({@code .ci/test-packages}, the list
 * {@code .ci/run} installs). Reads the surefire and failsafe XML reports this build wrote; never
 * fails the build.
 *
 * <p>Run by the pom (exec-maven-plugin) as a single-file program: {@code java
 * .ci/SkippedTests.java BUILD_START_UTC REPORT_DIR...}.
 */
public class SkippedTests {

  public static void main(String[] args) {
    try {
      String line = report(args);
      if (line != null) {
        System.out.println(line);
      }
    } catch (Exception | LinkageError e) {
      System.out.println("[hydrastream] skipped-tests report unavailable: " + e);
    }
  }

  static String report(String[] args) throws Exception {
    // Reports older than this build (a test class not run this time) are left out; the build
    // timestamp has whole seconds.
    Instant start = Instant.parse(args[0]).minusSeconds(1);
    Map<String, Set<String>> byReason = new TreeMap<>();
    int skipped = 0;
    int files = 0;
    for (int i = 1; i < args.length; i++) {
      Path dir = Path.of(args[i]);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> reports;
      try (Stream<Path> s = Files.list(dir)) {
        reports =
            s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml"))
                .filter(p -> modifiedSince(p, start))
                .toList();
      }
      for (Path report : reports) {
        files++;
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = factory.newDocumentBuilder().parse(report.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int c = 0; c < cases.getLength(); c++) {
          Element testcase = (Element) cases.item(c);
          NodeList skips = testcase.getElementsByTagName("skipped");
          if (skips.getLength() == 0) {
            continue;
          }
          skipped++;
          Element skip = (Element) skips.item(0);
          // With trimStackTrace=false surefire writes the exception as text, not as a message.
          String reason = skip.getAttribute("message");
          if (reason.isBlank()) {
            reason = skip.getTextContent().strip().split("\\R", 2)[0];
          }
          reason =
              reason
                  .replaceFirst("^[\\w.$]+(Exception|Error): ", "")
                  .replaceFirst("^Assumption failed: ", "")
                  .strip();
          if (reason.isEmpty()) {
            reason = "disabled";
          }
          String cls = testcase.getAttribute("classname");
          byReason
              .computeIfAbsent(reason, k -> new TreeSet<>())
              .add(cls.substring(cls.lastIndexOf('.') + 1));
        }
      }
    }
    if (files == 0) {
      return null; // no test ran (-DskipTests, or only compiling)
    }
    String prefix = "[hydrastream] ";
    if (skipped == 0) {
      return prefix + "skipped tests: none";
    }
    List<String> parts = new ArrayList<>();
    byReason.forEach((reason, classes) -> parts.add(String.join(", ", classes) + " (" + reason + ")"));
    StringBuilder line =
        new StringBuilder(prefix)
            .append("skipped ")
            .append(skipped)
            .append(skipped == 1 ? " test: " : " tests: ")
            .append(String.join("; ", parts));
    List<String> missing = missingPackages(Path.of(".ci", "test-packages"));
    if (!missing.isEmpty()) {
      line.append(". To run them: sudo apt-get install -y ").append(String.join(" ", missing));
    }
    return line.toString();
  }

  private static boolean modifiedSince(Path file, Instant start) {
    try {
      return !Files.getLastModifiedTime(file).toInstant().isBefore(start);
    } catch (IOException e) {
      return false;
    }
  }

  /** The packages of {@code list} that are not installed, checked the way {@code .ci/run} does. */
  static List<String> missingPackages(Path list) throws IOException {
    List<String> missing = new ArrayList<>();
    if (!Files.isRegularFile(list)) {
      return missing;
    }
    for (String raw : Files.readAllLines(list)) {
      String line = raw.replaceFirst("#.*", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\s+");
      String pkg = fields[0];
      String probe = fields.length > 1 ? fields[1] : null;
      boolean present;
      if (probe == null) {
        present = dpkgInstalled(pkg);
      } else if (probe.startsWith("/")) {
        present = Files.exists(Path.of(probe));
      } else {
        present = onPath(probe);
      }
      if (!present) {
        missing.add(pkg);
      }
    }
    return missing;
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static boolean dpkgInstalled(String pkg) {
    if (!onPath("dpkg-query")) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder("dpkg-query", "-W", "-f=${Status}", pkg)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      return p.waitFor() == 0 && out.contains("install ok installed");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
