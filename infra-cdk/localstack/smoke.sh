#!/usr/bin/env bash
# Smoke test of a LocalStack deployment: reads the stack outputs written by deploy.sh, gets a token,
# posts the sample progress batch (events-samples/apigw_v2_progress_batch_valid.json, fresh ids and times)
# to the deployed API and checks the JSON answer. Prints PASS (exit 0) only when every event was accepted
# (or is a duplicate); anything else, a rejected event included, prints FAIL (exit 1).
# Environment: OUTPUTS (default infra-cdk/localstack/outputs.json), TOKEN (skip the Cognito step and
# use this bearer token), LOCALSTACK_ENDPOINT (default http://localhost:4566).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUTPUTS="${OUTPUTS:-$ROOT/infra-cdk/localstack/outputs.json}"
ENDPOINT="${LOCALSTACK_ENDPOINT:-http://localhost:4566}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="$AWS_REGION"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"

fail() { echo "FAIL: $*"; exit 1; }
command -v node >/dev/null 2>&1 || fail "node is not installed (it reads the outputs and the answer)"
[ -f "$OUTPUTS" ] || fail "no stack outputs at $OUTPUTS (run infra-cdk/localstack/deploy.sh first)"

# The first output whose key contains $1 (case-insensitive), across all stacks.
output() {
  node -e '
    const outputs = require(process.argv[1]); const want = process.argv[2].toLowerCase();
    for (const stack of Object.values(outputs)) for (const [k, v] of Object.entries(stack))
      if (k.toLowerCase().includes(want)) { console.log(v); process.exit(0); }
    process.exit(1);' "$OUTPUTS" "$1"
}

API_URL="$(output apiurl || output httpapi || true)"
[ -n "$API_URL" ] || fail "no API URL among the stack outputs in $OUTPUTS"
API_URL="${API_URL%/}"

if [ -z "${TOKEN:-}" ]; then
  POOL_ID="$(output userpoolid || true)"; CLIENT_ID="$(output userpoolclientid || output clientid || true)"
  if [ -z "$POOL_ID" ] || [ -z "$CLIENT_ID" ]; then
    fail "no TOKEN given and no user pool / client id among the outputs"
  fi
  command -v aws >/dev/null 2>&1 || fail "no TOKEN given and the aws CLI is not installed (it creates a Cognito user)"
  USER="smoke-$(date +%s)"; PASSWORD="Smoke-${RANDOM}-Passw0rd!"
  aws --endpoint-url "$ENDPOINT" cognito-idp admin-create-user --user-pool-id "$POOL_ID" --username "$USER" \
      --message-action SUPPRESS >/dev/null || fail "cannot create a Cognito test user"
  aws --endpoint-url "$ENDPOINT" cognito-idp admin-set-user-password --user-pool-id "$POOL_ID" --username "$USER" \
      --password "$PASSWORD" --permanent >/dev/null || fail "cannot set the test user's password"
  # USER_PASSWORD_AUTH: the flow the stack's app client allows (see Api.java), as in the README.
  TOKEN="$(aws --endpoint-url "$ENDPOINT" cognito-idp initiate-auth \
      --client-id "$CLIENT_ID" --auth-flow USER_PASSWORD_AUTH \
      --auth-parameters "USERNAME=$USER,PASSWORD=$PASSWORD" --query AuthenticationResult.AccessToken --output text)" \
      || fail "cannot get a token for the test user"
fi

# The body of the sample event (events-samples/), with fresh occurredAt values (old ones are rejected).
BODY="$(node -e '
  const event = require(process.argv[1]); const body = JSON.parse(event.body);
  const now = Date.now();
  body.events.forEach((e, i) => { e.occurredAt = new Date(now - 60000 + i * 1000).toISOString(); e.eventId = "smoke-" + now + "-" + i; });
  console.log(JSON.stringify(body));' "$ROOT/events-samples/apigw_v2_progress_batch_valid.json")"

ANSWER="$(mktemp)"; trap 'rm -f "$ANSWER"' EXIT
STATUS="$(curl -sS --max-time 30 -o "$ANSWER" -w '%{http_code}' -X POST "$API_URL/api/client/progress/batch" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data "$BODY")" || fail "the API did not answer"

# PASS needs every event of the batch accepted (or a duplicate of an earlier run): a 200 whose events all
# came back rejected (e.g. no_assignment: the token's user is not assigned to course-101) is a FAIL.
node -e '
  const fs = require("fs"); const status = Number(process.argv[1]); const sent = JSON.parse(process.argv[3]).events.length;
  let body; try { body = JSON.parse(fs.readFileSync(process.argv[2], "utf8")); } catch { console.log("FAIL: HTTP " + status + ", body is not JSON"); process.exit(1); }
  const lists = ["accepted", "duplicates", "rejected"];
  if (status !== 200 || !lists.every(k => Array.isArray(body[k]))) {
    console.log("FAIL: HTTP " + status + " " + JSON.stringify(body)); process.exit(1);
  }
  const counts = body.accepted.length + " accepted, " + body.duplicates.length + " duplicates, " + body.rejected.length + " rejected";
  if (body.rejected.length > 0 || body.accepted.length + body.duplicates.length !== sent) {
    const reasons = [...new Set(body.rejected.map(r => r.reason))].join(", ");
    console.log("FAIL: HTTP 200 but not every event was taken: " + counts + " of " + sent
      + (reasons ? " (" + reasons + ")" : "")
      + (reasons.includes("no_assignment") ? "; the user of the token needs an assignment to the sample course, course-101 (see infra-cdk/localstack/README.md)" : ""));
    process.exit(1);
  }
  console.log("PASS: HTTP 200, " + counts + " (" + sent + " events)");' "$STATUS" "$ANSWER" "$BODY"
