/**
 * The model lifecycle on Kafka: every instance reads the whole perception.control topic and
 * activates the models it names, and reports what it serves on perception.model-status. Entry
 * class: {@link dev.hydrastream.streams.control.ModelControl}; the records both topics carry are
 * {@link dev.hydrastream.streams.control.ControlRecords}.
 */
package dev.hydrastream.streams.control;
