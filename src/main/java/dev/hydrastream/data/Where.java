package dev.hydrastream.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.util.Json;

/** A spot in a file for error messages: the file relative to the dataset root and a field path. */
record Where(String file, String path) {

  static Where file(String file) {
    return new Where(file, "");
  }

  Where child(String field) {
    return new Where(file, path.isEmpty() ? field : path + "." + field);
  }

  Where index(int i) {
    return new Where(file, path + "[" + i + "]");
  }

  DatasetException fail(String problem) {
    return new DatasetException(this + ": " + problem);
  }

  @Override
  public String toString() {
    return path.isEmpty() ? file : file + ": " + path;
  }

  /** How a JSON token reads in a message. */
  static String describe(JsonToken t) {
    if (t == null) {
      return "an empty file";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      default -> t.asString() == null ? t.toString() : t.asString();
    };
  }

  /** How a JSON value reads in a message. */
  static String describe(JsonNode v) {
    if (v.isTextual()) {
      return quote(v.textValue());
    }
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "an array";
    }
    return v.toString(); // numbers, booleans, null as written
  }

  /** A string quoted as JSON, shortened to 60 characters. */
  static String quote(String s) {
    String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
    try {
      return Json.MAPPER.writeValueAsString(shown);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // cannot happen for a String
    }
  }
}
