/**
 * One frame's labels in the BDD100K format: what the dataset readers return and the synthetic
 * renderer produces, so both {@code data} and {@code data.render} see them without a cycle. Entry
 * class: {@link dev.hydrastream.data.labels.FrameLabels}.
 */
package dev.hydrastream.data.labels;
