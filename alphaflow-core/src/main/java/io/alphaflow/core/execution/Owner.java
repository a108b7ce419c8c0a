package io.alphaflow.core.execution;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

/** Which process executes a run ({@code pid@host}), and whether that process still lives. */
public record Owner(long pid, String host) {

  public static Owner self() {
    return new Owner(ProcessHandle.current().pid(), hostName());
  }

  public static Owner parse(String text) {
    int at = text.indexOf('@');
    return new Owner(Long.parseLong(text.substring(0, at)), text.substring(at + 1));
  }

  @Override
  public String toString() {
    return pid + "@" + host;
  }

  /**
   * Whether this owner may still be executing: on this host, whether the process exists; on another
   * host, whether its last heartbeat is recent.
   */
  public boolean mayBeAlive(Instant heartbeat, Instant now, Duration staleAfter) {
    if (host.equals(hostName())) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    return heartbeat != null && heartbeat.plus(staleAfter).isAfter(now);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
