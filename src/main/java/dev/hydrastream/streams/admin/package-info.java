/**
 * Topic administration: creating and checking the service's topics at start (partitions,
 * co-partitioning, brokers) and the least-privilege ACLs the service needs. Entry class: {@link
 * dev.hydrastream.streams.admin.TopicAdmin}.
 */
package dev.hydrastream.streams.admin;
