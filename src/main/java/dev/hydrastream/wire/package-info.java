/**
 * What crosses Kafka, shared by everyone who produces or reads our topics (service, simulator,
 * camera gateway, demo, benches): header names, frame metadata, the Avro single-object and JSON
 * codecs of the generated records, the known schemas and the bounded decoder. Entry class: {@link
 * dev.hydrastream.wire.AvroCodec}; headers are named in {@link dev.hydrastream.wire.HeaderNames}.
 * Imports nothing of ours but {@code spec}, {@code schema} and {@code util}.
 */
package dev.hydrastream.wire;
