/**
 * Replay: recorded frames of a time range re-run through the perception topology into topics under
 * another prefix, and the per-task agreement with the original results. Entry class: {@link
 * dev.hydrastream.streams.replay.Replay}.
 */
package dev.hydrastream.streams.replay;
