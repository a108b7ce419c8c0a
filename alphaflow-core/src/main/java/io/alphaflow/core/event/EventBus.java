package io.alphaflow.core.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to listeners; a listener that throws is logged and the others still hear. */
public final class EventBus {
  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

  public void subscribe(EventListener listener) {
    listeners.add(listener);
  }

  public void unsubscribe(EventListener listener) {
    listeners.remove(listener);
  }

  public void publish(Event event) {
    for (EventListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("event listener {} failed on {}; the run goes on", l, event.type(), e);
      }
    }
  }

  public boolean hasListeners() {
    return !listeners.isEmpty();
  }
}
