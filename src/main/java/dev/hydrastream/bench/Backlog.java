package dev.hydrastream.bench;

/**
 * How a benchmark that runs the service loads it: each instance warms up on a backlog, then every
 * measured round drains a fresh backlog of frames. Shared by the pipeline, profiles, metrics and
 * capacity benchmarks ({@code --threads/--frames/--warmup/--rounds}).
 *
 * @param threads stream threads of each service instance (partitions are 4)
 * @param frames frames in the backlog each measurement drains
 * @param warmup frames each service instance processes before the first round
 * @param rounds measured rounds; the benchmark reports medians over them
 */
public record Backlog(int threads, int frames, int warmup, int rounds) {}
