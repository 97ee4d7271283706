/**
 * Shadowing a candidate model on live frames: a sample of the frames ({@code shadow.fraction}),
 * after the incumbent answered them, goes to the candidate on a worker of its own; each answer is
 * compared with the incumbent's and published on {@code perception.shadow}. Entry class: {@link
 * dev.hydrastream.streams.shadow.Shadow}.
 */
package dev.hydrastream.streams.shadow;
