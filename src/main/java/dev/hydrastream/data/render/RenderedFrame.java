package dev.hydrastream.data.render;

import dev.hydrastream.data.labels.FrameLabels;

/**
 * One synthetic frame: pixels, labels and masks, all of {@code width x height}.
 *
 * @param width image width
 * @param height image height
 * @param bgr interleaved 8-bit BGR pixels (OpenCV order), row-major
 * @param labels BDD100K labels (name left empty; the writer names frames)
 * @param drivable drivable-area mask, BDD100K values (0 direct, 1 alternative, 2 background)
 * @param lane lane mask: 255 background, else the lane code
 * @param jpegQuality the JPEG quality this frame should be encoded with (sensor variation)
 * @param blurSigma Gaussian blur to apply before encoding (0 for none)
 * @param motionBlur horizontal motion blur length in pixels (0 for none)
 * @param ids the id buffer (tests only; null unless requested)
 */
public record RenderedFrame(
    int width,
    int height,
    byte[] bgr,
    FrameLabels labels,
    byte[] drivable,
    byte[] lane,
    int jpegQuality,
    double blurSigma,
    int motionBlur,
    int[] ids) {}
