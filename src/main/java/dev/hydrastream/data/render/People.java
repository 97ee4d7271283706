package dev.hydrastream.data.render;

import java.awt.Color;
import java.util.List;

/**
 * Places people: pedestrians on sidewalks and crossings (adults and children), bicycles parked on
 * the sidewalk, and riders on bicycles and motorcycles (rider and vehicle are two labels).
 */
final class People extends Placer {
  private static final List<Color> SHIRTS =
      Shapes.colours(
          0xC82828, 0x2846A0, 0xE6E6E6, 0x1E1E1E, 0x5A8C46, 0xE6AA28, 0x783C82, 0x966E50, 0x3CA0BE);
  private static final List<Color> TROUSERS =
      Shapes.colours(0x282D46, 0x1E1E1E, 0x6E645A, 0x46506E, 0xA09682);
  private static final List<Color> SKIN = Shapes.colours(0xF0C8AA, 0xC8966E, 0x8C5F41, 0x5A3C28);
  private static final List<Color> HAIR =
      Shapes.colours(0x19140F, 0x5A3C1E, 0xC8AA64, 0x828282, 0x3C2819);
  private static final Color HELMET = new Color(30, 30, 30);

  People(SceneBuild b) {
    super(b);
  }

  /** A pedestrian at {@code (x, z)}; {@code crossing} ones are seen from the side. */
  void pedestrian(double x, double z, boolean crossing) {
    Item it = b.object(z, "pedestrian");
    double h = rng.uniform(1.5, 1.92);
    if (rng.chance(0.1)) {
      h = rng.uniform(1.05, 1.35);
    }
    Color shirt = rng.pick(SHIRTS);
    Color trousers = rng.pick(TROUSERS);
    Color skin = rng.pick(SKIN);
    Color hair = rng.pick(HAIR);
    double stride = rng.uniform(0.2, 1.0);
    boolean side = crossing || rng.chance(0.3);
    if (b.video != null && !side) {
      // seen from front or back: walking along the road
      z = b.video.walkerDepth(z, it.objectId);
      it.depth = z;
    }
    b.figures.person(it, it.objectId, x, z, h, shirt, trousers, skin, hair, stride, side, 0);
  }

  /**
   * {@code count} pedestrians (and now and then a parked bicycle) on the sidewalks, which start
   * {@code innerOffset} beyond the road edge and are {@code width} wide, up to {@code zMax}.
   */
  void onSidewalks(int count, double innerOffset, double width, double zMax) {
    for (int i = 0; i < count; i++) {
      int side = rng.chance(0.5) ? 1 : -1;
      double z = rng.uniform(4, zMax);
      double edge = road.edge(side, z);
      double x = edge + side * (innerOffset + rng.uniform(0.3, Math.max(0.4, width - 0.3)));
      if (rng.chance(0.12)) {
        Item bike = b.object(z + 0.05, "bicycle");
        b.figures.twoWheeler(
            bike,
            bike.objectId,
            x,
            z + 0.05,
            false,
            true,
            rng.chance(0.5),
            rng.pick(SHIRTS),
            false,
            false);
      } else {
        pedestrian(x, z, false);
      }
    }
  }

  /** A bicycle or motorcycle with its rider: two labels, rider drawn in front. */
  void rider(double x, double z, boolean motor, boolean side, boolean oncoming) {
    Item bike = b.object(z + 0.02, motor ? "motorcycle" : "bicycle");
    double seat =
        b.figures.twoWheeler(
            bike,
            bike.objectId,
            x,
            z + 0.02,
            motor,
            side,
            rng.chance(0.5),
            motor ? Vehicles.carPaint(rng) : rng.pick(SHIRTS),
            lit,
            !oncoming);
    Item person = b.object(z, "rider");
    b.figures.person(
        person,
        person.objectId,
        x,
        z,
        rng.uniform(1.6, 1.85),
        rng.pick(SHIRTS),
        rng.pick(TROUSERS),
        rng.pick(SKIN),
        motor ? HELMET : rng.pick(HAIR),
        0.3,
        side,
        seat + 0.05);
  }
}
