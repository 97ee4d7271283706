/**
 * The latest frame of each camera for the dashboard: the processor that keeps it in a store and the
 * interactive queries that read it, forwarded across instances. Entry class: {@link
 * dev.hydrastream.streams.dashboard.LatestFrames}.
 */
package dev.hydrastream.streams.dashboard;
