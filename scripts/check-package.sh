#!/usr/bin/env bash
# Installs dist/<package>.deb with apt as a person would, checks that its files are where the
# desktop expects them, runs the demo walk end-to-end against the INSTALLED app, then removes
# the package and checks that nothing of it is left. Needs root (or sudo); CI runs it from
# scripts/test.sh after scripts/package.sh.
#
#   scripts/check-package.sh [dist/jump-cloud-onboarding_<version>_amd64.deb]
#
# Another run on the same machine (a parallel CI) waits its turn: install, test and removal
# hold one lock, so neither removes the package under the other.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

deb="${1:-}"
if [ -z "$deb" ]; then
  shopt -s nullglob
  debs=(dist/"$PACKAGE_NAME"_*.deb)
  [ ${#debs[@]} -eq 1 ] || { echo "check-package: expected one .deb in dist/, found ${#debs[@]} (run scripts/package.sh)" >&2; exit 2; }
  deb="${debs[0]}"
fi
deb="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
ensure_apt desktop-file-utils appstream

fail() { echo "check-package: $*" >&2; exit 1; }
installed() { dpkg-query -W -f='${Status}' "$PACKAGE_NAME" 2>/dev/null | grep -q "install ok installed"; }

exec 9>/var/lock/jc-onboard-check-package.lock
flock 9

if installed; then
  say "removing an earlier install of $PACKAGE_NAME"
  DEBIAN_FRONTEND=noninteractive as_root apt-get remove --purge -y -qq -o DPkg::Lock::Timeout=300 "$PACKAGE_NAME" >/dev/null
fi

say "what the package asks apt for"
for field in Depends Recommends; do
  for dep in $(dpkg-deb -f "$deb" "$field" | tr ',|' '\n\n' | sed 's/(.*)//; s/ //g'); do
    apt-cache show "$dep" >/dev/null 2>&1 || fail "$field: $dep is not a package apt knows here"
    echo "  $field: $dep" >&2
  done
done
for needed in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3; do
  dpkg-deb -f "$deb" Depends | grep -qw -- "$needed" || fail "the package does not depend on $needed"
done

say "apt install $(basename "$deb")"
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq -o DPkg::Lock::Timeout=300 "$deb" >/dev/null
installed || fail "$PACKAGE_NAME is not installed after apt install"
files=()
while IFS= read -r path; do [ -f "$path" ] && files+=("$path"); done < <(dpkg -L "$PACKAGE_NAME")

say "installed files"
[ "$(command -v jc-onboard-app)" = /usr/bin/jc-onboard-app ] || fail "jc-onboard-app is not on PATH as /usr/bin/jc-onboard-app"
desktop=$(printf '%s\n' "${files[@]}" | grep '^/usr/share/applications/.*\.desktop$' || true)
[ "$(printf '%s\n' "$desktop" | grep -c .)" = 1 ] || fail "expected one desktop entry, found: $desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $desktop"
grep -qx 'Exec=jc-onboard-app' "$desktop" || fail "the desktop entry does not start jc-onboard-app"
grep -qx 'Icon=jc-onboard-app' "$desktop" || fail "the desktop entry's icon is not jc-onboard-app"
metainfo=/usr/share/metainfo/com.jconboard.wizard.metainfo.xml
[ -f "$metainfo" ] || fail "no AppStream metainfo at $metainfo"
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli rejects $metainfo"
grep -q "<launchable type=\"desktop-id\">$(basename "$desktop")</launchable>" "$metainfo" \
  || fail "the metainfo's launchable is not the installed desktop entry $(basename "$desktop")"
grep -q "<release version=\"$(workspace_version)\"" "$metainfo" || fail "the metainfo has no release $(workspace_version)"
for size in 32x32 128x128 512x512; do
  icon="/usr/share/icons/hicolor/$size/apps/jc-onboard-app.png"
  [ -f "$icon" ] || fail "no $size icon in the hicolor theme ($icon)"
done
echo "  ${#files[@]} files; /usr/bin/jc-onboard-app, $desktop, $metainfo and the hicolor icons check out" >&2

say "end-to-end against the installed app: the demo walk, About, a second launch"
E2E_LOGS="$ROOT/tests/e2e/logs/installed" E2E_SHOTS="$ROOT/tests/e2e/screenshots/installed" \
  E2E_TESTS="WizardTests.test_1_demo_walk_healthy WizardTests.test_5d_about_names_the_version_build_and_real_folders WizardTests.test_5e_a_second_launch_brings_the_first_window_forward" \
  bash tests/e2e/run.sh /usr/bin/jc-onboard-app

say "apt remove --purge $PACKAGE_NAME"
DEBIAN_FRONTEND=noninteractive as_root apt-get remove --purge -y -qq -o DPkg::Lock::Timeout=300 "$PACKAGE_NAME" >/dev/null
! installed || fail "$PACKAGE_NAME is still installed"
[ -z "$(dpkg -L "$PACKAGE_NAME" 2>/dev/null)" ] || fail "dpkg still lists files of $PACKAGE_NAME"
for path in "${files[@]}"; do
  [ ! -e "$path" ] || fail "$path is left after the purge"
done
[ ! -e /usr/bin/jc-onboard-app ] || fail "/usr/bin/jc-onboard-app is left"
echo "  all ${#files[@]} files are gone; the people's own data (in their home folders) is theirs to keep" >&2
