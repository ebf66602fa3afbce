#!/usr/bin/env bash
# Fetches the console's front-end files from the npm registry at the versions
# internal/web/static/vendor/manifest.tsv pins, checks each file against its
# sha256 there, and writes it where the manifest says. Nothing is built and
# nothing is loaded from a CDN at run time: the files are committed.
#
#   scripts/vendor-assets.sh          fetch, verify, write
#   scripts/vendor-assets.sh --check  verify the committed files only (offline)
#   scripts/vendor-assets.sh --pin    fetch and write the sums into the manifest
#                                     (when a version is bumped on purpose)
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=internal/web/static/vendor/manifest.tsv
mode=${1:-fetch}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
out=()
while IFS=$'\t' read -r name version inner dest sum; do
  if [[ -z "$name" || "$name" == \#* ]]; then out+=("$name${version:+	$version	$inner	$dest	$sum}"); continue; fi
  if [[ "$mode" != --check ]]; then
    url="https://registry.npmjs.org/$name/-/${name##*/}-$version.tgz"
    curl -fsSL "$url" -o "$tmp/pkg.tgz"
    rm -rf "$tmp/x" && mkdir "$tmp/x"
    tar -xzf "$tmp/pkg.tgz" -C "$tmp/x" "$inner"
    got=$(sha256sum "$tmp/x/$inner" | cut -d' ' -f1)
    if [[ "$mode" == --pin ]]; then
      sum=$got
    elif [[ "$got" != "$sum" ]]; then
      echo "$name@$version: $inner has sha256 $got, the manifest pins $sum" >&2; status=1; continue
    fi
    mkdir -p "$(dirname "$dest")"
    cp "$tmp/x/$inner" "$dest"
    echo "$name@$version → $dest"
  fi
  got=$(sha256sum "$dest" | cut -d' ' -f1)
  if [[ "$got" != "$sum" ]]; then
    echo "$dest has sha256 $got, the manifest pins $sum" >&2; status=1
  fi
  out+=("$name	$version	$inner	$dest	$sum")
done < "$manifest"
if [[ "$mode" == --pin ]]; then printf '%s\n' "${out[@]}" > "$manifest"; fi
exit $status
