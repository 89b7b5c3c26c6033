# Sourced by ./mvnw, ./p2pchat and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if new enough, then `java` on PATH, then the usual install locations.
p2pchat_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
p2pchat_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")" \
      /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*21* /usr/lib/jvm/* \
      /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(p2pchat_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "p2pchat needs a JDK 21 or newer, and none was found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "Install one and/or set JAVA_HOME to it: 'apt-get install openjdk-21-jdk' on Debian 13 / Ubuntu 24.04;" >&2
  echo "on Debian 12, temurin-21-jdk from the Adoptium APT repository (https://adoptium.net/installation/linux/)." >&2
  return 1
}
p2pchat_find_jdk || exit 1
