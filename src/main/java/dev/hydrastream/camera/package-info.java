/**
 * Real cameras into {@code camera.frames}: video files, RTSP feeds and V4L2 devices decoded with
 * FFmpeg, one JPEG per frame with its capture time taken from the stream's PTS. Entry class: {@link
 * dev.hydrastream.camera.CameraGateway}; the {@code camera} command is its CLI.
 */
package dev.hydrastream.camera;
