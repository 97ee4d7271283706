package dev.hydrastream.telemetry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert rules file ({@code topologies/alerts.yaml}): read, validated and compiled once at
 * start. Conditions and evidence are Google CEL expressions over one variable, {@code event}, whose
 * declared type is the {@code PerceptionEvent} schema (fields and types as in the README), so an
 * unknown field, a type error or a syntax error fails here, naming the rule, the position and the
 * reason, instead of at the first event. CEL has no loops or side effects and every expression
 * ends, so evaluating a rule is safe. Immutable and thread-safe.
 *
 * <pre>
 * rules:
 *   - id: low-visibility-fast
 *     severity: warning                 # info | warning | critical
 *     description: Fog or night while driving faster than 15 m/s
 *     condition: >
 *       event.visibility.level == 'POOR' &amp;&amp; has(event.telemetry)
 *       &amp;&amp; event.telemetry.speed_mps &gt; 15.0
 *     for: 2s                           # optional: must hold this long (per vehicle)
 *     suppress: 30s                     # optional: quiet time after an alert (per vehicle)
 *     evidence:                         # optional: CEL expressions copied into the alert
 *       speed_mps: event.telemetry.speed_mps
 * </pre>
 */
public final class AlertRules {

  /** The variable conditions and evidence are written against. */
  public static final String VARIABLE = "event";

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
  private static final Set<String> KEYS =
      Set.of("id", "severity", "description", "condition", "for", "suppress", "evidence");
  private static final CelOptions OPTIONS =
      CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

  /** A rule with its compiled condition and evidence. */
  record Compiled(
      AlertRule rule, CelRuntime.Program condition, Map<String, CelRuntime.Program> evidence) {}

  private final String source;
  private final List<Compiled> compiled;

  private AlertRules(String source, List<Compiled> compiled) {
    this.source = source;
    this.compiled = List.copyOf(compiled);
  }

  /**
   * Reads and compiles the rules file.
   *
   * @throws RuleException naming the file, rule, position and reason
   */
  public static AlertRules load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new RuleException("cannot read the alert rules file " + file + ": " + e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses and compiles rules from YAML text.
   *
   * @param source name of the text in messages (the file)
   * @throws RuleException naming the source, rule, position and reason
   */
  public static AlertRules parse(String text, String source) {
    List<Located> raw = readRules(text, source);
    Env env = new Env();
    List<Compiled> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Located r : raw) {
      AlertRule rule = rule(r, source);
      if (!ids.add(rule.id())) {
        throw new RuleException(
            where(source, rule.line(), rule.id()) + ": id " + rule.id() + " is used twice");
      }
      CelRuntime.Program condition =
          env.program(rule.condition(), true, source, rule, "condition", r);
      Map<String, CelRuntime.Program> evidence = new LinkedHashMap<>();
      rule.evidence()
          .forEach(
              (name, expr) ->
                  evidence.put(
                      name, env.program(expr, false, source, rule, "evidence." + name, r)));
      out.add(new Compiled(rule, condition, evidence));
    }
    return new AlertRules(source, out);
  }

  /** The rules, in file order. */
  public List<AlertRule> rules() {
    return compiled.stream().map(Compiled::rule).toList();
  }

  /** Where the rules came from (the file), for logs. */
  public String source() {
    return source;
  }

  List<Compiled> compiled() {
    return compiled;
  }

  /** The compilers (bool conditions, any-typed evidence) and runtime of the event type. */
  private static final class Env {
    final AvroCel types = new AvroCel(PerceptionEvent.getClassSchema());
    final CelCompiler conditions = compiler(SimpleType.BOOL);
    final CelCompiler values = compiler(SimpleType.DYN);
    final CelRuntime runtime =
        CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private CelCompiler compiler(CelType result) {
      return CelCompilerFactory.standardCelCompilerBuilder()
          .setOptions(OPTIONS)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .setTypeProvider(types)
          .addVar(VARIABLE, types.root())
          .setResultType(result)
          .build();
    }

    CelRuntime.Program program(
        String expr, boolean condition, String source, AlertRule rule, String key, Located r) {
      CelCompiler compiler = condition ? conditions : values;
      CelValidationResult v = compiler.compile(expr);
      int line = r.lines.getOrDefault(key.startsWith("evidence.") ? "evidence" : key, rule.line());
      if (v.hasError()) {
        CelIssue first = v.getErrors().get(0);
        throw new RuleException(
            where(source, line, rule.id())
                + ": "
                + key
                + " at "
                + (first.getSourceLocation().getLine())
                + ":"
                + (first.getSourceLocation().getColumn() + 1)
                + " of the expression: "
                + first.getMessage()
                + "\n"
                + v.getErrorString());
      }
      try {
        CelAbstractSyntaxTree ast = v.getAst();
        return runtime.createProgram(ast);
      } catch (dev.cel.common.CelValidationException | CelEvaluationException e) {
        throw new RuleException(
            where(source, line, rule.id()) + ": " + key + ": " + e.getMessage());
      }
    }
  }

