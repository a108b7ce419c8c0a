package io.alphaflow.core.backfill;

import io.alphaflow.core.InvalidInputException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How a backfill range is cut into runs: one per day, or one per week (its Monday). */
public enum Partition {
  DAILY,
  WEEKLY;

  public static Partition parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("unknown partition '" + text + "': use daily or weekly");
    }
  }

  /** The partition dates from {@code from} to {@code to}, both included. */
  public List<LocalDate> dates(LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw new InvalidInputException("--to " + to + " is before --from " + from);
    }
    List<LocalDate> out = new ArrayList<>();
    LocalDate d =
        this == WEEKLY ? from.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : from;
    while (!d.isAfter(to)) {
      out.add(d);
      d = this == WEEKLY ? d.plusWeeks(1) : d.plusDays(1);
    }
    return out;
  }
}
