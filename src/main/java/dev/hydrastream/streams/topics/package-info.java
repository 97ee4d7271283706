/**
 * The ground of the streams layer: the typed topic registry ({@link
 * dev.hydrastream.streams.topics.Topics}, one {@code Topic<K,V>} with its serdes per topic), the
 * per-head result outputs and their record building, the topology node names, and the stable
 * dead-letter reasons. Entry class: {@link dev.hydrastream.streams.topics.Topics}. Imports no other
 * streams package.
 */
package dev.hydrastream.streams.topics;
