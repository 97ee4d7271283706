/**
 * Late and out-of-order frames: each camera's clock (the last answered capture time and the counts,
 * kept in a store) and the verdict on a new frame judged against it. Entry class: {@link
 * dev.hydrastream.streams.timing.FrameTiming}; the clock itself is {@link
 * dev.hydrastream.streams.timing.CameraClock}.
 */
package dev.hydrastream.streams.timing;
