#!/usr/bin/env bash
# The slowest test classes of the last test run (`./mvnw verify` or `test`), read from Surefire's XML reports
# in every module's target/surefire-reports, then each module's total. Usage: local/slowest-tests.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-15}
shopt -s nullglob
reports=(*/target/surefire-reports/TEST-*.xml)
if [ ${#reports[@]} -eq 0 ]; then
  echo "No Surefire reports under */target/surefire-reports: run the tests first." >&2
  exit 1
fi
# One line per class: seconds, module, class (Surefire may write thousands with a comma).
per_class=$(for report in "${reports[@]}"; do
  sed -n 's/^<testsuite .* name="\([^"]*\)" time="\([^"]*\)".*/\2 \1/p' "$report" | head -n 1 | tr -d , \
    | awk -v module="${report%%/*}" '{ print $1, module, $2 }'
done)
echo "Slowest $count test classes (seconds, module, class):"
sort -rn <<<"$per_class" | head -n "$count" | awk '{ printf "%8.1f  %-18s %s\n", $1, $2, $3 }'
echo "Per module (sum of its classes, seconds):"
awk '{ sum[$2] += $1 } END { for (m in sum) printf "%8.1f  %s\n", sum[m], m }' <<<"$per_class" | sort -rn
