#!/usr/bin/env bash
# Builds the .deb with CPack and checks what it installs, its dependencies, and that the
# installed programs find their resources when unpacked anywhere.
set -euo pipefail
build="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$build"
cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb="$(ls "$work"/out/*.deb | head -1)"
[ -f "$deb" ] || { echo "no .deb produced"; exit 1; }
dpkg-deb -c "$deb" >"$work/contents"
for f in ./usr/bin/phaze ./usr/bin/phaze-workbench \
         ./usr/share/applications/phaze-workbench.desktop \
         ./usr/share/metainfo/io.github.phaze.workbench.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/phaze-workbench.svg \
         ./usr/share/icons/hicolor/48x48/apps/phaze-workbench.png \
         ./usr/share/icons/hicolor/256x256/apps/phaze-workbench.png \
         ./usr/share/phaze-workbench/default-project.yaml \
         ./usr/share/phaze-workbench/technology/default.yaml \
         ./usr/share/phaze-workbench/examples/gpt2-xl.yaml \
         ./usr/share/phaze-workbench/examples/graphs/diamond.json; do
    grep -q " $f\$" "$work/contents" || { echo "missing from the package: $f"; exit 1; }
done
depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libglpk libyaml-cpp libqt6widgets6 libqcustomplot; do
    echo "$depends" | grep -q "$lib" || { echo "Depends lacks $lib: $depends"; exit 1; }
done
# Unpacked into an arbitrary prefix, the programs find their resources beside themselves.
dpkg-deb -x "$deb" "$work/root"
"$work/root/usr/bin/phaze" check "$work/root/usr/share/phaze-workbench/examples/gpt2-xl.yaml" >/dev/null
QT_QPA_PLATFORM=offscreen "$work/root/usr/bin/phaze-workbench" --screenshot "$work/shot.png" 2>/dev/null
[ -s "$work/shot.png" ] || { echo "the installed workbench did not render"; exit 1; }
grep -q "^Icon=phaze-workbench$" "$work/root/usr/share/applications/phaze-workbench.desktop"
echo "package ok: $(basename "$deb")"
