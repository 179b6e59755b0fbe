# Sourced by bench scripts: makes sure Debian's chromium is there for headless screenshots,
# installing it with apt-get (as root, or with sudo -n) when it is missing.
#   need_chromium NAME    # NAME prefixes the messages; exits 2 when it cannot be installed
need_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  local sudo=()
  (( EUID == 0 )) || sudo=(sudo -n)
  echo "$1: installing Debian's chromium (apt-get) ..." >&2
  { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium; } \
    >/dev/null || { echo "$1: could not install chromium; install it (apt-get install chromium) and run again" >&2
      exit 2; }
}
