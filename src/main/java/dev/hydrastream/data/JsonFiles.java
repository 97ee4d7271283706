package dev.hydrastream.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads the dataset's JSON files strictly (duplicate keys and trailing content refused), with
 * errors that name the file, the field path and the line: a streamed array of frames, or one value
 * per file.
 */
final class JsonFiles {

  private JsonFiles() {}

  /** Receives one frame object and where it came from. */
  @FunctionalInterface
  interface FrameSink {
    void accept(JsonNode frame, Where at, Path labelFile);
  }

  /**
   * Streams a JSON array of frames. det_20 train is a few hundred MB; holding its whole tree would
   * cost several GB, one frame at a time costs nothing.
   */
  static void readFrameList(Path file, String name, FrameSink sink) {
    Where framesAt = Where.file(name).child("frames");
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = Json.MAPPER.createParser(in)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_ARRAY) {
        throw new DatasetException(
            name + ": expected a JSON array of frames, got " + Where.describe(t));
      }
      int i = 0;
      for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        JsonNode frame = Json.MAPPER.readTree(p);
        sink.accept(frame, framesAt.index(i), file);
        i++;
      }
      checkEnd(p, name);
    } catch (JsonProcessingException e) {
      throw invalidJson(name, "frames", e);
    } catch (IOException e) {
      throw unreadable(name, e);
    }
  }

  /**
   * Reads a file holding one JSON value (a per-image frame, the split manifest).
   *
   * @param name the file as users see it, for messages
   */
  static JsonNode readSingleJson(Path file, String name) {
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = Json.MAPPER.createParser(in)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (p.nextToken() == null) {
        throw new DatasetException(name + ": empty file, expected a JSON object");
      }
      JsonNode node = Json.MAPPER.readTree(p);
      checkEnd(p, name);
      return node;
    } catch (JsonProcessingException e) {
      throw invalidJson(name, "", e);
    } catch (IOException e) {
      throw unreadable(name, e);
    }
  }

  private static void checkEnd(JsonParser p, String name) throws IOException {
    if (p.nextToken() != null) {
      JsonLocation loc = p.currentTokenLocation();
      throw new DatasetException(
          name
              + ": invalid JSON at line "
              + loc.getLineNr()
              + ", column "
              + loc.getColumnNr()
              + ": unexpected content after the top-level value");
    }
  }

  private static DatasetException invalidJson(
      String name, String rootPath, JsonProcessingException e) {
    StringBuilder msg = new StringBuilder(name).append(": ");
    if (e.getProcessor() instanceof JsonParser p) {
      String path = contextPath(p.getParsingContext(), rootPath);
      if (!path.isEmpty()) {
        msg.append(path).append(": ");
      }
    }
    msg.append("invalid JSON");
    JsonLocation loc = e.getLocation();
    if (loc != null) {
      msg.append(" at line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr());
    }
    msg.append(": ").append(e.getOriginalMessage());
    return new DatasetException(msg.toString(), e);
  }

  /** The field path the parser was in, in the same notation as our own messages. */
  private static String contextPath(JsonStreamContext context, String rootPath) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray() && c.getCurrentIndex() >= 0) {
        parts.push("[" + c.getCurrentIndex() + "]");
      } else if (c.inObject() && c.getCurrentName() != null) {
        parts.push("." + c.getCurrentName());
      }
    }
    String path = rootPath + String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  static DatasetException unreadable(String name, IOException e) {
    return new DatasetException(
        name + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
  }
}
