package dev.hydrastream.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Dockerfile read the way the Docker builder reads it, as far as the deploy tests need: logical
 * lines (comments dropped, {@code \} continuations joined) split into instructions, grouped into
 * build stages, with each stage's {@code ENV} pairs.
 */
record DockerfileModel(List<Stage> stages) {

  /** One instruction: upper-case keyword and its arguments as written. */
  record Instruction(String keyword, String args) {}

  /** One build stage: its {@code FROM} line and the instructions after it. */
  record Stage(String from, List<Instruction> instructions) {

    /** The arguments of every instruction with {@code keyword}, in order. */
    List<String> all(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(i -> i.args())
          .toList();
    }

    /** The variables {@code ENV} sets in this stage (later ones win). */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      for (String args : all("ENV")) {
        List<String> words = words(args);
        for (String w : words) {
          int eq = w.indexOf('=');
          if (eq < 0) {
            throw new IllegalArgumentException("ENV without KEY=VALUE: " + args);
          }
          env.put(w.substring(0, eq), w.substring(eq + 1));
        }
      }
      return env;
    }
  }

  static DockerfileModel read(Path file) throws IOException {
    List<String> logical = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && cur.isEmpty())) {
        continue;
      }
      if (line.endsWith("\\")) {
        cur.append(line, 0, line.length() - 1).append(' ');
      } else {
        logical.add(cur.append(line).toString().strip());
        cur.setLength(0);
      }
    }
    List<Stage> stages = new ArrayList<>();
    for (String l : logical) {
      String[] kw = l.split("\\s+", 2);
      Instruction i = new Instruction(kw[0].toUpperCase(), kw.length > 1 ? kw[1] : "");
      if (i.keyword().equals("FROM")) {
        stages.add(new Stage(i.args(), new ArrayList<>()));
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).instructions().add(i);
      } else if (!i.keyword().equals("ARG")) {
        throw new IllegalArgumentException(file + ": " + i.keyword() + " before FROM");
      }
    }
    return new DockerfileModel(stages);
  }

  /** The stage the image is made of. */
  Stage last() {
    return stages.get(stages.size() - 1);
  }

  /** Shell-like words: whitespace separates, double quotes group (and are removed). */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    for (char c : s.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (!w.isEmpty()) {
          out.add(w.toString());
          w.setLength(0);
        }
      } else {
        w.append(c);
      }
    }
    if (!w.isEmpty()) {
      out.add(w.toString());
    }
    return out;
  }
}
