#!/usr/bin/env bash
# One command from a fresh machine: system packages, npm assets, the native shim, the notebook kernel (a local
# dotnet tool) and the .NET build.
# Idempotent: every step checks what is already there. Stops with a message at the first failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nsetup.sh: FAILED: %s\n' "$*" >&2; exit 1; }
trap 'fail "step above exited with status $? (line $LINENO)"' ERR

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || fail "not root and no sudo: run as root to install Debian packages"
  SUDO="sudo"
fi

# Debian packages: the engine (libtorch 1.13 + OpenBLAS, without which libtorch uses the ~15x slower
# reference BLAS), the build tools, and the Python/Chromium references that tests compare against.
APT_PACKAGES=(
  libtorch-dev libopenblas0-openmp cmake g++ make libicu72
  python3 python3-torch python3-sklearn python3-nbformat python3-nltk
  chromium nodejs npm
)
step "Debian packages: ${APT_PACKAGES[*]}"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from elsewhere (nvm, a preinstalled toolchain): only ask apt when the command is absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -q || fail "apt-get update failed (no access to the Debian mirror?)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]} failed"
else
  echo "all present"
fi

step "BLAS: make libtorch use OpenBLAS (openmp)"
blas="$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | awk '/^Value:/{print $2}')"
case "$blas" in
  *openblas*) echo "libblas.so.3 -> $blas" ;;
  *) cand="$(update-alternatives --list libblas.so.3-x86_64-linux-gnu | grep openblas-openmp | head -n1)"
     [ -n "$cand" ] || fail "libopenblas0-openmp is installed but not registered as libblas.so.3"
     $SUDO update-alternatives --set libblas.so.3-x86_64-linux-gnu "$cand"
     echo "libblas.so.3 -> $cand" ;;
esac

step "npm assets (environment/package.json): plotly.js, KaTeX, Qwen tokenizer.json, reference tokenizer"
command -v npm >/dev/null || fail "npm not found"
(cd "$ROOT/environment" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed in environment/"
test -f "$ROOT/environment/node_modules/plotly.js-dist-min/plotly.min.js" || fail "plotly.min.js missing after npm ci"

step "native shim (lib/LatentRules.Native) against libtorch"
"$ROOT/lib/LatentRules.Native/build.sh" || fail "native shim build failed"

step "the .NET Interactive kernel (dotnet tool Microsoft.dotnet-interactive, pinned in .config/dotnet-tools.json)"
command -v dotnet >/dev/null || fail "dotnet (SDK 10) not found on PATH"
(cd "$ROOT" && dotnet tool restore) || fail "dotnet tool restore failed (is the NuGet feed reachable?)"

step "dotnet: restore and build the solution"
(cd "$ROOT" && dotnet build LatentRules.slnx -c Debug -nologo -v quiet) || fail "dotnet build failed"

step "done: now run 'dotnet test' in $ROOT"
