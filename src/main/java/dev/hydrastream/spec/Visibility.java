package dev.hydrastream.spec;

import java.util.Set;

/**
 * How well a camera can see, from the weather and time-of-day labels: the vocabulary the telemetry
 * events and alert rules use ({@code event.visibility.level}).
 */
public enum Visibility {
  /** Neither a weather nor a time-of-day label (a model without those heads). */
  UNKNOWN,
  /** Clear, overcast or partly cloudy, by day. */
  GOOD,
  /** Rain, snow, or dawn/dusk. */
  REDUCED,
  /** Fog or night. */
  POOR;

  private static final Set<String> POOR_WEATHER = Set.of("foggy");
  private static final Set<String> POOR_TIME = Set.of("night");
  private static final Set<String> REDUCED_WEATHER = Set.of("rainy", "snowy");
  private static final Set<String> REDUCED_TIME = Set.of("dawn/dusk");

  /** The visibility of a frame with these labels (either may be null). */
  public static Visibility of(String weather, String timeofday) {
    if (weather == null && timeofday == null) {
      return UNKNOWN;
    }
    if (POOR_WEATHER.contains(weather) || POOR_TIME.contains(timeofday)) {
      return POOR;
    }
    if (REDUCED_WEATHER.contains(weather) || REDUCED_TIME.contains(timeofday)) {
      return REDUCED;
    }
    return GOOD;
  }
}
