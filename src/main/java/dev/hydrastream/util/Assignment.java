package dev.hydrastream.util;

import java.util.Arrays;

/**
 * Maximum-weight bipartite matching (the linear assignment problem), used to associate tracks with
 * detections and tracker ids with ground-truth ids. Only pairs with a positive weight may be
 * matched; a row or column may stay unmatched. The matrix is first cut into connected components of
 * matchable pairs (the usual case in tracking: a box overlaps few others), and each component is
 * solved exactly by the Hungarian method with potentials, O(r²c) for r rows ≤ c columns.
 * Deterministic: equal inputs give equal matchings.
 */
public final class Assignment {

  private Assignment() {}

  /**
   * The matching of largest total weight.
   *
   * @param weights {@code weights[row][col]}; a pair may be matched only if its weight is positive
   *     (zero, negative and NaN mean "never"); all rows have the same length
   * @return for each row, its matched column or -1
   */
  public static int[] maxWeight(double[][] weights) {
    int rows = weights.length;
    int[] match = new int[rows];
    Arrays.fill(match, -1);
    if (rows == 0) {
      return match;
    }
    int cols = weights[0].length;
    for (double[] row : weights) {
      if (row.length != cols) {
        throw new IllegalArgumentException("ragged weight matrix");
      }
    }
    // Union-find over rows (0..rows-1) and columns (rows..rows+cols-1) joined by matchable pairs.
    int[] parent = new int[rows + cols];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (weights[r][c] > 0) {
          union(parent, r, rows + c);
        }
      }
    }
    // Members of each component, in index order.
    int[] compRows = new int[rows];
    int[] compCols = new int[cols];
    boolean[] done = new boolean[rows];
    for (int r0 = 0; r0 < rows; r0++) {
      if (done[r0]) {
        continue;
      }
      int root = find(parent, r0);
      int nr = 0;
      for (int r = r0; r < rows; r++) {
        if (!done[r] && find(parent, r) == root) {
          compRows[nr++] = r;
          done[r] = true;
        }
      }
      int nc = 0;
      for (int c = 0; c < cols; c++) {
        if (find(parent, rows + c) == root) {
          compCols[nc++] = c;
        }
      }
      if (nc == 0) {
        continue;
      }
      if (nr == 1 && nc == 1) {
        match[compRows[0]] = compCols[0];
        continue;
      }
      solve(weights, compRows, nr, compCols, nc, match);
    }
    return match;
  }

  /** Hungarian method on one component; writes its row → column pairs into {@code match}. */
  private static void solve(double[][] w, int[] rowIdx, int nr, int[] colIdx, int nc, int[] match) {
    boolean transpose = nr > nc;
    int n = transpose ? nc : nr; // rows of the solved matrix, n <= m
    int m = transpose ? nr : nc;
    double[][] cost = new double[n + 1][m + 1];
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        double v = transpose ? w[rowIdx[j - 1]][colIdx[i - 1]] : w[rowIdx[i - 1]][colIdx[j - 1]];
        // Unmatchable pairs cost 0, the same as leaving both unmatched; they are dropped below.
        cost[i][j] = v > 0 ? -v : 0;
      }
    }
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] p = new int[m + 1];
    int[] way = new int[m + 1];
    double[] minv = new double[m + 1];
    boolean[] used = new boolean[m + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            double cur = cost[i0][j] - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    for (int j = 1; j <= m; j++) {
      int i = p[j];
      if (i == 0) {
        continue;
      }
      int row = transpose ? rowIdx[j - 1] : rowIdx[i - 1];
      int col = transpose ? colIdx[i - 1] : colIdx[j - 1];
      if (w[row][col] > 0) {
        match[row] = col;
      }
    }
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
