# A single-host Slurm cluster for the tests, from Debian's slurmctld, slurmd and munge: one node
# with SLOTS CPUs (each a job slot), every file in one directory, the daemons on loopback ports.
# Sourced by the cluster tests (docs/search.md, "Running on Slurm"):
#
#   source tests/cluster/slurm-cluster.sh
#   slurm_cluster_start DIR SLOTS || skip "$slurm_cluster_reason"
#   trap slurm_cluster_stop EXIT
#   sbatch ...    # SLURM_CONF points the clients at this cluster
#
# slurm_cluster_start returns 1 with the reason in $slurm_cluster_reason when the cluster cannot
# start here (not root, packages missing, a daemon that does not come up): the caller skips.
# slurm_cluster_stop ends exactly the daemons it started (by their pid files), and is safe to
# call twice.

slurm_cluster_dir=""
slurm_cluster_reason=""

# A TCP port nobody listens on, from /proc/net/tcp (no python, no iproute2 needed). Which free
# port is chosen changes nothing a test checks.
slurm_cluster_free_port()
{
    local port="$1" used
    used="$(awk 'NR > 1 { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null |
        sort -u)"
    while grep -qix "$(printf '%04X' "$port")" <<<"$used"; do
        port=$((port + 1))
    done
    echo "$port"
}

# Waits up to $2 seconds for the command $1 to succeed.
slurm_cluster_wait()
{
    local what="$1" seconds="$2" i
    for ((i = 0; i < seconds * 4; i++)); do
        eval "$what" >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    return 1
}

slurm_cluster_fail()
{
    slurm_cluster_reason="$1"
    local log
    for log in munged.log slurmctld.log slurmd.log; do
        if [ -s "$slurm_cluster_dir/$log" ]; then
            slurm_cluster_reason+=$'\n'"--- the end of $log:"$'\n'"$(tail -n 15 "$slurm_cluster_dir/$log")"
        fi
    done
    slurm_cluster_stop
    return 1
}

slurm_cluster_start()
{
    slurm_cluster_dir="$1"
    local slots="$2" tool
    if [ "$(id -u)" -ne 0 ]; then
        slurm_cluster_reason="not root: slurmd must run as root to start jobs as their user"
        return 1
    fi
    for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol scancel; do
        if ! command -v "$tool" >/dev/null; then
            slurm_cluster_reason="$tool is not installed (Debian: munge slurmctld slurmd slurm-client; scripts/ensure-deps.sh installs them)"
            return 1
        fi
    done
    local d="$slurm_cluster_dir" host
    host="$(hostname -s)"
    mkdir -p "$d"/{munge,state,spool,logs}
    chmod 700 "$d/munge"

    # munge: a key of our own and a socket in the directory, so that a munged already running
    # on the machine (or none) changes nothing.
    mungekey --create --keyfile="$d/munge/munge.key" 2>"$d/munged.log" ||
        { slurm_cluster_fail "mungekey cannot create a key"; return 1; }
    munged --force --key-file="$d/munge/munge.key" --socket="$d/munge/munge.socket" \
        --pid-file="$d/munge/munged.pid" --log-file="$d/munged.log" --seed-file="$d/munge/seed" \
        >>"$d/munged.log" 2>&1 || { slurm_cluster_fail "munged does not start"; return 1; }

    local ctld_port slurmd_port
    ctld_port="$(slurm_cluster_free_port 16817)"
    slurmd_port="$(slurm_cluster_free_port $((ctld_port + 1)))"
    # linuxproc/none plugins: no cgroups, so that it runs in a container too. config_overrides:
    # the node has SLOTS CPUs whatever the machine has (each array task takes one).
    cat >"$d/slurm.conf" <<EOF
ClusterName=phazetest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge/munge.socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=600
KillWait=5
InactiveLimit=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$slots State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$d/slurm.conf"
    # -c: no state from an earlier cluster (there is none: the directory is new).
    slurmctld -c -f "$SLURM_CONF" >>"$d/slurmctld.log" 2>&1 ||
        { slurm_cluster_fail "slurmctld does not start"; return 1; }
    slurm_cluster_wait "scontrol ping | grep -q UP" 30 ||
        { slurm_cluster_fail "slurmctld does not answer on port $ctld_port within 30 s"; return 1; }
    slurmd -f "$SLURM_CONF" -N "$host" >>"$d/slurmd.log" 2>&1 ||
        { slurm_cluster_fail "slurmd does not start"; return 1; }
    slurm_cluster_wait "sinfo -h -N -o '%t' | grep -qx idle" 60 ||
        { slurm_cluster_fail "the node is not idle within 60 s (sinfo: $(sinfo -h -N -o '%t %E' 2>&1))"; return 1; }
    return 0
}

# Ends one daemon by its pid file: TERM, then KILL after 10 s.
slurm_cluster_kill()
{
    local pidfile="$1" pid i
    [ -s "$pidfile" ] || return 0
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
    for ((i = 0; i < 40; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

slurm_cluster_stop()
{
    [ -n "$slurm_cluster_dir" ] || return 0
    local d="$slurm_cluster_dir"
    # Jobs first (their steps are children of slurmd's slurmstepd), then the daemons.
    if [ -s "$d/slurmctld.pid" ]; then
        scancel --quiet --full "--user=$(id -un)" 2>/dev/null || true
    fi
    slurm_cluster_kill "$d/slurmd.pid"
    slurm_cluster_kill "$d/slurmctld.pid"
    slurm_cluster_kill "$d/munge/munged.pid"
}
