package io.alphaflow.quant.models;

/**
 * Solves the normal equations C b = c for a small symmetric covariance matrix C by its eigen
 * decomposition (cyclic Jacobi), dropping directions whose eigenvalue is negligible: the
 * minimum-norm solution, as numpy's lstsq gives when features are collinear (seed 000's
 * large_order_imbalance is LARGEBUYRATE - LARGESELLRATE).
 */
final class LeastSquares {
  private LeastSquares() {}

  static double[] solve(double[][] c, double[] rhs) {
    int k = rhs.length;
    double[][] a = new double[k][];
    for (int i = 0; i < k; i++) {
      a[i] = c[i].clone();
    }
    double[][] v = new double[k][k];
    for (int i = 0; i < k; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < k; p++) {
        for (int q = p + 1; q < k; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-30) {
        break;
      }
      for (int p = 0; p < k; p++) {
        for (int q = p + 1; q < k; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double cs = 1 / Math.sqrt(t * t + 1);
          double sn = t * cs;
          for (int r = 0; r < k; r++) {
            double arp = a[r][p];
            double arq = a[r][q];
            a[r][p] = cs * arp - sn * arq;
            a[r][q] = sn * arp + cs * arq;
          }
          for (int r = 0; r < k; r++) {
            double apr = a[p][r];
            double aqr = a[q][r];
            a[p][r] = cs * apr - sn * aqr;
            a[q][r] = sn * apr + cs * aqr;
          }
          for (int r = 0; r < k; r++) {
            double vrp = v[r][p];
            double vrq = v[r][q];
            v[r][p] = cs * vrp - sn * vrq;
            v[r][q] = sn * vrp + cs * vrq;
          }
        }
      }
    }
    double largest = 0;
    for (int i = 0; i < k; i++) {
      largest = Math.max(largest, Math.abs(a[i][i]));
    }
    double[] b = new double[k];
    for (int e = 0; e < k; e++) {
      double lambda = a[e][e];
      if (Math.abs(lambda) <= largest * 1e-10) {
        continue; // a collinear direction: contributes nothing to the minimum-norm solution
      }
      double proj = 0;
      for (int i = 0; i < k; i++) {
        proj += v[i][e] * rhs[i];
      }
      for (int i = 0; i < k; i++) {
        b[i] += v[i][e] * proj / lambda;
      }
    }
    return b;
  }
}
