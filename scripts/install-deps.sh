#!/usr/bin/env bash
# Installs what the app and the tests need from the system's packages (idempotent; does nothing
# when all is there): Prometheus and Alertmanager (a lab's monitoring; promtool and amtool for the
# rule tests), ss (iproute2) and ps (procps) for the tests, Chromium and a font for the e2e tests
# (playwright-core drives /usr/bin/chromium; no browser download), and on the Python side moto,
# boto3 and cfn-lint for the AWS tests. Debian/Ubuntu (apt-get); elsewhere install the same by hand.
# The sim control-plane binaries are built by `npm test` itself (cached; see docs/sim-binaries.md),
# which needs Go >= 1.26 on PATH.
set -euo pipefail

need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
command -v amtool >/dev/null || need+=(prometheus-alertmanager)
command -v ss >/dev/null || need+=(iproute2)
command -v ps >/dev/null || need+=(procps)
[ -x /usr/bin/chromium ] || need+=(chromium)
# Headless Chromium draws text (and screenshots) with fontconfig's fonts; without one, nothing reads.
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)

if [ ${#need[@]} -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "installing Debian packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The Debian packages start services; the tests run their own processes on free ports.
  $sudo systemctl disable --now prometheus prometheus-node-exporter prometheus-alertmanager >/dev/null 2>&1 || true
fi

# Python side of the AWS tests: moto (the AWS emulator, run as moto_server), boto3 (the
# independent check of what promote created) and cfn-lint (CloudFormation's linter).
if ! python3 -c 'import moto, boto3, flask' >/dev/null 2>&1 || ! command -v moto_server >/dev/null || ! command -v cfn-lint >/dev/null; then
  echo "installing Python packages: moto[server] boto3 cfn-lint"
  python3 -m pip install --quiet 'moto[server]>=5.2,<6' boto3 cfn-lint
fi

command -v go >/dev/null || echo "warning: Go is not on PATH; npm test builds the sim binaries with Go >= 1.26 unless they are already cached" >&2
command -v kubectl >/dev/null || echo "note: no kubectl on PATH; tests use the lab's own kubectl from the cache" >&2
echo "dependencies are in place"
