#!/usr/bin/env bash
# Prints the home of a JDK 21 or newer (the Lambda target is java21): $JAVA_HOME when it is new enough,
# else the newest one under /usr/lib/jvm, else the JDK of `java` on the PATH. Exits 1 when there is none.
set -euo pipefail
major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
ok() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(major "$1")" -ge 21 ] 2>/dev/null; }
if [ -n "${JAVA_HOME:-}" ] && ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
# Newest version first; the glob stays literal when /usr/lib/jvm is missing or empty (ok() then refuses it).
while IFS= read -r home; do
  if ok "$home"; then echo "$home"; exit 0; fi
done < <(printf '%s\n' /usr/lib/jvm/*/ | sed 's#/$##' | sort -rV)
if command -v javac >/dev/null 2>&1; then
  home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  if ok "$home"; then echo "$home"; exit 0; fi
fi
echo "No JDK 21+ found: install one (e.g. Temurin 21 or 25) and set JAVA_HOME." >&2
exit 1
