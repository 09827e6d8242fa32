#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite.
#
#   .ci/postgres.sh start DIR   initdb into DIR/data, listen on 127.0.0.1:<free port> and a unix socket in
#                               DIR only, create database kb_test, print its SQLAlchemy URL on stdout
#   .ci/postgres.sh stop DIR    stop that server and delete DIR
#
# initdb refuses to run as root: as root the server runs as the `postgres` user (or a dedicated
# unprivileged `kbci` user when there is none). Durability is switched off: the data is thrown away.
set -euo pipefail

PG_BIN="${PG_BIN:-}"
if [[ -z "$PG_BIN" ]]; then
    for candidate in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then PG_BIN="$candidate"; break; fi
    done
fi
[[ -n "$PG_BIN" ]] || { echo "postgres.sh: no PostgreSQL server binaries (initdb, pg_ctl) found" >&2; exit 1; }

log() { echo "postgres.sh: $*" >&2; }

server_user() {
    if [[ $EUID -ne 0 ]]; then id -un; return; fi
    if id -u postgres >/dev/null 2>&1; then echo postgres; return; fi
    if ! id -u kbci >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kbci
    fi
    echo kbci
}

# Run a command as the server user (directly when we are not root).
as_user() {
    local user=$1; shift
    if [[ $EUID -eq 0 ]]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local dir=$1 user password port attempt
    user=$(server_user)
    mkdir -p "$dir"
    chmod 700 "$dir"
    [[ $EUID -ne 0 ]] || chown "$user:" "$dir"
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    (umask 077; printf '%s\n' "$password" >"$dir/pwfile")
    [[ $EUID -ne 0 ]] || chown "$user:" "$dir/pwfile"

    log "initdb as user '$user' into $dir/data ($("$PG_BIN/postgres" --version 2>/dev/null || echo "$PG_BIN"))"
    as_user "$user" "$PG_BIN/initdb" --pgdata="$dir/data" --username=kb --pwfile="$dir/pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync --no-instructions >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; log "initdb failed"; return 1; }
    rm -f "$dir/pwfile"

    for attempt in 1 2 3; do
        port=$(free_port)
        if as_user "$user" "$PG_BIN/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" start >&2; then
            break
        fi
        log "start on port $port failed (attempt $attempt):"
        tail -n 20 "$dir/server.log" >&2 || true
        port=""
    done
    [[ -n "$port" ]] || { log "could not start the server"; return 1; }

    PGPASSWORD="$password" "$PG_BIN/createdb" --host=127.0.0.1 --port="$port" --username=kb kb_test \
        || { log "createdb failed"; return 1; }
    echo "$port" >"$dir/port"
    echo "postgresql+psycopg://kb:${password}@127.0.0.1:${port}/kb_test"
}

stop() {
    local dir=$1 user
    [[ -d "$dir" ]] || return 0
    user=$(stat -c %U "$dir")
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_user "$user" "$PG_BIN/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --timeout=60 stop >&2 \
            || as_user "$user" "$PG_BIN/pg_ctl" --pgdata="$dir/data" --mode=immediate stop >&2 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start "${2:?usage: postgres.sh start DIR}" ;;
    stop) stop "${2:?usage: postgres.sh stop DIR}" ;;
    *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
