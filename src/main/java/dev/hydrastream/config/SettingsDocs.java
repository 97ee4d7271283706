package dev.hydrastream.config;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The settings' documentation, rendered from {@link Settings#DEF} (as Kafka renders its config
 * tables from its {@code ConfigDef}s): the Markdown table in the README and the text that {@code
 * run --help} prints. Nothing here is written by hand, so neither can drift from the code.
 */
public final class SettingsDocs {

  private SettingsDocs() {}

  /** One Markdown table: setting, default, valid values, description. */
  public static String markdownTable() {
    StringBuilder sb =
        new StringBuilder(
            "| setting | default | valid values | description |\n|---|---|---|---|\n");
    for (ConfigDef.ConfigKey k : Settings.DEF.configKeys().values()) {
      sb.append("| `")
          .append(k.name)
          .append("` | ")
          .append(code(defaultValue(k)))
          .append(" | ")
          .append(k.validator == null ? "" : escape(k.validator.toString()))
          .append(" | ")
          .append(escape(k.documentation))
          .append(" |\n");
    }
    return sb.toString();
  }

  /**
   * The settings as help text: a line with each name, default and valid values, then its
   * description indented and wrapped to {@code width} columns.
   */
  public static String helpText(int width) {
    List<String> lines = new ArrayList<>();
    for (ConfigDef.ConfigKey k : Settings.DEF.configKeys().values()) {
      String d = defaultValue(k);
      lines.add(
          "  "
              + k.name
              + " (default: "
              + (d.isEmpty() ? "none" : d)
              + (k.validator == null ? "" : "; " + k.validator)
              + ")");
      lines.addAll(wrap(k.documentation.replace("`", ""), "      ", width));
    }
    return String.join("\n", lines);
  }

  /** A setting's default as written in a properties file ({@code a,b} for lists). */
  static String defaultValue(ConfigDef.ConfigKey k) {
    Object d = k.defaultValue;
    if (d == null) {
      return "";
    }
    if (d instanceof List<?> l) {
      return String.join(",", l.stream().map(String::valueOf).toList());
    }
    return String.valueOf(d);
  }

  private static String code(String s) {
    return s.isEmpty() ? "" : "`" + s + "`";
  }

  /** Markdown table cells: a {@code |} would end the cell. */
  private static String escape(String s) {
    return s.replace("|", "\\|");
  }

  private static List<String> wrap(String text, String indent, int width) {
    List<String> out = new ArrayList<>();
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split("\\s+")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        out.add(line.toString());
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > indent.length()) {
      out.add(line.toString());
    }
    return out;
  }
}
