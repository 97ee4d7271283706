/**
 * The event sub-topology: {@code perception.frames} joined with the vehicle telemetry valid at
 * capture time into {@code perception.events}, and the alert rules run on them into {@code
 * perception.alerts}; the recent alerts for the dashboard. Entry class: {@link
 * dev.hydrastream.streams.events.EventTopology}.
 */
package dev.hydrastream.streams.events;
