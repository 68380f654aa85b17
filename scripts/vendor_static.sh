#!/usr/bin/env bash
# Copy the front-end libraries the templates use from node_modules/ into static/vendor/ (git-ignored).
#
# The portal loads nothing from a CDN: Bootstrap and Bootstrap Icons come from npm at the exact versions pinned in
# package.json / package-lock.json. Safe to run again at any time and from any directory. Source maps are copied
# on purpose: the minified files name them in sourceMappingURL, and whitenoise's CompressedManifestStaticFilesStorage
# fails in collectstatic when a referenced file is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NODE_MODULES="$ROOT/node_modules"
VENDOR="$ROOT/static/vendor"
# npm writes this file on every install; it tells whether node_modules matches the committed lock file.
INSTALLED_MARKER="$NODE_MODULES/.package-lock.json"

if ! command -v npm >/dev/null 2>&1; then
    echo "vendor_static: npm is required (apt-get install npm)" >&2
    exit 1
fi

if [[ ! -f "$INSTALLED_MARKER" || "$ROOT/package-lock.json" -nt "$INSTALLED_MARKER" ]]; then
    echo "vendor_static: installing packages from package-lock.json"
    npm ci --ignore-scripts --no-audit --no-fund
fi

# source (under node_modules/)                      destination (under static/vendor/)
FILES=(
    "bootstrap/dist/css/bootstrap.min.css"            "bootstrap/bootstrap.min.css"
    "bootstrap/dist/css/bootstrap.min.css.map"        "bootstrap/bootstrap.min.css.map"
    "bootstrap/dist/js/bootstrap.bundle.min.js"       "bootstrap/bootstrap.bundle.min.js"
    "bootstrap/dist/js/bootstrap.bundle.min.js.map"   "bootstrap/bootstrap.bundle.min.js.map"
    "bootstrap/LICENSE"                               "bootstrap/LICENSE"
    "bootstrap-icons/font/bootstrap-icons.min.css"    "bootstrap-icons/bootstrap-icons.min.css"
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2" "bootstrap-icons/fonts/bootstrap-icons.woff2"
    "bootstrap-icons/font/fonts/bootstrap-icons.woff" "bootstrap-icons/fonts/bootstrap-icons.woff"
    "bootstrap-icons/LICENSE"                         "bootstrap-icons/LICENSE"
)

# Check every source before touching static/vendor/, so a broken install never leaves half the files behind.
for ((i = 0; i < ${#FILES[@]}; i += 2)); do
    if [[ ! -s "$NODE_MODULES/${FILES[i]}" ]]; then
        echo "vendor_static: missing $NODE_MODULES/${FILES[i]} (run: npm ci --ignore-scripts)" >&2
        exit 1
    fi
done

# Build the new tree beside the old one (inside the git-ignored folder) and swap it in, dropping files left by
# earlier versions.
mkdir -p "$VENDOR"
STAGING="$(mktemp -d "$VENDOR/.staging.XXXXXX")"
trap 'rm -rf "$STAGING"' EXIT
for ((i = 0; i < ${#FILES[@]}; i += 2)); do
    mkdir -p "$(dirname "$STAGING/${FILES[i + 1]}")"
    cp "$NODE_MODULES/${FILES[i]}" "$STAGING/${FILES[i + 1]}"
done
chmod -R u=rwX,go=rX "$STAGING"

for library in bootstrap bootstrap-icons; do
    rm -rf "${VENDOR:?}/$library"
    mv "$STAGING/$library" "$VENDOR/$library"
done

bootstrap_version="$(node -p "require('$NODE_MODULES/bootstrap/package.json').version" 2>/dev/null || echo '?')"
icons_version="$(node -p "require('$NODE_MODULES/bootstrap-icons/package.json').version" 2>/dev/null || echo '?')"
echo "vendor_static: bootstrap $bootstrap_version, bootstrap-icons $icons_version -> ${VENDOR#"$ROOT"/}/"
