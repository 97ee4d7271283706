package dev.hydrastream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Prints what a command returns: with {@code --json} one JSON document ({@link Json#MAPPER}),
 * otherwise text drawn from the same JSON tree, so both show the same fields under the same names.
 * The text layout, for any result record or map:
 *
 * <ul>
 *   <li>scalars and lists of scalars: aligned {@code name value} rows;
 *   <li>lists of records, and maps whose values are flat records: column tables with headers; a
 *       column holding a flat record per row (a map of metrics, say) becomes a table of its own
 *       with one column per row, so the rows can be compared side by side;
 *   <li>other nested records and maps: indented sections.
 * </ul>
 *
 * <p>Numbers: see {@link #number}.
 */
final class Printer {

  /** Longest text in a table cell; a longer one (path, command) keeps its end, where it differs. */
  private static final int MAX_CELL = 40;

  private Printer() {}

  /** Prints {@code result} on {@code out}: JSON when {@code json}, else the text layout. */
  static void print(PrintWriter out, boolean json, Object result) throws IOException {
    out.println(json ? Json.MAPPER.writeValueAsString(result) : text(result));
    out.flush();
  }

  /** The text layout of {@code result}. */
  static String text(Object result) {
    JsonNode root = Json.MAPPER.valueToTree(result);
    List<String> lines = new ArrayList<>();
    if (isRecords(root)) {
      table(lines, "", null, list(root));
    } else if (root.isObject()) {
      object(lines, "", root);
    } else {
      lines.add(inline(root));
    }
    return String.join("\n", lines);
  }

  private static void object(List<String> lines, String indent, JsonNode node) {
    int width = 0;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      width = isInline(e.getValue()) ? Math.max(width, e.getKey().length()) : width;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (isInline(v)) {
        lines.add(indent + pad(e.getKey(), width, false) + "  " + inline(v));
        continue;
      }
      lines.add(indent + e.getKey());
      if (isRecords(v)) {
        table(lines, indent + "  ", null, list(v));
      } else if (isRecordMap(v)) {
        List<String> keys = new ArrayList<>();
        v.fieldNames().forEachRemaining(keys::add);
        table(lines, indent + "  ", keys, list(v));
      } else if (v.isArray()) {
        for (int i = 0; i < v.size(); i++) {
          lines.add(indent + "  [" + i + "]");
          object(lines, indent + "    ", v.get(i));
        }
      } else {
        object(lines, indent + "  ", v);
      }
    }
  }

  /**
   * A column table of {@code rows}, labelled by {@code keys} when they come from a map; columns of
   * flat records follow as tables of their own, anything deeper is only named.
   */
  private static void table(
      List<String> lines, String indent, List<String> keys, List<JsonNode> rows) {
    Set<String> names = new LinkedHashSet<>();
    rows.forEach(r -> r.fieldNames().forEachRemaining(names::add));
    List<String> columns = new ArrayList<>();
    List<String> perRow = new ArrayList<>();
    List<String> hidden = new ArrayList<>();
    for (String n : names) {
      if (rows.stream().allMatch(r -> isInline(r.path(n)))) {
        columns.add(n);
      } else if (rows.stream().allMatch(r -> r.path(n).isMissingNode() || isFlat(r.path(n)))) {
        perRow.add(n);
      } else {
        hidden.add(n);
      }
    }
    List<List<JsonNode>> cells = new ArrayList<>();
    for (JsonNode r : rows) {
      cells.add(columns.stream().map(r::path).toList());
    }
    grid(lines, indent, columns, keys, cells);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      labels.add(
          keys != null
              ? keys.get(i)
              : columns.isEmpty() ? "#" + (i + 1) : cell(rows.get(i).path(columns.get(0))));
    }
    for (String c : perRow) {
      lines.add(indent + c + (keys != null || columns.isEmpty() ? "" : " by " + columns.get(0)));
      Set<String> inner = new LinkedHashSet<>();
      rows.forEach(r -> r.path(c).fieldNames().forEachRemaining(inner::add));
      List<List<JsonNode>> transposed = new ArrayList<>();
      for (String k : inner) {
        transposed.add(rows.stream().map(r -> r.path(c).path(k)).toList());
      }
      grid(lines, indent + "  ", labels, new ArrayList<>(inner), transposed);
    }
    if (!hidden.isEmpty()) {
      lines.add(indent + "(" + String.join(", ", hidden) + ": see --json)");
    }
  }

  /** Aligned rows under a header; numbers right-aligned; row labels, if any, come first. */
  private static void grid(
      List<String> lines,
      String indent,
      List<String> header,
      List<String> labels,
      List<List<JsonNode>> cells) {
    int[] width = new int[header.size()];
    boolean[] numeric = new boolean[header.size()];
    for (int c = 0; c < header.size(); c++) {
      width[c] = header.get(c).length();
      numeric[c] = true;
      for (List<JsonNode> row : cells) {
        width[c] = Math.max(width[c], cell(row.get(c)).length());
        numeric[c] &= row.get(c).isNumber() || row.get(c).isMissingNode() || row.get(c).isNull();
      }
    }
    int labelWidth = labels == null ? 0 : labels.stream().mapToInt(String::length).max().orElse(0);
    List<String> texts = new ArrayList<>();
    for (int r = -1; r < cells.size(); r++) {
      StringBuilder b = new StringBuilder(indent);
      if (labels != null) {
        b.append(pad(r < 0 ? "" : labels.get(r), labelWidth, false)).append("  ");
      }
      for (int c = 0; c < header.size(); c++) {
        String text = r < 0 ? header.get(c) : cell(cells.get(r).get(c));
        b.append(pad(text, width[c], numeric[c])).append(c + 1 < header.size() ? "  " : "");
      }
      texts.add(b.toString().stripTrailing());
    }
    lines.addAll(texts);
  }

  private static String cell(JsonNode n) {
    String s = inline(n);
    return s.length() <= MAX_CELL ? s : "…" + s.substring(s.length() - MAX_CELL + 1);
  }

  private static String inline(JsonNode n) {
    if (n.isMissingNode() || n.isNull() || n.isContainerNode() && n.isEmpty()) {
      return "-";
    }
    if (n.isArray()) {
      List<String> parts = new ArrayList<>();
      n.forEach(e -> parts.add(inline(e)));
      return String.join(" ", parts);
    }
    return n.isNumber() ? number(n) : n.asText();
  }

  /**
   * Whole numbers as they are, others to four significant digits (one decimal from 1000 on);
   * thousands separators from 10,000 on, where digits become hard to count (FLOPs, sizes).
   */
  static String number(JsonNode n) {
    double v = n.doubleValue();
    String group = Math.abs(v) >= 10_000 ? "," : "";
    if (n.isIntegralNumber()) {
      return String.format(Locale.ROOT, "%" + group + "d", n.bigIntegerValue());
    }
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.isNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%" + group + "d", (long) v);
    }
    if (Math.abs(v) >= 1000) {
      return String.format(Locale.ROOT, "%" + group + ".1f", v);
    }
    if (Math.abs(v) < 1e-4) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static String pad(String s, int width, boolean right) {
    String space = " ".repeat(Math.max(0, width - s.length()));
    return right ? space + s : s + space;
  }

  private static boolean isScalar(JsonNode n) {
    return n.isValueNode() || n.isNull() || n.isMissingNode();
  }

  /** Fits on one line: a scalar, a list of scalars, or nothing. */
  private static boolean isInline(JsonNode n) {
    return isScalar(n)
        || n.isContainerNode() && n.isEmpty()
        || n.isArray() && all(n, Printer::isScalar);
  }

  /** A record or map of inline values only. */
  private static boolean isFlat(JsonNode n) {
    return n.isObject() && all(n, Printer::isInline);
  }

  private static boolean isRecords(JsonNode n) {
    return n.isArray() && !n.isEmpty() && all(n, JsonNode::isObject);
  }

  private static boolean isRecordMap(JsonNode n) {
    return n.isObject() && !n.isEmpty() && all(n, Printer::isFlat);
  }

  /** Whether every element (of an array) or value (of an object) satisfies {@code test}. */
  private static boolean all(JsonNode container, Predicate<JsonNode> test) {
    for (JsonNode e : container) {
      if (!test.test(e)) {
        return false;
      }
    }
    return true;
  }

  private static List<JsonNode> list(JsonNode container) {
    List<JsonNode> out = new ArrayList<>();
    container.forEach(out::add);
    return out;
  }
}
