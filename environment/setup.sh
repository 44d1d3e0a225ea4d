#!/usr/bin/env bash
# One command from a fresh machine: system packages, npm assets, the notebook kernel (a local dotnet tool) and the
# .NET build (whose NuGet restore brings the engine: TorchSharp 0.107 with libtorch 2.10, about 720 MB).
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

# Debian packages: ICU for the tokenizers, and the references tests and benchmarks compare against: PyTorch 1.13
# (python3-torch, run only in its own python3 processes; OpenBLAS, without which it uses the ~15x slower reference
# BLAS), scikit-learn, nbformat, nltk, Chromium. The engine itself comes from NuGet (TorchSharp), not from here.
APT_PACKAGES=(
  libicu72
  python3 python3-torch libopenblas0-openmp python3-sklearn python3-nbformat python3-nltk
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

step "BLAS: make the PyTorch reference (Debian's libtorch 1.13) use OpenBLAS (openmp)"
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

step "the .NET Interactive kernel (dotnet tool Microsoft.dotnet-interactive, pinned in .config/dotnet-tools.json)"
command -v dotnet >/dev/null || fail "dotnet (SDK 10) not found on PATH"
(cd "$ROOT" && dotnet tool restore) || fail "dotnet tool restore failed (is the NuGet feed reachable?)"

step "dotnet: restore (TorchSharp + libtorch-cpu-linux-x64 from NuGet) and build the solution"
# The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak where the system libstdc++ lacks that
# version (Debian 12); see environment/README.md, "libstdc++ and TorchSharp". It prints a line when it does.
(cd "$ROOT" && dotnet build LatentRules.slnx -c Debug -nologo -v quiet) || fail "dotnet build failed"

step "done: now run 'dotnet test' in $ROOT"
