package io.alphaflow.quant.models;

import io.alphaflow.quant.data.Sql;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The time range of some rows, for manifests: {from, to} as ISO timestamps. */
final class Windows {
  private Windows() {}

  static Map<String, Object> range(TrainingSet data, String where) throws SQLException {
    Map<String, Object> r =
        Sql.row(
            data.db,
            "SELECT CAST(make_timestamp(min(__t)) AS VARCHAR) AS f,"
                + " CAST(make_timestamp(max(__t)) AS VARCHAR) AS t FROM train_src WHERE "
                + where);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("from", r.get("f"));
    out.put("to", r.get("t"));
    return out;
  }
}
