package dev.hydrastream.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The assignment solver against hand-worked cases and brute force. */
class AssignmentTest {

  @Test
  void picksTheBetterTotalOverTheGreedyPair() {
    // Greedy would take (0,0)=0.9 and leave row 1 with 0.1; the optimum pairs crosswise: 0.8+0.8.
    double[][] w = {
      {0.9, 0.8},
      {0.8, 0.1}
    };
    assertThat(Assignment.maxWeight(w)).containsExactly(1, 0);
  }

  @Test
  void unmatchablePairsStayUnmatched() {
    double[][] w = {
      {0, 0, 0.5},
      {0, Double.NaN, -1},
      {0.2, 0, 0}
    };
    assertThat(Assignment.maxWeight(w)).containsExactly(2, -1, 0);
  }

  @Test
  void rectangularBothWays() {
    double[][] wide = {{0.1, 0.7, 0.3}};
    assertThat(Assignment.maxWeight(wide)).containsExactly(1);
    double[][] tall = {{0.1}, {0.7}, {0.3}};
    assertThat(Assignment.maxWeight(tall)).containsExactly(-1, 0, -1);
    assertThat(Assignment.maxWeight(new double[0][0])).isEmpty();
  }

  @Test
  void optimalOnRandomSparseMatricesByBruteForce() {
    Random r = new Random(7);
    for (int round = 0; round < 300; round++) {
      int rows = 1 + r.nextInt(6);
      int cols = 1 + r.nextInt(6);
      double[][] w = new double[rows][cols];
      for (double[] row : w) {
        for (int c = 0; c < cols; c++) {
          row[c] = r.nextDouble() < 0.5 ? 0 : r.nextDouble();
        }
      }
      int[] m = Assignment.maxWeight(w);
      boolean[] used = new boolean[cols];
      double total = 0;
      for (int i = 0; i < rows; i++) {
        if (m[i] >= 0) {
          assertThat(w[i][m[i]]).isPositive();
          assertThat(used[m[i]]).isFalse();
          used[m[i]] = true;
          total += w[i][m[i]];
        }
      }
      assertThat(total).as("round %d", round).isCloseTo(best(w, 0, new boolean[cols]), within());
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  private static double best(double[][] w, int row, boolean[] used) {
    if (row == w.length) {
      return 0;
    }
    double b = best(w, row + 1, used);
    for (int c = 0; c < used.length; c++) {
      if (!used[c] && w[row][c] > 0) {
        used[c] = true;
        b = Math.max(b, w[row][c] + best(w, row + 1, used));
        used[c] = false;
      }
    }
    return b;
  }
}
