#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an empty database and empty file stores.
# docs/operations.md "Backups and restore".
#
#   createdb msp_cases_restored
#   DATABASE_URL=postgres://user:pass@host:5432/msp_cases_restored \
#   DOCUMENTS_ROOT=/srv/restored/documents EXPORTS_ROOT=/srv/restored/exports \
#     scripts/restore.sh /backups/msp-cases-20260101T020000Z
#
# It checks the backup's checksums, refuses a database that already has tables or a store that already has
# files (a restore never overwrites anything), restores the database in one transaction (all or nothing),
# unpacks the file stores with their permissions, and refreshes the planner's statistics. Then point the app
# at the restored database and run `manage.py migrate` (a no-op for a backup from the same release) and
# `manage.py check`.
set -euo pipefail
umask 077

here="$(cd "$(dirname "$0")/.." && pwd)"
backup="${1:?usage: scripts/restore.sh BACKUP_DIRECTORY}"
: "${DATABASE_URL:?DATABASE_URL must name the empty database to restore into}"
documents_root="${DOCUMENTS_ROOT:-$here/var/documents}"
exports_root="${EXPORTS_ROOT:-$here/var/exports}"

pg_tool() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN/$1"; return; fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -n "$newest" ] && [ -x "$newest/$1" ]; then echo "$newest/$1"; else command -v "$1"; fi
}
fail() { echo "restore: $*" >&2; exit 1; }

db_url="$(printf '%s' "$DATABASE_URL" | sed -E 's#^(pgsql|postgis)://#postgresql://#')"
export PGCONNECT_TIMEOUT=10

[ -f "$backup/database.dump" ] || fail "$backup has no database.dump"
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || fail "$backup is damaged: a checksum does not match"

tables="$("$(pg_tool psql)" --no-password --tuples-only --no-align --dbname="$db_url" \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
[ "$tables" = "0" ] || fail "the database already has $tables tables: restore into a new, empty database"

for store in documents exports; do
  root="$documents_root"; [ "$store" = exports ] && root="$exports_root"
  if [ -f "$backup/$store.tar.gz" ] && [ -d "$root" ] && [ -n "$(ls -A "$root")" ]; then
    fail "$root is not empty: restore the $store into a new, empty directory"
  fi
done

# Objects are owned by the user restoring (--no-owner), whoever owned them where the backup was taken.
"$(pg_tool pg_restore)" --no-password --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$db_url" "$backup/database.dump"
# pg_restore brings the rows, not the planner's statistics: without these the first pages plan badly.
# (Quietly: a database owner who is not a superuser is told of each shared catalogue it may not analyse.)
"$(pg_tool psql)" --no-password --quiet --dbname="$db_url" \
  --command="SET client_min_messages = error" --command="ANALYZE"

for store in documents exports; do
  root="$documents_root"; [ "$store" = exports ] && root="$exports_root"
  if [ -f "$backup/$store.tar.gz" ]; then
    mkdir -p "$root"
    chmod 700 "$root"
    tar --extract --gzip --same-permissions --file="$backup/$store.tar.gz" --directory="$root"
    echo "$store: $(find "$root" -type f | wc -l) files restored to $root"
  fi
done
echo "database restored from $backup"
