/**
 * The tracking stage of the perception topology: per camera, the tracker with its state in a
 * changelogged store, writing {@code perception.tracks} and the fused {@code perception.frames}.
 * Entry class: {@link dev.hydrastream.streams.tracking.TrackingProcessor}; the track records are
 * built by {@link dev.hydrastream.streams.tracking.TrackRecords}.
 */
package dev.hydrastream.streams.tracking;
