/**
 * The perception topology (a pure function of the settings): parse, validate, decode, the batched
 * model call, one record per head, bad frames to the dead-letter topic; it wires in the tracking
 * stage, the latest-frame store and the event sub-topology. Entry class: {@link
 * dev.hydrastream.streams.perception.PerceptionTopology}.
 */
package dev.hydrastream.streams.perception;
