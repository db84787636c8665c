#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the engine tests and print its connection string.
# Usage: eval "$(bash .ci/postgres.sh start DIR PORT)"  then  bash .ci/postgres.sh stop DIR
# The server runs as the postgres user, listens only on a Unix socket in DIR (no TCP), and
# trusts local connections; it holds nothing but the tests' tables.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?data directory}
port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
run_as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $action in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    run_as_postgres "$bin/initdb" -D "$dir/data" --auth=trust -U postgres >/dev/null
    run_as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-k $dir -p $port -c listen_addresses=''" start >/dev/null
    run_as_postgres "$bin/createdb" -h "$dir" -p "$port" -U postgres biasaudit_test
    echo "export BIASAUDIT_TEST_PG='host=$dir port=$port user=postgres dbname=biasaudit_test'"
    ;;
  stop)
    run_as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
