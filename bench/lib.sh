# Shared by the bench/* scripts: find a JDK 21+ and build the bench jar when it is missing.
bench_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"; return; fi
  local best="" best_major=0
  for home in /usr/lib/jvm/* /opt/java/*; do
    [ -x "$home/bin/java" ] || continue
    local major
    major=$("$home/bin/java" -version 2>&1 | awk -F'"' '/version/ {print $2}' | cut -d. -f1)
    if [ "${major:-0}" -gt "$best_major" ] 2>/dev/null; then best="$home/bin/java"; best_major="$major"; fi
  done
  [ "$best_major" -ge 21 ] || { echo "bench: needs a JDK 21 or newer" >&2; exit 2; }
  echo "$best"
}

bench_build() {
  local root="$1"
  local jar="$root/alphaflow-bench/target/alphaflow-bench.jar"
  # missing, or older than a bench source (a checkout that added a benchmark main)
  if [ ! -f "$jar" ] || [ -n "$(find "$root/alphaflow-bench/src" "$root/alphaflow-bench/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "bench: building (./mvnw -q -DskipTests package) ..." >&2
    (cd "$root" && JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(bench_java)")")")" \
      ./mvnw -q -DskipTests package >&2)
  fi
}
