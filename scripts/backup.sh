#!/usr/bin/env bash
# Back up everything MSP Cases keeps: the PostgreSQL database (pg_dump's custom format) and the two private
# file stores, documents and exports (a tar of each directory). docs/operations.md "Backups and restore".
#
#   DATABASE_URL=postgres://user:pass@host:5432/msp_cases scripts/backup.sh /backups
#
# writes /backups/msp-cases-<UTC time>/ holding database.dump, documents.tar.gz, exports.tar.gz, SHA256SUMS
# and MANIFEST, and prints that directory's path last. The environment is the app's own: DOCUMENTS_ROOT and
# EXPORTS_ROOT (defaults var/documents, var/exports beside manage.py). A store kept in an S3 bucket
# (DOCUMENTS_S3_BUCKET, EXPORTS_S3_BUCKET) is not copied here: the bucket's versioning and replication back
# it up, and MANIFEST says so. PG_BIN names the directory of pg_dump when the one on PATH is older than the
# server. Nothing here prints a password: the URL is handed to pg_dump in its environment.
set -euo pipefail
umask 077  # a backup holds every case record: readable by its owner only

here="$(cd "$(dirname "$0")/.." && pwd)"
dest_root="${1:?usage: scripts/backup.sh DESTINATION_DIRECTORY}"
: "${DATABASE_URL:?DATABASE_URL must name the database to back up}"
documents_root="${DOCUMENTS_ROOT:-$here/var/documents}"
exports_root="${EXPORTS_ROOT:-$here/var/exports}"

pg_tool() {
  # The newest client installed: pg_dump must be at least the server's version.
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN/$1"; return; fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -n "$newest" ] && [ -x "$newest/$1" ]; then echo "$newest/$1"; else command -v "$1"; fi
}

# libpq reads postgres:// and postgresql:// URLs; django-environ's other spellings are the same URL.
db_url="$(printf '%s' "$DATABASE_URL" | sed -E 's#^(pgsql|postgis)://#postgresql://#')"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$dest_root/msp-cases-$stamp"
mkdir -p "$out.partial"

# The database first, then the files: a document uploaded while this runs is an extra file (harmless); its
# row is in the next backup. --format=custom is compressed and lets pg_restore choose what to restore.
PGCONNECT_TIMEOUT=10 "$(pg_tool pg_dump)" --format=custom --compress=6 --no-password \
  --file="$out.partial/database.dump" --dbname="$db_url"

store() {  # name, root, bucket
  local name="$1" root="$2" bucket="$3"
  if [ -n "$bucket" ]; then
    echo "$name: S3 bucket $bucket (not copied: use the bucket's versioning and replication)" \
      >>"$out.partial/MANIFEST"
  elif [ -d "$root" ]; then
    tar --create --gzip --file="$out.partial/$name.tar.gz" --directory="$root" .
    echo "$name: $(find "$root" -type f | wc -l) files from $root" >>"$out.partial/MANIFEST"
  else
    echo "$name: $root does not exist (nothing to copy)" >>"$out.partial/MANIFEST"
  fi
}
{
  echo "MSP Cases backup taken $stamp"
  echo "database: $("$(pg_tool pg_dump)" --version)"
  echo "code: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$out.partial/MANIFEST"
store documents "$documents_root" "${DOCUMENTS_S3_BUCKET:-}"
store exports "$exports_root" "${EXPORTS_S3_BUCKET:-}"

parts=(database.dump)
for part in documents.tar.gz exports.tar.gz; do [ -f "$out.partial/$part" ] && parts+=("$part"); done
(cd "$out.partial" && sha256sum "${parts[@]}" >SHA256SUMS)
# Only a complete backup gets its final name: a half-written one never looks like a good one.
mv "$out.partial" "$out"
echo "$out"
