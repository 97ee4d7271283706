package dev.hydrastream.cli;

import dev.hydrastream.config.ResultSettings;
import dev.hydrastream.config.SettingsDocs;
import dev.hydrastream.spec.Head;
import dev.hydrastream.streams.TopologyDocs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The reference tables of {@code docs/}, rendered from the code: the command table ({@code
 * docs/commands.md}) from picocli's model of every command (all options, defaults as example
 * values), the settings table ({@code docs/settings.md}) from the ConfigDef ({@link SettingsDocs}),
 * the model's heads and labels ({@code docs/contracts.md}) from {@link Head}, the per-frame result
 * topics ({@code docs/streaming.md}) from the registry of result outputs. They sit between markers
 * ({@code <!-- generated: NAME -->}, {@code <!-- end generated: NAME -->}); {@code ./hydrastream
 * docs} rewrites them and a test fails when they differ from the code.
 */
final class CommandDocs {

  private CommandDocs() {}

  /** The generated blocks by file (relative to the installation) and block name. */
  static Map<String, Map<String, String>> blocks(CommandLine root) {
    Map<String, Map<String, String>> files = new LinkedHashMap<>();
    files.put("docs/commands.md", Map.of("commands", commandTable(root)));
    files.put("docs/settings.md", Map.of("settings", SettingsDocs.markdownTable()));
    files.put(
        "docs/contracts.md",
        Map.of("heads", headTable(), "digest", ResultSettings.markdownTable()));
    files.put("docs/streaming.md", Map.of("results", TopologyDocs.resultTable()));
    return files;
  }

  /** The model's heads: serving-signature outputs and labels in output order. */
  static String headTable() {
    StringBuilder sb =
        new StringBuilder(
            "| head | signature outputs | labels (in model output order) |\n|---|---|---|\n");
    for (Head h : Head.values()) {
      sb.append("| `")
          .append(h.id())
          .append("` | ")
          .append(String.join(", ", h.outputs().stream().map(o -> "`" + o + "`").toList()))
          .append(" | ")
          .append(escape(String.join(", ", h.labels())))
          .append(" |\n");
    }
    return sb.toString();
  }

  /** A Markdown table with one row per command (leaf commands of groups such as {@code bench}). */
  static String commandTable(CommandLine root) {
    StringBuilder sb = new StringBuilder("| command | what it does |\n|---|---|\n");
    for (CommandLine c : leaves(root)) {
      sb.append("| `")
          .append(escape(synopsis(c.getCommandSpec())))
          .append("` | ")
          .append(
              escape(
                  String.join(" ", c.getCommandSpec().usageMessage().description())
                      .replace("%%", "%")))
          .append(" |\n");
    }
    return sb.toString();
  }

  private static List<CommandLine> leaves(CommandLine c) {
    List<CommandLine> out = new ArrayList<>();
    for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
      CommandLine sub = e.getValue();
      if (sub.getCommandSpec().helpCommand() || !e.getKey().equals(sub.getCommandName())) {
        continue; // the help command, and aliases
      }
      if (sub.getSubcommands().values().stream().anyMatch(s -> !s.getCommandSpec().helpCommand())) {
        out.addAll(leaves(sub));
      } else {
        out.add(sub);
      }
    }
    return out;
  }

  /**
   * {@code ./hydrastream demo [--cameras 4] [--duration DURATION] ...}: required options bare,
   * others in brackets, each with its default as the example value (else its parameter label),
   * repeatable ones followed by {@code ...}, then the positional parameters.
   */
  static String synopsis(CommandSpec spec) {
    StringBuilder sb = new StringBuilder("./").append(spec.qualifiedName(" "));
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp() || o.hidden()) {
        continue;
      }
      String text = o.longestName() + (o.arity().max() == 0 ? "" : " " + value(o));
      sb.append(' ').append(o.required() ? text : "[" + text + "]");
      if (o.isMultiValue()) {
        sb.append("...");
      }
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (p.hidden()) {
        continue;
      }
      String text = label(p) + (p.isMultiValue() ? "..." : "");
      sb.append(' ').append(p.arity().min() == 0 ? "[" + text + "]" : text);
    }
    return sb.toString();
  }

  /**
   * The example value of an option: its label when it is required, else its default (or its label
   * when it has none); labels without angle brackets.
   */
  private static String value(OptionSpec o) {
    if (o.required()) {
      return label(o);
    }
    String d = o.defaultValue();
    if (d == null && o.initialValue() != null && !o.isMultiValue()) {
      d = String.valueOf(o.initialValue());
    }
    return d == null || d.isEmpty() ? label(o) : d;
  }

  private static String label(ArgSpec a) {
    String l = a.paramLabel();
    return l.startsWith("<") && l.endsWith(">")
        ? l.substring(1, l.length() - 1).toUpperCase(java.util.Locale.ROOT)
        : l;
  }

  /** Markdown table cells: a {@code |} would end the cell. */
  private static String escape(String s) {
    return s.replace("|", "\\|");
  }

  /**
   * {@code text} with each generated block replaced by its current content.
   *
   * @throws IllegalArgumentException naming a block whose markers are missing
   */
  static String apply(String text, Map<String, String> blocks) {
    String out = text;
    for (Map.Entry<String, String> b : blocks.entrySet()) {
      String begin = begin(b.getKey());
      String end = "<!-- end generated: " + b.getKey() + " -->";
      int i = out.indexOf(begin);
      int j = out.indexOf(end);
      if (i < 0 || j < i) {
        throw new IllegalArgumentException(
            "no generated block '" + b.getKey() + "' (lines " + begin + " ... " + end + ")");
      }
      out = out.substring(0, i + begin.length()) + "\n" + b.getValue() + out.substring(j);
    }
    return out;
  }

  static String begin(String block) {
    return "<!-- generated: " + block + " (./hydrastream docs rewrites it) -->";
  }
}
