package dev.hydrastream.data.labels;

import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.Taxonomy;

/**
 * One detection label of a frame.
 *
 * @param id label id, unique within the frame
 * @param category a det_20 class name (see {@link Taxonomy#DETECTION})
 * @param box tight box of the object's visible pixels
 * @param occluded true when another object or scenery hides part of it
 * @param truncated true when part of it lies outside the image
 * @param trafficLightColor {@code red|yellow|green|none} for traffic lights, else null
 */
public record DetLabel(
    long id,
    String category,
    Box box,
    boolean occluded,
    boolean truncated,
    String trafficLightColor) {}
