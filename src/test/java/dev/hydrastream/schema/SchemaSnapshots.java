package dev.hydrastream.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;

/**
 * Reads the schema sources ({@code schemas/common/*.avsc}, then {@code schemas/*.avsc}) and writes
 * their release snapshot {@code schemas/history/vN/Name.avsc}: one self-contained schema per
 * top-level record, shared types inlined. Run at each release that changes a schema
 * (schemas/README.md), from the project directory after {@code mvn test-compile}: {@code java -cp
 * target/classes:target/test-classes:$(cat target/classpath.txt)
 * dev.hydrastream.schema.SchemaSnapshots N}.
 */
public final class SchemaSnapshots {

  /** The schema sources, relative to the project directory. */
  public static final Path SOURCES = Path.of("schemas");

  /** The snapshot folder. */
  public static final Path HISTORY = SOURCES.resolve("history");

  private SchemaSnapshots() {}

  /** The top-level records of the sources by simple name, as written (no compiler props). */
  public static Map<String, Schema> sources() throws IOException {
    Schema.Parser parser = new Schema.Parser();
    for (Path common : avsc(SOURCES.resolve("common"))) {
      parser.parse(common.toFile());
    }
    Map<String, Schema> out = new LinkedHashMap<>();
    for (Path file : referencedFirst(avsc(SOURCES))) {
      Schema s = parser.parse(file.toFile());
      out.put(s.getName(), s);
    }
    return out;
  }

  /** The snapshots of {@code version} by record simple name. */
  public static Map<String, Schema> snapshot(int version) throws IOException {
    Map<String, Schema> out = new LinkedHashMap<>();
    for (Path file : avsc(HISTORY.resolve("v" + version))) {
      Schema s = new Schema.Parser().parse(file.toFile());
      out.put(s.getName(), s);
    }
    return out;
  }

  /** Versions present under {@code schemas/history}, ascending ({@code v1, v2, ...}). */
  public static List<Integer> versions() {
    List<Integer> out = new ArrayList<>();
    for (int v = 1; Files.isDirectory(HISTORY.resolve("v" + v)); v++) {
      out.add(v);
    }
    return out;
  }

  /** The snapshot file text of a schema. */
  public static String text(Schema schema) {
    return SchemaFormatter.format("json/pretty", schema) + "\n";
  }

  /**
   * The files in name order, except that a record another file names as a field type (e.g.
   * VehicleTelemetry in PerceptionEvent) is parsed before the files that name it.
   */
  private static List<Path> referencedFirst(List<Path> files) throws IOException {
    List<Path> first = new ArrayList<>();
    List<Path> rest = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString().replace(".avsc", "");
      boolean referenced = false;
      for (Path other : files) {
        if (!other.equals(f)
            && Files.readString(other).contains("\"dev.hydrastream.schema." + name + "\"")) {
          referenced = true;
        }
      }
      (referenced ? first : rest).add(f);
    }
    first.addAll(rest);
    return first;
  }

  private static List<Path> avsc(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1 || !args[0].matches("[1-9][0-9]*")) {
      System.err.println("usage: SchemaSnapshots VERSION   (writes schemas/history/vVERSION)");
      System.exit(2);
    }
    int version = Integer.parseInt(args[0]);
    int next = versions().size() + 1;
    if (version != next) {
      System.err.println("the next version is v" + next + "; snapshots are never rewritten");
      System.exit(1);
    }
    Path dir = Files.createDirectories(HISTORY.resolve("v" + version));
    for (Schema s : sources().values()) {
      Path file = dir.resolve(s.getName() + ".avsc");
      Files.writeString(file, text(s));
      System.out.println(file);
    }
  }
}
