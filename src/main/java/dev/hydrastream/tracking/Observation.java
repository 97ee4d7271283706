package dev.hydrastream.tracking;

/**
 * One detection as the tracker receives it, unchecked: the tracker itself drops what it cannot use
 * (NaN, inverted boxes, unknown classes) and counts why ({@link DropReason}), so bad input never
 * throws.
 *
 * @param category detection class name (one of {@code Head.DETECTION}'s labels)
 * @param score confidence, 0..1
 * @param x1 left pixel column (inclusive)
 * @param y1 top pixel row (inclusive)
 * @param x2 right pixel column (inclusive)
 * @param y2 bottom pixel row (inclusive)
 */
public record Observation(
    String category, double score, double x1, double y1, double x2, double y2) {}
