package dev.hydrastream.wire;

/**
 * Breaks "the wire format imports nothing of ours but spec, schema and util" on purpose: see
 * ArchitectureTest.
 */
final class ArchFixture {
  dev.hydrastream.frame.FrameValidator field;
}
