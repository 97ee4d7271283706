/**
 * The Kafka Streams service: {@link dev.hydrastream.streams.PerceptionService} starts the
 * topologies of the sub-packages ({@code perception}, {@code tracking}, {@code events}, {@code
 * dashboard}, with {@code timing}, {@code topics} and {@code admin} below them), observes commits
 * and renders the topology description. Entry class: {@link
 * dev.hydrastream.streams.PerceptionService}.
 */
package dev.hydrastream.streams;
