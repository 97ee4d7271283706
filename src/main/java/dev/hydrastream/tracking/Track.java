package dev.hydrastream.tracking;

/**
 * One track of a camera: its identity, life counters and a constant-velocity Kalman filter over the
 * box (DeepSORT/ByteTrack's filter: centre x, centre y, aspect ratio w/h, height, and their rates).
 * The filter's matrices are block-diagonal per coordinate (each coordinate and its rate evolve on
 * their own, and the noises are diagonal), so it is kept as four 2x2 filters: exactly the 8-state
 * filter, without 8x8 matrices.
 *
 * <p>Time is continuous: rates are per second and the prediction step is the time between the
 * frames' capture times, so the published velocity is in px/s and a missed frame is a longer step.
 * ByteTrack's noise weights are per frame at 30 fps; they are scaled by {@code dt / REF_SECONDS}.
 *
 * <p>The state is held in floats: what the store keeps is exactly what the tracker computes with,
 * so a tracker restored from its bytes continues bit for bit like one that never stopped.
 */
final class Track {

  /** ByteTrack's noise weights (relative to the box height). */
  private static final double STD_POS = 1.0 / 20;

  private static final double STD_VEL = 1.0 / 160;

  /** Frame interval the weights were tuned for (MOT17, 30 fps). */
  private static final double REF_SECONDS = 1.0 / 30;

  /** Noise of the aspect ratio, which does not scale with the height. */
  private static final double ASPECT_POS = 1e-2;

  private static final double ASPECT_VEL = 1e-5;
  private static final double ASPECT_MEASURE = 1e-1;

  /** Coordinates in {@link #mean}: 0..3 values, 4..7 their rates per second. */
  static final int CX = 0;

  static final int CY = 1;
  static final int ASPECT = 2;
  static final int HEIGHT = 3;

  final long id;
  final int classId;
  TrackState state;
  int hits;
  int age;
  int misses;
  float score;

  /** cx, cy, a, h, then d/dt of each. */
  final float[] mean = new float[8];

  /** Per coordinate i: var(x_i), cov(x_i, v_i), var(v_i) at 3i, 3i+1, 3i+2. */
  final float[] cov = new float[12];

  /**
   * The detection box matched in the current frame, or null: what a matched track reports (the
   * filter smooths the aspect ratio hard, and a box is expected to be where the object is seen).
   * Not part of the stored state: it is only read in the frame that set it.
   */
  double[] observed;

  Track(long id, int classId, TrackState state, int hits, int age, int misses, float score) {
    this.id = id;
    this.classId = classId;
    this.state = state;
    this.hits = hits;
    this.age = age;
    this.misses = misses;
    this.score = score;
  }

  /** A new track at a detection box (inclusive pixel bounds). */
  static Track start(long id, int classId, float score, double[] box, TrackState state) {
    Track t = new Track(id, classId, state, 1, 1, 0, score);
    t.observed = box;
    double[] z = measure(box);
    double h = z[HEIGHT];
    for (int i = 0; i < 4; i++) {
      t.mean[i] = (float) z[i];
      t.mean[4 + i] = 0;
      double pos = i == ASPECT ? ASPECT_POS : 2 * STD_POS * h;
      double vel = i == ASPECT ? ASPECT_VEL / REF_SECONDS : 10 * STD_VEL * h / REF_SECONDS;
      t.cov[3 * i] = (float) (pos * pos);
      t.cov[3 * i + 1] = 0;
      t.cov[3 * i + 2] = (float) (vel * vel);
    }
    return t;
  }

  /** Moves the filter {@code dt} seconds ahead (constant velocity plus process noise). */
  void predict(double dt) {
    if (state == TrackState.LOST) {
      // ByteTrack: a lost track keeps its size (height rate zeroed).
      mean[4 + HEIGHT] = 0;
    }
    if (dt <= 0) {
      return;
    }
    double h = mean[HEIGHT];
    double scale = dt / REF_SECONDS;
    for (int i = 0; i < 4; i++) {
      double pos = i == ASPECT ? ASPECT_POS : STD_POS * h;
      double vel = i == ASPECT ? ASPECT_VEL / REF_SECONDS : STD_VEL * h / REF_SECONDS;
      double pp = cov[3 * i];
      double pv = cov[3 * i + 1];
      double vv = cov[3 * i + 2];
      mean[i] = (float) (mean[i] + dt * mean[4 + i]);
      cov[3 * i] = (float) (pp + 2 * dt * pv + dt * dt * vv + pos * pos * scale);
      cov[3 * i + 1] = (float) (pv + dt * vv);
      cov[3 * i + 2] = (float) (vv + vel * vel * scale);
    }
    keepPositive();
  }

  /** Corrects the filter with a detection box. */
  void update(double[] box) {
    observed = box;
    double[] z = measure(box);
    double h = mean[HEIGHT];
    for (int i = 0; i < 4; i++) {
      double r = i == ASPECT ? ASPECT_MEASURE : STD_POS * h;
      double pp = cov[3 * i];
      double pv = cov[3 * i + 1];
      double vv = cov[3 * i + 2];
      double s = pp + r * r;
      double kp = pp / s;
      double kv = pv / s;
      double y = z[i] - mean[i];
      mean[i] = (float) (mean[i] + kp * y);
      mean[4 + i] = (float) (mean[4 + i] + kv * y);
      cov[3 * i] = (float) (pp - kp * pp);
      cov[3 * i + 1] = (float) (pv - kp * pv);
      cov[3 * i + 2] = (float) (vv - kv * pv);
    }
    keepPositive();
  }

  /** Relative growth of the height per second, (dh/dt)/h (0 for a degenerate height). */
  double scaleRate() {
    return mean[HEIGHT] > 0 ? mean[4 + HEIGHT] / mean[HEIGHT] : 0;
  }

  /** Squared Mahalanobis distance of a detection box from the filter's predicted measurement. */
  double mahalanobis(double[] box) {
    double[] z = measure(box);
    double h = mean[HEIGHT];
    double d2 = 0;
    for (int i = 0; i < 4; i++) {
      double r = i == ASPECT ? ASPECT_MEASURE : STD_POS * h;
      double y = z[i] - mean[i];
      d2 += y * y / (cov[3 * i] + r * r);
    }
    return d2;
  }

  /** A box never degenerates, whatever the filter extrapolates (lost tracks keep predicting). */
  private void keepPositive() {
    if (!(mean[HEIGHT] >= 1)) {
      mean[HEIGHT] = 1;
    }
    if (!(mean[ASPECT] >= 1e-3f)) {
      mean[ASPECT] = 1e-3f;
    }
  }

  /** The reported box: the detection matched in this frame, else the filter's. */
  void reportedBox(double[] out) {
    if (observed != null && state != TrackState.LOST) {
      System.arraycopy(observed, 0, out, 0, 4);
    } else {
      box(out);
    }
  }

  /** The filter's box as inclusive pixel bounds {@code x1, y1, x2, y2}. */
  void box(double[] out) {
    double h = mean[HEIGHT];
    double w = Math.max(1, mean[ASPECT] * h);
    out[0] = mean[CX] - (w - 1) / 2;
    out[1] = mean[CY] - (h - 1) / 2;
    out[2] = mean[CX] + (w - 1) / 2;
    out[3] = mean[CY] + (h - 1) / 2;
  }

  /** Inclusive pixel bounds to the filter's measurement (cx, cy, w/h, h). */
  private static double[] measure(double[] box) {
    double w = box[2] - box[0] + 1;
    double h = box[3] - box[1] + 1;
    return new double[] {(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, w / h, h};
  }
}
