package dev.hydrastream.web;

/** A web class for streams.ArchFixtureWeb to depend on: see ArchitectureTest. */
public final class ArchFixtureTarget {}
