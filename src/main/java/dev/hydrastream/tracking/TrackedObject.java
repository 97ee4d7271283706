package dev.hydrastream.tracking;

import dev.hydrastream.spec.Box;

/**
 * One track as reported for a frame.
 *
 * @param id track id, unique within its camera for ever (never reused, also across restarts)
 * @param category detection class name
 * @param state tentative, confirmed (matched in this frame) or lost (predicted)
 * @param score score of the last detection matched to it
 * @param box in frame pixels: the detection matched in this frame; for a lost track, the filter's
 *     prediction
 * @param ageFrames frames of its camera since it was born, the birth frame included
 * @param hits frames in which it was matched
 * @param misses frames in a row it has not been matched (0 when confirmed)
 * @param vx horizontal velocity of the box centre, px/s (positive: right)
 * @param vy vertical velocity of the box centre, px/s (positive: down)
 * @param scaleRate relative growth of the box height per second, (dh/dt)/h from the filter:
 *     positive for an object coming closer, whose time to contact is about 1/scaleRate seconds
 */
public record TrackedObject(
    long id,
    String category,
    TrackState state,
    double score,
    Box box,
    int ageFrames,
    int hits,
    int misses,
    double vx,
    double vy,
    double scaleRate) {}