  /** A rule object of the file with the line of each of its keys. */
  private record Located(JsonNode node, int line, Map<String, Integer> lines) {}

  private static List<Located> readRules(String text, String source) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Located> out = new ArrayList<>();
    try (JsonParser p = yaml.getFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RuleException(source + ": expected a mapping with a 'rules' list");
      }
      boolean seen = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String top = p.currentName();
        JsonLocation at = p.currentTokenLocation();
        p.nextToken();
        if (!top.equals("rules")) {
          throw new RuleException(
              source + ":" + at.getLineNr() + ": unknown key '" + top + "' (expected 'rules')");
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
          throw new RuleException(source + ":" + at.getLineNr() + ": 'rules' must be a list");
        }
        seen = true;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          int line = p.currentTokenLocation().getLineNr();
          if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new RuleException(source + ":" + line + ": a rule must be a mapping");
          }
          Map<String, Integer> lines = new LinkedHashMap<>();
          com.fasterxml.jackson.databind.node.ObjectNode node = yaml.createObjectNode();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            lines.put(key, p.currentTokenLocation().getLineNr());
            p.nextToken();
            node.set(key, yaml.readTree(p));
          }
          out.add(new Located(node, line, lines));
        }
      }
      if (!seen) {
        throw new RuleException(source + ": no 'rules' list");
      }
    } catch (IOException e) {
      throw new RuleException(source + ": not valid YAML: " + e.getMessage());
    }
    return out;
  }

  private static AlertRule rule(Located r, String source) {
    JsonNode n = r.node;
    String id = n.path("id").isTextual() ? n.get("id").asText() : null;
    String where = where(source, r.line, id);
    for (String key : r.lines.keySet()) {
      if (!KEYS.contains(key)) {
        throw new RuleException(
            where + ": unknown key '" + key + "' (known: " + String.join(", ", sorted(KEYS)) + ")");
      }
    }
    if (id == null || !ID.matcher(id).matches()) {
      throw new RuleException(
          where + ": 'id' must be lower-case letters, digits, '.', '_' or '-', got " + n.get("id"));
    }
    Severity severity;
    try {
      severity = Severity.valueOf(text(n, "severity", where).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RuleException(
          where + ": 'severity' must be info, warning or critical, got " + n.get("severity"));
    }
    Map<String, String> evidence = new LinkedHashMap<>();
    JsonNode ev = n.get("evidence");
    if (ev != null && !ev.isNull()) {
      if (!ev.isObject()) {
        throw new RuleException(where + ": 'evidence' must map names to CEL expressions");
      }
      ev.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isValueNode()) {
                  throw new RuleException(
                      where + ": evidence." + e.getKey() + " must be a CEL expression");
                }
                evidence.put(e.getKey(), e.getValue().asText());
              });
    }
    return new AlertRule(
        id,
        severity,
        text(n, "description", where),
        text(n, "condition", where),
        duration(n, "for", where),
        duration(n, "suppress", where),
        evidence,
        r.line);
  }

  private static String text(JsonNode n, String key, String where) {
    JsonNode v = n.get(key);
    // any scalar: YAML reads a condition such as `true` as a boolean
    if (v == null || !v.isValueNode() || v.isNull() || v.asText().isBlank()) {
      throw new RuleException(where + ": '" + key + "' is required (a non-empty string)");
    }
    return v.asText().trim();
  }

  /** A duration like {@code 500ms}, {@code 2s}, {@code 1.5m}, {@code 1h}; absent is zero. */
  static Duration duration(JsonNode n, String key, String where) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(v.asText().trim());
    if (!v.isValueNode() || !m.matches()) {
      throw new RuleException(
          where + ": '" + key + "' must be a duration like 500ms, 2s, 1m or 1h, got " + v);
    }
    double amount = Double.parseDouble(m.group(1));
    long unitMs =
        switch (m.group(2)) {
          case "ms" -> 1;
          case "s" -> 1_000;
          case "m" -> 60_000;
          default -> 3_600_000;
        };
    return Duration.ofMillis(Math.round(amount * unitMs));
  }

  private static String where(String source, int line, String id) {
    return source + ":" + line + ": rule " + (id == null ? "(no id)" : "'" + id + "'");
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
