#!/usr/bin/env bash
# Builds and runs every test in Release and ends with one summary line:
#   N passed, N failed, N skipped
# Exit status is non-zero when dotnet test fails, any test fails, or no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS_DIR="${TEST_RESULTS_DIR:-$PWD/artifacts/test-results}"

scripts/install-deps.sh

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

status=0
dotnet test VoipPlatform.sln -c Release \
  --logger "trx;LogFileName=results.trx" \
  --results-directory "$RESULTS_DIR" || status=$?

# Sum the <Counters .../> of every TRX file (one per test project).
counter() { # $1 = attribute, $2 = file
  grep -o "<Counters [^>]*" "$2" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0
}

total=0 passed=0 failed=0 skipped=0
while IFS= read -r -d '' trx; do
  t=$(counter total "$trx"); p=$(counter passed "$trx")
  f=$(( $(counter failed "$trx") + $(counter error "$trx") + $(counter timeout "$trx") + $(counter aborted "$trx") ))
  # TRX has no "skipped" counter: skipped tests are in total but not in executed
  # (checked with xunit 2.9 + VSTest: notExecuted stays 0).
  s=$(( t - $(counter executed "$trx") ))
  total=$((total + t)); passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done < <(find "$RESULTS_DIR" -name '*.trx' -print0)

if [ "$status" -ne 0 ]; then
  echo "test.sh: dotnet test exited with $status" >&2
elif [ "$total" -eq 0 ]; then
  echo "test.sh: no tests ran" >&2
  status=1
elif [ "$failed" -gt 0 ]; then
  status=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
