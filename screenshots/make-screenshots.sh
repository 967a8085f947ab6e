#!/usr/bin/env bash
# Makes the PNG screenshots in this folder from the real program:
#   builds crm (release), fills a demo database in a temporary folder, runs crm
#   in a private tmux server (120x40), drives it with send-keys to each view,
#   captures the pane with its colours and renders that into a PNG
#   (screenshots/ansi2png.py, Pillow).
# Usage: bash screenshots/make-screenshots.sh   (or: make screenshots)
# Environment: SCRATCH_PATH  a --scratch-path for swift build (default .build)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"

# What the rendering needs: tmux, Pillow for the Debian python, and fonts for
# Latin/Cyrillic/Arabic script (DejaVu) and Chinese/Japanese (WenQuanYi).
bash .ci/install-packages tmux python3-pil fonts-dejavu-core fonts-wqy-microhei
python=/usr/bin/python3
[ -x "$python" ] || python=python3

scratch=()
[ -n "${SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$SCRATCH_PATH")
swift build -c release "${scratch[@]}"
crm="$(swift build -c release "${scratch[@]}" --show-bin-path)/crm"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/crm-shots.XXXXXX")
server="crm-shots-$$"
socket=""
cleanup() {
    tmux -L "$server" kill-server 2>/dev/null || true
    [ -n "$socket" ] && rm -f "$socket"  # tmux leaves its socket file behind
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/config" "$tmp/data"
db="$tmp/demo.db"
"$crm" demo --db "$db" --contacts 2000 --seed 7 >/dev/null

cols=120
rows=40
cat >"$tmp/tmux.conf" <<EOF
set -g status off
set -g default-terminal screen-256color
set -g escape-time 10
EOF

# Fails with the screen printed when TEXT does not show within TENTHS/10
# seconds (default 10 s).
wait_for() {
    local text=$1 i
    for i in $(seq "${2:-100}"); do
        if tmux -L "$server" capture-pane -p -t shots | grep -qF -- "$text"; then return 0; fi
        sleep 0.1
    done
    echo "make-screenshots: \"$text\" did not appear; the screen was:" >&2
    tmux -L "$server" capture-pane -p -t shots >&2
    return 1
}

# Keys go one call apart, with a pause: an Esc followed at once by another key
# would reach crm as Alt+key.
pause() { sleep 0.3; }
keys() { tmux -L "$server" send-keys -t shots "$@"; }
type_text() { tmux -L "$server" send-keys -t shots -l -- "$1"; }

shot() {
    local name=$1
    sleep 0.4  # let the last key's drawing settle
    tmux -L "$server" capture-pane -e -p -N -t shots >"$tmp/$name.txt"
    "$python" "$here/ansi2png.py" "$cols" "$rows" "$tmp/$name.txt" "$here/$name.png"
    echo "screenshots/$name.png"
}

tmux -L "$server" -f "$tmp/tmux.conf" new-session -d -s shots -x "$cols" -y "$rows" \
    env -i PATH="$PATH" HOME="$tmp" TERM=screen-256color TZ=UTC LANG=C.UTF-8 \
    XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" USER=sara \
    "$crm" --db "$db" --user sara
socket=$(tmux -L "$server" display-message -p '#{socket_path}')

# 1. Today: the first screen.
wait_for "Overdue"
shot today

# 2. Contacts: search "gunter mul" (finds Günter Müller: diacritics do not
#    matter), take the second hit, expand the newest entry of its timeline.
keys 2
wait_for "Last contact"
keys /
type_text "gunter mul"
wait_for "Cedar Energy"
keys Enter
pause
keys j
wait_for "CEO @ Cedar Energy"
keys Tab
pause
keys Tab
pause
keys Enter
shot contacts

# 3. The help overlay (?) over the contacts view.
keys '?'
wait_for "Everywhere"
shot help
keys Escape
pause

# 4. Call mode on that contact (c), with a note typed while talking.
keys c
wait_for "Last interactions"
type_text "Asked about the pilot pricing; will send the quote today."
sleep 3
shot call
keys Escape
pause
keys y
wait_for "Call discarded"

# 5. The pipeline board (3), once "Call discarded" has left the status bar.
keys 3
wait_for "Negotiation"
wait_for "won and lost deals" 150
shot pipeline

# 6. Reports (5), the People page: each rep's deals, activity and follow-up
#    discipline over the last 30 days. Not "this month" (the default): on the
#    first day of a month that is one day, and the page all zeros. The period
#    prompt (D) opens holding the current period: Ctrl-U clears it.
keys 5
wait_for "Open deals by stage"
keys D
wait_for "Period ("
keys C-u
type_text "last 30 days"
wait_for "→ "
keys Enter
wait_for "last 30 days ("
keys Tab
pause
keys Tab
pause
keys Tab
wait_for "Follow-ups due in the period"
shot reports

keys q
