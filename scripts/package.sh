#!/usr/bin/env bash
# Builds the Linux packages into dist/ with their SHA-256 checksums (dist/SHA256SUMS):
#
#   scripts/package.sh                     # release build, then a .deb and an .rpm
#   scripts/package.sh --bundles deb       # only the .deb
#   scripts/package.sh --reuse-debug       # package target/debug/jc-onboard-app as it is (CI:
#                                          # the binary `cargo test` built and the E2E suite tested)
#
# The packages come from Tauri's bundler (the Tauri CLI from npm, in ui/node_modules) with what
# tauri.conf.json and packaging/ give it: icons, desktop entry, AppStream metainfo, license,
# dependencies. The version is the workspace's (Cargo.toml), and the metainfo's newest release
# must say the same. An AppImage is not built here: its bundler downloads tools (linuxdeploy)
# from outside the package registries, which these machines cannot reach.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bundles="deb,rpm"
reuse_debug=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bundles) bundles="$2"; shift 2 ;;
    --reuse-debug) reuse_debug=1; shift ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
  esac
done

cd "$ROOT"
version=$(workspace_version)
metainfo="packaging/com.jconboard.wizard.metainfo.xml"
released=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n1 | cut -d'"' -f2)
if [ "$released" != "$version" ]; then
  echo "package: $metainfo's newest release is $released, the workspace version is $version: add a <release> for $version" >&2
  exit 1
fi

tauri=(node "$ROOT/ui/node_modules/@tauri-apps/cli/tauri.js")
[ -f "$ROOT/ui/node_modules/@tauri-apps/cli/tauri.js" ] || build_ui
[ -f "$ROOT/ui/dist/index.html" ] || build_ui

# Whatever an earlier run left there is not this run's package.
rm -rf target/debug/bundle target/release/bundle

if [ "$reuse_debug" = 1 ]; then
  profile=debug
  [ -x target/debug/jc-onboard-app ] || { echo "package: no target/debug/jc-onboard-app (run cargo test first)" >&2; exit 1; }
  say "packaging the debug binary as built ($bundles)"
  (cd src-tauri && "${tauri[@]}" bundle --ci --debug --bundles "$bundles" --no-binary-patching)
else
  profile=release
  say "release build"
  cargo build --locked --release -p jc-onboard-app "${APP_FEATURES[@]}"
  say "packaging ($bundles)"
  (cd src-tauri && "${tauri[@]}" bundle --ci --bundles "$bundles" --no-binary-patching)
fi

# The bundler names files after the product ("JumpCloud Onboarding_..."); dist/ uses the
# package's own name, as apt and dnf show it.
rm -rf dist && mkdir -p dist
out="target/$profile/bundle"
for deb in "$out"/deb/*_"$version"_*.deb; do
  [ -e "$deb" ] || continue
  [ "$(dpkg-deb -f "$deb" Package)" = "$PACKAGE_NAME" ] || { echo "package: $deb is not $PACKAGE_NAME" >&2; exit 1; }
  cp "$deb" "dist/${PACKAGE_NAME}_${version}_$(dpkg-deb -f "$deb" Architecture).deb"
done
for rpm in "$out"/rpm/*-"$version"-*.rpm; do
  [ -e "$rpm" ] || continue
  base=$(basename "$rpm")
  cp "$rpm" "dist/$PACKAGE_NAME-${base#*-}"
done
[ -n "$(ls dist)" ] || { echo "package: the bundler made no $bundles for $version" >&2; exit 1; }
(cd dist && sha256sum -- * > SHA256SUMS)
say "packages in dist/:"
(cd dist && ls -l && cat SHA256SUMS) >&2
