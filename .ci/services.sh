#!/usr/bin/env bash
# Prepares the local database servers of this machine kind for the test suite, when they exist:
#   - MariaDB on 127.0.0.1:3306 gets a ROW-format binary log (the CDC tests need it);
# and prints the OUTBOX_TEST_* variables that point the tests at them. Where a server is
# missing, nothing is printed for it and the tests fall back (embedded PostgreSQL; MariaDB skipped).
set -uo pipefail

log() { echo "[ci/services] $*" >&2; }

mariadb_ready() { mariadb -uroot -h127.0.0.1 -P3306 -N -e "select 1" >/dev/null 2>&1; }

if command -v mariadb >/dev/null 2>&1 && mariadb_ready; then
  if [ "$(mariadb -uroot -h127.0.0.1 -N -e 'select @@log_bin' 2>/dev/null)" != "1" ] \
     || [ "$(mariadb -uroot -h127.0.0.1 -N -e 'select @@binlog_format' 2>/dev/null)" != "ROW" ]; then
    log "restarting MariaDB with a ROW-format binary log"
    mariadb-admin -uroot -h127.0.0.1 shutdown >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do pgrep -x mariadbd >/dev/null || break; sleep 0.2; done
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- \
      --log-bin=mysql-bin --binlog-format=ROW --server-id=1 --max-connections=500 >/dev/null 2>&1
    for _ in $(seq 1 150); do mariadb_ready && break; sleep 0.2; done
  fi
  if mariadb_ready; then
    log "MariaDB: log_bin=$(mariadb -uroot -h127.0.0.1 -N -e 'select @@log_bin') binlog_format=$(mariadb -uroot -h127.0.0.1 -N -e 'select @@binlog_format')"
    echo "export OUTBOX_TEST_MARIADB_URL='jdbc:mariadb://127.0.0.1:3306/test?user=root'"
  else
    log "MariaDB did not come back; MariaDB tests will be skipped"
  fi
else
  log "no local MariaDB on 127.0.0.1:3306; MariaDB tests will be skipped"
fi
