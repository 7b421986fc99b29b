#!/usr/bin/env bash
# Deploys the huddle-ingest CDK app to a running LocalStack with cdklocal and -c localstack=true.
# Usage: infra-cdk/localstack/deploy.sh [--synth-only] [extra cdk deploy arguments]
#   --synth-only  everything up to the deploy (npm tools, the Lambda jars, the LocalStack template in
#                 infra-cdk/cdk.out.localstack/), with no LocalStack and no network once node_modules
#                 and ~/.m2 are filled; template-tests runs it on every build.
# Environment: LOCALSTACK_ENDPOINT (default http://localhost:4566; AWS_ENDPOINT_URL_S3 for S3 when it differs),
# AWS_REGION (default us-east-1),
# HUDDLE_PREBUILT=1 (use the functions jars and CDK app the Maven reactor just built; see synth-app).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CDK_DIR="$ROOT/infra-cdk"
# A cloud assembly of its own: a plain `cdk synth` (the AWS template, cdk.out/) never overwrites it.
ASSEMBLY="cdk.out.localstack"

SYNTH_ONLY=false
if [ "${1:-}" = "--synth-only" ]; then
  SYNTH_ONLY=true
  shift
fi

ENDPOINT="${LOCALSTACK_ENDPOINT:-http://localhost:4566}"
# cdklocal drops every AWS_* variable but the endpoints and those listed here, and sets the keys to "test":
# nothing reaches AWS. Its default endpoints are localhost.localstack.cloud:4566 (EDGE_PORT), and
# s3.localhost.localstack.cloud for S3 (bucket subdomains resolve to 127.0.0.1 there).
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="$AWS_REGION"
export AWS_ENVAR_ALLOWLIST="AWS_REGION,AWS_DEFAULT_REGION"
if [ -n "${LOCALSTACK_ENDPOINT:-}" ]; then
  # cdklocal refuses AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_S3: set that too when S3 needs its own name.
  export AWS_ENDPOINT_URL="$ENDPOINT"
  export AWS_ENDPOINT_URL_S3="${AWS_ENDPOINT_URL_S3:-$ENDPOINT}"
fi
# No call to npm (version check) or to the CLI's telemetry endpoint: synth runs without a network.
export CDK_DISABLE_VERSION_CHECK=1
export CDK_DISABLE_CLI_TELEMETRY=true

fail() { echo "deploy.sh: $*" >&2; exit 1; }

# 1. LocalStack must be up (not for --synth-only): its health endpoint answers with the list of services.
if [ "$SYNTH_ONLY" = false ]; then
  if ! health="$(curl -fsS --max-time 5 "$ENDPOINT/_localstack/health" 2>/dev/null)"; then
    fail "LocalStack is not running at $ENDPOINT (no answer from /_localstack/health).
Start it first, e.g. 'localstack start -d' (see infra-cdk/localstack/README.md), or set LOCALSTACK_ENDPOINT."
  fi
  echo "LocalStack answers at $ENDPOINT"
  case "$health" in
    *'"apigatewayv2"'*) ;;
    *) echo "warning: this LocalStack lists no apigatewayv2 service; the HTTP API needs a LocalStack edition with API Gateway v2 (see README)." >&2 ;;
  esac
fi

# 2. The pinned cdklocal (aws-cdk-local) and aws-cdk from the root package.json.
CDKLOCAL="$ROOT/node_modules/.bin/cdklocal"
if [ ! -x "$CDKLOCAL" ]; then
  (cd "$ROOT" && npm ci --no-audit --no-fund --prefer-offline --cache "$ROOT/.npm-cache") || fail "npm ci failed"
fi
[ -x "$CDKLOCAL" ] || fail "cdklocal is not installed: the root package.json must pin aws-cdk-local (and aws-cdk)."

# 3. The Lambda jars the stack deploys (one per function family), and the CDK app: synth-app builds both with a
# JDK 21+ when stale.
"$CDK_DIR/synth-app" --build-only || fail "building the Lambda jars and the CDK app failed"

# 4. The LocalStack template. cdk.json (the app, notices and telemetry off) lives in infra-cdk/, so the CLI
# runs there.
cd "$CDK_DIR"
"$CDKLOCAL" synth -c localstack=true --no-notices --output "$ASSEMBLY" >/dev/null
echo "Synthesized the LocalStack template into infra-cdk/$ASSEMBLY/"
if [ "$SYNTH_ONLY" = true ]; then
  exit 0
fi

# 5. Bootstrap (idempotent) and deploy the assembly just synthesized, so what deploys is what was checked.
"$CDKLOCAL" bootstrap --app "$ASSEMBLY" --no-notices
"$CDKLOCAL" deploy --all --app "$ASSEMBLY" --require-approval never --no-notices \
  --outputs-file "$CDK_DIR/localstack/outputs.json" "$@"
echo "Deployed. Outputs in infra-cdk/localstack/outputs.json; next: infra-cdk/localstack/smoke.sh"
