package io.alphaflow.core.event;

/**
 * Receives engine events after they are stored, on the engine's thread: keep it quick, hand slow
 * work (webhooks, UI pushes) to a queue of your own. A listener that throws is logged and skipped;
 * it never breaks a run.
 */
@FunctionalInterface
public interface EventListener {
  void onEvent(Event event);
}
