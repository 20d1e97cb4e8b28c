# Shared by the benchmark scripts (sourced after `work` names a temporary folder and `server`
# is empty): wrk (installed from Debian when missing), a free port, wrk's figures, stopping the
# server started, and a signed-in session cookie.

if ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq wrk >/dev/null
fi

# The server started last (its pid in $server), stopped.
stop_server() { [ -z "$server" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; }; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run_wrk ARGS… -> "rps p50_ms p99_ms non2xx"
run_wrk() {
  wrk "$@" --latency 2>>"$work/wrk.err" | awk '
    function ms(v) { if (v ~ /us$/) {sub(/us$/,"",v); return v/1000} if (v ~ /ms$/) {sub(/ms$/,"",v); return v} sub(/s$/,"",v); return v*1000 }
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=ms($2)}
    /^ +99%/ {p99=ms($2)}
    /Non-2xx/ {bad=$NF}
    END {printf "%s %s %s %s\n", rps, p50, p99, (bad ? bad : 0)}'
}

# session_cookie BASE EMAIL PASSWORD -> "name=value" of a signed-in session (exits when refused)
session_cookie() {
  curl -fsS -o /dev/null -c "$work/cookies" -H "Origin: $1" \
    --data-urlencode "email=$2" --data-urlencode "password=$3" \
    --data-urlencode next=/ "$1/api/account/sign-in"
  local cookie; cookie="$(sed 's/^#HttpOnly_//' "$work/cookies" | awk '!/^#/ && NF >= 7 {printf "%s=%s", $6, $7}')"
  [ -n "$cookie" ] || { echo "$(basename "$0"): could not sign in" >&2; exit 1; }
  printf '%s' "$cookie"
}
