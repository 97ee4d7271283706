package dev.hydrastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.util.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One command run in-process as {@code ./hydrastream ARGS...}: exit code, stdout, stderr. */
public record CliRun(int code, String out, String err) {

  public static CliRun of(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The JSON document that is all of {@code out}: a second one, or any other text, fails. */
  public static JsonNode onlyDocument(String out) throws Exception {
    try (JsonParser p = Json.MAPPER.createParser(out)) {
      JsonNode doc = Json.MAPPER.readTree(p);
      assertThat(p.nextToken()).as("nothing after the JSON document").isNull();
      return doc;
    }
  }
}
