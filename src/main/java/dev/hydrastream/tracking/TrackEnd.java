package dev.hydrastream.tracking;

/**
 * The end marker of a track.
 *
 * @param id the track's id
 * @param reason why it ended
 */
public record TrackEnd(long id, EndReason reason) {}
