#!/usr/bin/env bash
# Deploys the huddle-ingest CDK app to a running LocalStack with cdklocal and -c localstack=true.
# Usage: infra-cdk/localstack/deploy.sh [extra cdk deploy arguments]
# Environment: LOCALSTACK_ENDPOINT (default http://localhost:4566), AWS_REGION (default us-east-1).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ENDPOINT="${LOCALSTACK_ENDPOINT:-http://localhost:4566}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="$AWS_REGION"
# LocalStack accepts any keys; these never reach AWS (cdklocal points every call at the endpoint).
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_ENDPOINT_URL="$ENDPOINT"
export CDK_DISABLE_VERSION_CHECK=1
export CDK_DISABLE_CLI_TELEMETRY=true

fail() { echo "deploy.sh: $*" >&2; exit 1; }

# 1. LocalStack must be up: its health endpoint answers with the list of services.
if ! health="$(curl -fsS --max-time 5 "$ENDPOINT/_localstack/health" 2>/dev/null)"; then
  fail "LocalStack is not running at $ENDPOINT (no answer from /_localstack/health).
Start it first, e.g. 'localstack start -d' (see infra-cdk/localstack/README.md), or set LOCALSTACK_ENDPOINT."
fi
echo "LocalStack answers at $ENDPOINT"
case "$health" in
  *'"apigatewayv2"'*) ;;
  *) echo "warning: this LocalStack lists no apigatewayv2 service; the HTTP API needs a LocalStack edition with API Gateway v2 (see README)." >&2 ;;
esac

# 2. The pinned cdklocal (aws-cdk-local) and aws-cdk from the root package.json.
CDKLOCAL="$ROOT/node_modules/.bin/cdklocal"
if [ ! -x "$CDKLOCAL" ]; then
  (cd "$ROOT" && npm ci --no-audit --no-fund --cache "$ROOT/.npm-cache") || fail "npm ci failed"
fi
[ -x "$CDKLOCAL" ] || fail "cdklocal is not installed: the root package.json must pin aws-cdk-local (and aws-cdk)."

# 3. The Lambda jar the stack deploys.
(cd "$ROOT" && ./mvnw -B -q -pl functions -am package -DskipTests) || fail "building the Lambda jar failed"

# 4. Bootstrap (idempotent) and deploy with the LocalStack switches.
cd "$ROOT"
"$CDKLOCAL" bootstrap -c localstack=true --no-notices
"$CDKLOCAL" deploy --all -c localstack=true --require-approval never --no-notices \
  --outputs-file "$ROOT/infra-cdk/localstack/outputs.json" "$@"
echo "Deployed. Outputs in infra-cdk/localstack/outputs.json; next: infra-cdk/localstack/smoke.sh"
