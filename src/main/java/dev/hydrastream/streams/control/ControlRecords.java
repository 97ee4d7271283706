package dev.hydrastream.streams.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hydrastream.inference.Activation;

/**
 * The JSON records of perception.control (keyed by model name) and perception.model-status (keyed
 * by instance id), written and read in this one place by the service and {@code model} commands.
 */
public final class ControlRecords {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** The one action perception.control knows. */
  public static final String ACTIVATE = "activate";

  private ControlRecords() {}

  /**
   * A control record: activate {@code model} version {@code version}.
   *
   * @param action always {@value #ACTIVATE}
   * @param model the model name (also the record key)
   * @param version the version, as its directory and card name it
   * @param request an id the instances echo in their status (set by {@code model activate}), or
   *     null
   */
  public record Activate(String action, String model, String version, String request) {

    /** An activation of {@code model} version {@code version}, tagged with {@code request}. */
    public static Activate of(String model, String version, String request) {
      return new Activate(ACTIVATE, model, version, request);
    }

    /** {@code model@version}. */
    public String id() {
      return model + "@" + version;
    }

    public String toJson() {
      return write(this);
    }

    /**
     * Reads a control record's value.
     *
     * @throws IllegalArgumentException naming what is wrong: not JSON, an unknown action, a missing
     *     model or version
     */
    public static Activate parse(String json) {
      JsonNode n;
      try {
        n = json == null ? null : MAPPER.readTree(json);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
      }
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      String action = n.path("action").asText("");
      if (!ACTIVATE.equals(action)) {
        throw new IllegalArgumentException(
            "action '" + action + "' unknown (known: " + ACTIVATE + ")");
      }
      String model = n.path("model").asText("");
      String version = n.path("version").asText("");
      if (model.isBlank() || version.isBlank()) {
        throw new IllegalArgumentException("model and version are required");
      }
      JsonNode request = n.get("request");
      return new Activate(
          ACTIVATE, model, version, request == null || request.isNull() ? null : request.asText());
    }
  }

  /**
   * An instance's last activation, as it reports it.
   *
   * @param request the control record's request id, or null
   * @param model the model asked for
   * @param version the version asked for
   * @param outcome {@code activated} or {@code refused}
   * @param reason why it was refused, or null
   * @param at when it ended (epoch ms)
   */
  public record LastActivation(
      String request, String model, String version, String outcome, String reason, long at) {

    /** What {@code a}, asked for by {@code request}, came to at {@code at}. */
    public static LastActivation of(Activation a, String request, long at) {
      return new LastActivation(
          request, a.model(), a.version(), a.outcome().label(), a.reason(), at);
    }
  }

  /**
   * One instance's record on perception.model-status.
   *
   * @param instance the instance id (also the record key)
   * @param model the model it serves
   * @param version its version
   * @param sha256 the SHA-256 of its saved_model.pb (from its card), or null
   * @param last its last activation, or null when it has had none
   * @param updated when it wrote this (epoch ms)
   */
  public record Status(
      String instance,
      String model,
      String version,
      String sha256,
      LastActivation last,
      long updated) {

    public String toJson() {
      return write(this);
    }

    /** Reads a status record's value; {@link IllegalArgumentException} when it is not one. */
    public static Status parse(String json) {
      try {
        return MAPPER.readValue(json, Status.class);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("not a status record: " + e.getOriginalMessage(), e);
      }
    }
  }

  private static String write(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
