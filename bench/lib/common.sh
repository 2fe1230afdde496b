# Functions of bench/run: processes, servers, load steps, figures. Sourced by bench/run, not run by itself.
#
# Process rules: every process started here is started in the background with its PID recorded (STARTED),
# waited for with bounded polling (so Ctrl-C and SIGTERM are handled within ~0.2 s), and stopped by PID in
# cleanup(): SIPp first (SIGUSR1, its graceful stop), then the servers (SIGTERM), Kamailio's workers, and
# PostgreSQL with `pg_ctl stop`. Nothing is ever stopped by name.
STARTED=()
KPID=""
KPID_PG=""
PG_DATA=""
PG_TMP=""
PG_BIN=""
NODE_DIR=""
HZ=$(getconf CLK_TCK)
NCPU=$(nproc)
SIPP_BUF=4194304
declare -A SERVER_PID=() SERVER_PORT=() SERVER_JOURNAL=() SERVER_DEAD=() SERVER_TLS_PORT=() KAM_CTL=() SERVER_STARTED=() SERVER_READY_S=() CLUSTER_PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
track() { STARTED+=("$1"); }
untrack() { # forget a reaped PID, so a reused PID number is never signalled
	local p keep=()
	for p in "${STARTED[@]+"${STARTED[@]}"}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	STARTED=("${keep[@]+"${keep[@]}"}")
}

stop_pid() { # stop_pid PID [signal]: signal it, wait up to 10 s, then SIGKILL
	local p=$1 sig=${2:-TERM} i
	[ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
	kill -"$sig" "$p" 2>/dev/null
	for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.2; done
	log "pid $p did not stop on SIG$sig within 10 s: SIGKILL"
	kill -KILL "$p" 2>/dev/null
}

children_of() { # the PIDs whose parent is $1
	local f s
	for f in /proc/[0-9]*/stat; do
		read -r -a s 2>/dev/null <"$f" || continue
		[ "${s[3]}" = "$1" ] && echo "${s[0]}"
	done
}

stop_postgres() {
	if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
		log "stopping postgres (pg_ctl stop, postmaster pid $(head -1 "$PG_DATA/postmaster.pid"))"
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
			kill -KILL "$(head -1 "$PG_DATA/postmaster.pid")" 2>/dev/null
	fi
}

# cleanup: stop what is still running (SIPp, then servers, then Kamailio's workers, then PostgreSQL) and remove
# the bulky scratch data (journals, PostgreSQL cluster, node snapshot); logs and figures stay in $OUT.
CLEANED=0
cleanup() {
	[ "$CLEANED" = 1 ] && return 0
	CLEANED=1
	local p kids=""
	for p in $KPID $KPID_PG; do kill -0 "$p" 2>/dev/null && kids="$kids $(children_of "$p")"; done
	resume_others # a server paused by a step that was interrupted takes no SIGTERM until it runs again
	for p in "${SIPP_PIDS[@]+"${SIPP_PIDS[@]}"}"; do stop_pid "$p" USR1; done
	for p in "${STARTED[@]+"${STARTED[@]}"}"; do stop_pid "$p"; done
	for p in $kids; do stop_pid "$p"; done
	stop_postgres
	if [ -n "$PG_TMP" ] && [ -d "$PG_TMP" ]; then
		if [ -n "${RUN:-}" ] && [ -d "$RUN" ]; then
			cp "$PG_TMP/postgres.log" "$RUN/pg-postgres.log" 2>/dev/null
			du -sh "$PG_DATA" >>"$RUN/scratch_sizes.txt" 2>/dev/null
		fi
		rm -rf "$PG_TMP"
	fi
	if [ -n "${RUN:-}" ] && [ -d "$RUN" ]; then
		du -sh "$RUN"/*-data 2>/dev/null >>"$RUN/scratch_sizes.txt"
		[ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$RUN"/*-data "$RUN/node" "$RUN/dbtext"
		find "$RUN" -name '*_rtt.csv' -size +1M -exec gzip -q {} + 2>/dev/null
	fi
}

install_tools() { # Debian packages when missing: sip-tester (SIPp), kamailio, postgresql (only if measured),
	# kamailio-tls-modules (TLS=1), kamailio-postgres-modules (STORM=1 with kamailio-pg)
	local need=()
	command -v sipp >/dev/null || need+=(sip-tester)
	command -v kamailio >/dev/null || need+=(kamailio)
	case " $SERVERS " in *" sb-pg "* | *" kamailio-pg "*) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql) ;; esac
	case " $SERVERS " in *" kamailio-pg "*) ls /usr/lib/*/kamailio/modules/db_postgres.so >/dev/null 2>&1 || need+=(kamailio-postgres-modules) ;; esac
	[ "${TLS:-0}" = 1 ] && case " $SERVERS " in *" kamailio "*) ls /usr/lib/*/kamailio/modules/tls.so >/dev/null 2>&1 || need+=(kamailio-tls-modules) ;; esac
	if [ ${#need[@]} -gt 0 ]; then
		[ "$(id -u)" = 0 ] || die "missing ${need[*]}: install them (apt-get install ${need[*]}) or run as root"
		log "installing ${need[*]} (Debian packages)"
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null ||
				die "cannot install ${need[*]}"
		fi
	fi
	command -v java >/dev/null || die "java (17) is needed for Switchboard"
	KAM_VERSION=$(kamailio -v | head -1)
	SIPP_VERSION=$(sipp -v 2>&1 | grep -m1 -o 'SIPp v[^ ,]*')
	log "$KAM_VERSION / $SIPP_VERSION / $NCPU cores"
}

port_free() { # nothing listens on 127.0.0.1:PORT (TCP or UDP), on that address or on all addresses
	! ss -Hltun 2>/dev/null | awk '{print $5}' | grep -qE "^(127\.0\.0\.1|0\.0\.0\.0|\*|\[::\]|\[::ffff:127\.0\.0\.1\]):$1\$"
}

make_users() { # make_users DIR N: the same accounts for both servers, and SIPp's injection files
	local d=$1 n=$2 i
	mkdir -p "$d/dbtext"
	{
		echo 'id(int,auto) key_name(string) key_type(int) value_type(int) key_value(string) expires(int) '
		for ((i = 0; i < n; i++)); do printf '%d:user%04d:0:0:pw%04d:0\n' $((i + 1)) $i $i; done
	} >"$d/dbtext/credentials"
	printf 'id(int,auto) table_name(string) table_version(int) \n1:credentials:2\n' >"$d/dbtext/version"
	for ((i = 0; i < n; i++)); do printf 'user%04d@sip.test,pw%04d\n' $i $i; done >"$d/subscribers.csv"
	{
		echo SEQUENTIAL
		for ((i = 0; i < n; i++)); do printf 'user%04d;sip.test;[authentication username=user%04d password=pw%04d]\n' $i $i $i; done
	} >"$d/users.csv"
	{
		echo SEQUENTIAL
		for ((i = 0; i < n; i++)); do printf 'user%04d;sip.test\n' $i; done
	} >"$d/callees.csv"
}

wait_for() { # wait_for SECONDS PID COMMAND...: poll until the command succeeds; fail if PID dies or time is up
	local limit=$1 pid=$2 i
	shift 2
	for ((i = 0; i < limit * 5; i++)); do
		"$@" && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

start_kamailio() { # start_kamailio DIR PORT [NAME]: the reference configuration on its own loopback port (and TLS:
	# TLS=1). NAME kamailio-pg (STORM=1): a second instance, usrloc written through to PostgreSQL (WITH_USRLOC_DB),
	# its pid file, control socket, runtime dir and logs its own
	local d=$1 port=$2 name=${3:-kamailio} extra=() rt=$1 ctl="$1/kamailio_ctl" journal=memory
	[ -n "${TLS_DIR:-}" ] && extra=(-A WITH_TLS -A "LISTEN_TLS=tls:127.0.0.1:$KAM_TLS_PORT" -A "TLSCFG=\"$TLS_DIR/kamailio-tls.cfg\"")
	if [ "$name" = kamailio-pg ]; then
		rt="$d/kamailio-pg-rt"
		ctl="$rt/kamailio_ctl"
		journal=postgres
		mkdir -p "$rt"
		extra+=(-A WITH_USRLOC_DB -A "ULDBURL=\"postgres://postgres@127.0.0.1:$PG_PORT/kamailio\"")
	fi
	nice -n "$NICE" kamailio -DD -E -f "$ROOT/bench/kamailio/kamailio.cfg" -m "$KAM_SHM" -M 16 -P "$d/$name.pid" -Y "$rt" \
		-A "LISTEN_UDP=udp:127.0.0.1:$port" -A "LISTEN_TCP=tcp:127.0.0.1:$port" \
		-A "DBURL=\"text://$d/dbtext\"" -A "CTLSOCK=\"unix:$ctl\"" "${extra[@]}" >"$d/$name.out" 2>"$d/$name.log" &
	local pid=$!
	track $pid
	if [ "$name" = kamailio-pg ]; then KPID_PG=$pid; else KPID=$pid; fi
	SERVER_PID[$name]=$pid
	SERVER_PORT[$name]=$port
	SERVER_JOURNAL[$name]=$journal
	SERVER_STARTED[$name]=$EPOCHREALTIME
	KAM_CTL[$name]="unix:$ctl"
	[ -n "${TLS_DIR:-}" ] && SERVER_TLS_PORT[$name]=$KAM_TLS_PORT
}

start_postgres() { # start_postgres PORT: Debian's server, a scratch cluster in a temp dir, fsync and synchronous commit on
	# (once: STORM=1 measures Kamailio's usrloc on the same cluster, database kamailio)
	local port=$1
	[ -n "$PG_DATA" ] && return 0
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	# postgres refuses to run as root: the cluster belongs to the postgres user, in a temp dir it can reach
	# wherever the checkout is
	PG_TMP=$(mktemp -d /tmp/switchboard-bench-pg.XXXXXX)
	PG_DATA="$PG_TMP/data"
	chown postgres "$PG_TMP"
	chmod 700 "$PG_TMP"
	runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 >"$RUN/pg-initdb.log" 2>&1 ||
		die "initdb failed: $(tail -3 "$RUN/pg-initdb.log")"
	nice -n "$NICE" runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_TMP/postgres.log" -w -t 60 -o \
		"-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=50 -c shared_buffers=256MB -c shared_preload_libraries=pg_stat_statements" \
		start >/dev/null || die "postgres did not start: $(tail -5 "$PG_TMP/postgres.log")"
	runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE switchboard" >/dev/null ||
		die "cannot create the database"
	# what the journal asks of PostgreSQL per operation: each PostgreSQL step writes its pg_statements.txt
	runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d switchboard -qc "CREATE EXTENSION pg_stat_statements" \
		>/dev/null 2>&1 || log "pg_stat_statements not available: no journal statement counts per step"
	PG_VERSION=$(runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SHOW server_version")
	log "postgres $PG_VERSION on 127.0.0.1:$port, cluster in $PG_TMP (postmaster pid $(head -1 "$PG_DATA/postmaster.pid"); fsync=on, synchronous_commit=on)"
}

pg_ticks() { # CPU ticks of the PostgreSQL cluster: postmaster (with its reaped children) and its live backends
	local pm s total=0 p
	[ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ] || { echo NA; return; }
	pm=$(head -1 "$PG_DATA/postmaster.pid")
	read -r -a s 2>/dev/null </proc/"$pm"/stat || { echo NA; return; }
	total=$((s[15] + s[16]))
	for p in $pm $(children_of "$pm"); do
		read -r -a s 2>/dev/null </proc/"$p"/stat || continue
		total=$((total + s[13] + s[14]))
	done
	echo $total
}

pg_sql() { # pg_sql DB SQL: rows as "a|b|c" (psql -tA) from the bench cluster
	runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -v ON_ERROR_STOP=1 -tAqc "$2"
}

snapshot_node() { # copy the node's jar and libraries, so a rebuild in the working tree cannot disturb the run
	local target=${SB_NODE_DIR:-$ROOT/modules/node/target}
	if [ ! -f "$target/switchboard-node-0.1.0-SNAPSHOT.jar" ] || [ ! -d "$target/lib" ]; then
		[ -z "${SB_NODE_DIR:-}" ] || die "no node jar in SB_NODE_DIR=$SB_NODE_DIR"
		log "building Switchboard (mvn -B -q -DskipTests package)"
		(cd "$ROOT" && mvn -B -q -DskipTests package) >&2 || die "build failed"
	fi
	NODE_DIR="$RUN/node"
	mkdir -p "$NODE_DIR"
	cp -r "$target/switchboard-node-0.1.0-SNAPSHOT.jar" "$target/lib" "$NODE_DIR/"
	NODE_JAR_DATE=$(date -u -r "$target/switchboard-node-0.1.0-SNAPSHOT.jar" +%Y-%m-%dT%H:%M:%SZ)
}

start_switchboard() { # start_switchboard NAME DIR PORT JOURNAL(h2|postgres) [TLS PORT]: one node, both roles
	local name=$1 d=$2 port=$3 journal=$4 conf="$2/$1.conf"
	{
		echo "# written by bench/run"
		echo "switchboard.proxy.authenticate-callers = off  # as the Kamailio reference: it challenges REGISTER only"
		echo "switchboard.registrar.max-expires = 3600s"
		echo "switchboard.management.enabled = off  # two nodes on one machine; the load needs no health endpoints"
		echo "switchboard.security.trusted-peers = [\"127.0.0.0/8\"]  # the load generator: no per-source rate limit"
		if [ -n "${TLS_DIR:-}" ]; then
			echo "switchboard.sip.tls { port = $5, certificate = \"$TLS_DIR/server.pem\", private-key = \"$TLS_DIR/server.key\" }"
		fi
		# --quick proves the harness, not the speed: a short warm-up before the ready line (its default takes a minute)
		[ "${QUICK:-0}" = 1 ] && echo "switchboard.warm-up.calls = 1000"
		[ -n "${SB_EXTRA_CONFIG:-}" ] && echo "$SB_EXTRA_CONFIG"
		if [ "$journal" = postgres ]; then
			echo "switchboard.journal { dialect = postgres, url = \"jdbc:postgresql://127.0.0.1:$PG_PORT/switchboard\", user = postgres, password = \"\" }"
		fi
	} >"$conf"
	# the same command as bin/switchboard, from the snapshot
	local cmd=(nice -n "$NICE" java $SB_JAVA_OPTS --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
		-cp "$NODE_DIR/switchboard-node-0.1.0-SNAPSHOT.jar:$NODE_DIR/lib/*" org.switchboard.node.Main
		--sip "127.0.0.1:$port" --data "$d/$name-data" --subscribers "$d/subscribers.csv" --config "$conf")
	echo "${cmd[*]}" >"$d/$name.cmd"
	"${cmd[@]}" >"$d/$name.log" 2>&1 &
	local pid=$!
	track $pid
	SERVER_PID[$name]=$pid
	SERVER_PORT[$name]=$port
	SERVER_JOURNAL[$name]=$journal
	SERVER_STARTED[$name]=$EPOCHREALTIME
	[ -n "${TLS_DIR:-}" ] && SERVER_TLS_PORT[$name]=$5
}

await_servers() { # wait until every started server answers on its port (Switchboard: its ready line)
	local s pid port
	for s in $SERVERS; do
		pid=${SERVER_PID[$s]}
		port=${SERVER_PORT[$s]}
		if [ "${s#kamailio}" != "$s" ]; then
			wait_for 30 "$pid" sh -c "ss -Hlun | grep -q '127.0.0.1:$port '" ||
				die "$s did not start: $(tail -5 "$RUN/$s.log")"
			[ -z "${SERVER_TLS_PORT[$s]:-}" ] || wait_for 10 "$pid" sh -c "ss -Hltn | grep -q '127.0.0.1:${SERVER_TLS_PORT[$s]} '" ||
				die "Kamailio has no TLS listener: $(tail -5 "$RUN/$s.log")"
			log "$s pid $pid on 127.0.0.1:$port (usrloc: ${SERVER_JOURNAL[$s]}), $(($(children_of "$pid" | wc -l) + 1)) processes"
		else
			wait_for "${SB_READY_WAIT:-240}" "$pid" grep -q "Switchboard ready sip=" "$RUN/$s.log" ||
				die "$s did not become ready; last lines of $RUN/$s.log:
$(tail -20 "$RUN/$s.log")"
			SERVER_READY_S[$s]=$(awk -v a="${SERVER_STARTED[$s]}" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b - a}')
			log "$s pid $pid on 127.0.0.1:$port (${SERVER_JOURNAL[$s]} journal), ready ${SERVER_READY_S[$s]} s after its start: $(grep -m1 -o 'Switchboard ready.*' "$RUN/$s.log")"
		fi
	done
}

PAUSED=""
pause_others() { # pause_others SERVER: SIGSTOP every other server under test, so that idle JVMs (timers, GC, JIT)
	# take no CPU from the one measured; PAUSE_OTHERS=0 leaves them running
	[ "${PAUSE_OTHERS:-1}" = 1 ] || return 0
	local o
	for o in $SERVERS; do
		[ "$o" = "$1" ] || [ -n "${SERVER_DEAD[$o]:-}" ] && continue
		PAUSED="$PAUSED $(server_pids "$o")"
	done
	[ -n "$PAUSED" ] && kill -STOP $PAUSED 2>/dev/null
	return 0
}

RESUMED_AT=0
resume_others() {
	[ -n "$PAUSED" ] && kill -CONT $PAUSED 2>/dev/null && RESUMED_AT=$EPOCHREALTIME
	PAUSED=""
	return 0
}

settle_resumed() { # a Switchboard node just resumed sees the pause as its own lag (and a journal write that spanned
	# it as a slow journal) and sheds new work for its overload window (2 s) after those samples: the next step,
	# or priming, starts SETTLE s [6] after the resume, in real time
	local wait
	wait=$(awk -v r="$RESUMED_AT" -v n="$EPOCHREALTIME" -v s="${SETTLE:-6}" 'BEGIN{w=s-(n-r); if (w>0) printf "%.2f", w; else print 0}')
	[ "$wait" != 0 ] && sleep "$wait"
	return 0
}

server_pids() { # the server's processes (Kamailio: main and all its children; a SCALE=1 cluster: its nodes)
	if [ -n "${CLUSTER_PIDS[$1]:-}" ]; then echo ${CLUSTER_PIDS[$1]}; return; fi
	if [ "${1#kamailio}" != "$1" ]; then echo "${SERVER_PID[$1]} $(children_of "${SERVER_PID[$1]}")"; else echo "${SERVER_PID[$1]}"; fi
}

cpu_ticks() { # utime+stime summed over PIDs (all threads of each)
	local p total=0 s
	for p in "$@"; do
		read -r -a s 2>/dev/null </proc/"$p"/stat || continue
		total=$((total + s[13] + s[14]))
	done
	echo $total
}

thread_ticks() { # thread_ticks PID: CPU ticks per thread group of a JVM ("name<TAB>ticks"; digits, # and - dropped from
	# thread names, so "C2 CompilerThread0" and "C1 CompilerThread1" are one group "C CompilerThread")
	local t
	for t in /proc/"$1"/task/*; do
		awk '{c=$0; sub(/^[0-9]+ \(/, "", c); name=c; sub(/\) [^)]*$/, "", name); rest=c; sub(/^.*\) /, "", rest)
			split(rest, f, " "); gsub(/[0-9#-]+/, "", name); print name "\t" f[12]+f[13]}' "$t/stat" 2>/dev/null
	done | awk -F'\t' '{s[$1]+=$2} END{for (k in s) print k "\t" s[k]}'
}

jvm_split() { # jvm_split DIR: "jit_s gc_s" from DIR/threads{0,1}.tsv (JIT compiler threads; GC workers, G1 refinement,
	# Shenandoah's and concurrent threads, the VM thread), and the whole delta per group into DIR/threads.tsv; "NA NA" without them
	local d=$1
	[ -f "$d/threads0.tsv" ] && [ -f "$d/threads1.tsv" ] || { echo "NA NA"; return; }
	awk -F'\t' -v hz="$HZ" 'NR==FNR {a[$1]=$2; next} {v=$2-a[$1]; if (v>0) print $1 "\t" sprintf("%.2f", v/hz)}' \
		"$d/threads0.tsv" "$d/threads1.tsv" | sort -t$'\t' -k2 -g -r >"$d/threads.tsv"
	awk -F'\t' '/CompilerThre/ {j+=$2} /^(GC Thread|G Refine|G Conc|G Main Marker|G Young RemSet|VM Thread|Shenandoah)/ {g+=$2}
		END{printf "%.2f %.2f", j, g}' "$d/threads.tsv"
}

mem_mb() { # mem_mb SERVER: peak memory in MB.
	# Switchboard (one JVM): VmHWM, the peak resident set since start.
	# Kamailio (main + workers sharing one shm segment): the sum of PSS over its processes, read after the step.
	# Summing VmHWM would count the shared segment once per process; PSS splits shared pages between them.
	# Kamailio does not give touched shm/pkg pages back, so the largest after-step value is its peak.
	local p total=0 v
	if [ "${1#kamailio}" != "$1" ]; then
		for p in $(server_pids "$1"); do
			v=$(awk '/^Pss:/{print $2}' /proc/"$p"/smaps_rollup 2>/dev/null)
			total=$((total + ${v:-0}))
		done
	else
		total=$(awk '/VmHWM/{print $2}' /proc/"${SERVER_PID[$1]}"/status 2>/dev/null)
	fi
	echo $((${total:-0} / 1024))
}

idle_s() { awk '{print $2}' /proc/uptime; } # all CPUs' idle seconds (the anchor found /proc/stat ticks unreliable here)

busy_pct() { # busy_pct SECONDS: whole-machine CPU in % of one core over SECONDS
	local a b t0=$EPOCHREALTIME
	a=$(idle_s)
	sleep "$1"
	b=$(idle_s)
	awk -v a="$a" -v b="$b" -v t0="$t0" -v t1="$EPOCHREALTIME" -v n="$NCPU" 'BEGIN{dt=t1-t0; printf "%.0f", 100*(n*dt-(b-a))/dt}'
}

wait_quiet() { # this machine may be shared: wait (at most QUIET_MAX s) until other work uses < QUIET_PCT % of a core
	[ "$QUIET_MAX" -gt 0 ] || return 0
	local start=$SECONDS b
	while :; do
		b=$(busy_pct 1)
		[ "$b" -le "$QUIET_PCT" ] && return 0
		if [ $((SECONDS - start)) -ge "$QUIET_MAX" ]; then
			log "machine still busy with other work (${b}% of a core) after ${QUIET_MAX}s; going on"
			return 0
		fi
		sleep 2
	done
}

stat_last() { # stat_last FILE COLUMN: that column in the last line of a SIPp -trace_stat file
	[ -f "$1" ] || { echo NA; return; }
	awk -F';' -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} {v=$k} END{print (k && NR>1 ? v : "NA")}' "$1"
}

pctl() { # pctl RTTFILE RTD: "count p50 p99 rate" from SIPp -trace_rtt (ms; as the anchor's pctl: i=ceil(p*n)).
	# rate = completions per second between the first and the last sample (the achieved rate)
	local f=$1
	[ -n "$f" ] && [ -f "$f" ] || { echo "0 NA NA 0"; return; }
	awk -F';' -v r="$2" '$3==r{print $2, $1}' "$f" | sort -n -k1,1 |
		awk '{v[NR]=$1; if(NR==1||$2<f) f=$2; if($2>l) l=$2}
			function q(p,  i){i=int(p*NR+0.999999); if(i<1)i=1; if(i>NR)i=NR; return v[i]}
			END{if(!NR){print "0 NA NA 0"; exit}
			printf "%d %s %s %.1f\n", NR, q(.5), q(.99), (l>f ? (NR-1)*1000/(l-f) : 0)}'
}

SIPP_PIDS=()
SPAWN_SUB=""
SPAWN_SIPP=""
spawn_sipp() { # spawn_sipp DIR NAME ARGS...: SIPp in the background; its user+system CPU seconds into DIR/NAME.cpu
	local d=$1 name=$2 i
	shift 2
	echo "sipp $*" >"$d/$name.cmd"
	(
		cd "$d" || exit 1
		TIMEFORMAT='%U %S'
		{ time nice -n "$NICE" sipp "$@" >"$name.out" 2>&1; } 2>"$name.cpu"
	) &
	SPAWN_SUB=$!
	track "$SPAWN_SUB"
	SPAWN_SIPP=""
	for ((i = 0; i < 100; i++)); do
		SPAWN_SIPP=$(children_of "$SPAWN_SUB")
		[ -n "$SPAWN_SIPP" ] && break
		kill -0 "$SPAWN_SUB" 2>/dev/null || break
		sleep 0.02
	done
	[ -n "$SPAWN_SIPP" ] && SIPP_PIDS+=("$SPAWN_SIPP")
}

wait_sipp() { # wait_sipp SUBSHELL SIPP SECONDS: wait for it to finish; stop it past SECONDS
	local sub=$1 sp=$2 lim=$(($3 * 5)) w=0 keep=() p
	while kill -0 "$sub" 2>/dev/null && [ $w -lt $lim ]; do sleep 0.2; w=$((w + 1)); done
	if kill -0 "$sub" 2>/dev/null; then
		log "SIPp pid $sp still running after $3 s: stopping it"
		stop_pid "$sp" USR1
	fi
	wait "$sub" 2>/dev/null
	untrack "$sub"
	for p in "${SIPP_PIDS[@]+"${SIPP_PIDS[@]}"}"; do [ "$p" = "$sp" ] || keep+=("$p"); done
	SIPP_PIDS=("${keep[@]+"${keep[@]}"}")
}

begin_measure() { # begin_measure SERVER DIR WHAT: returns 1 (VERDICT=DIED) when the server is gone; else a fresh
	# DIR, the server settled after a pause of its own, the other servers paused, the machine quiet (VERDICT=FAIL)
	local s=$1 d=$2
	VERDICT=FAIL
	if ! kill -0 "${SERVER_PID[$s]}" 2>/dev/null; then
		log "$s (pid ${SERVER_PID[$s]}) is not running any more: no $3"
		SERVER_DEAD[$s]=1
		VERDICT=DIED
		return 1
	fi
	rm -rf "$d"
	mkdir -p "$d"
	settle_resumed
	pause_others "$s"
	wait_quiet
}

# the columns a step and a storm share (23), then a step's own
BASE_TSV_HEADER='server\tjournal\tscenario\trate\tachieved\tcreated\tok\tfailed\tretrans\tp50_ms\tp99_ms\tp50b_ms\tp99b_ms\tserver_cpu_s\tserver_us_per_op\tsipp_cpu_s\tsipp_us_per_op\tserver_mem_mb\tmachine_busy_pct\tothers_pct\tuas_ok\tuas_failed\tverdict'
TSV_HEADER="$BASE_TSV_HEADER"'\tjit_cpu_s\tgc_cpu_s\tserver_us_per_op_without_jit\n'
VERDICT=""
step() { # step SCENARIO SERVER RATE: one bounded load step (DUR seconds of load); appends a line to $SUMMARY
	local scenario=$1 s=$2 rate=$3 n=$(($3 * DUR)) port=${SERVER_PORT[$2]}
	local d="$RUN/${STEP_PREFIX:-}$scenario-$s-$rate"
	begin_measure "$s" "$d" "step at $rate/s" || return 0
	local pids t0 t1 w0 w1 i0 i1 uas_sub="" uas_sipp=""
	pids=$(server_pids "$s")
	local common=(-i 127.0.0.1 -nostdin -buff_size $SIPP_BUF -max_recv_loops 10000 -max_sched_loops 10000
		-trace_stat -fd 1 -trace_rtt -rtt_freq 50 -trace_err -trace_screen -timeout $((DUR + 40))s)
	if [ "$scenario" = tls-reg ] || [ "$scenario" = tls-call ]; then
		: # TlsLoad plays callers and callees itself (bench/lib/tls.sh)
	elif [ "$scenario" = call ]; then
		# the callee: every user is registered with this port as its contact
		spawn_sipp "$d" uas -sf "$SIPP_DIR/uas_call.xml" -p "$UAS_PORT" -m $((n + ${UAS_EXTRA_CALLS:-0})) -i 127.0.0.1 -nostdin \
			-buff_size $SIPP_BUF -max_recv_loops 10000 -max_sched_loops 10000 -trace_stat -fd 1 -stf uas_stat.csv \
			-trace_err -trace_screen ${UAS_SIPP_BEHAVIORS:+-default_behaviors $UAS_SIPP_BEHAVIORS} -timeout $((DUR + 50))s
		uas_sub=$SPAWN_SUB
		uas_sipp=$SPAWN_SIPP
		sleep 0.5
	fi
	local g0=NA g1=NA
	[ "${SERVER_JOURNAL[$s]}" = postgres ] && pg_sql switchboard "SELECT pg_stat_statements_reset()" >/dev/null 2>&1 &&
		g0=$(pg_ticks)
	local jvm=0
	[ "${s#kamailio}" = "$s" ] && [ -z "${CLUSTER_PIDS[$s]:-}" ] && jvm=1 && thread_ticks "${SERVER_PID[$s]}" >"$d/threads0.tsv"
	t0=$(cpu_ticks $pids)
	i0=$(idle_s)
	w0=$EPOCHREALTIME
	if [ "$scenario" = tls-reg ] || [ "$scenario" = tls-call ]; then
		tls_load "$d" "$scenario" "$s" "$rate"
	elif [ "$scenario" = reg ]; then
		# sent from the port the callee UAS listens on later, as in the reference: one contact per user
		# -auth_uri: the digest uri is the Request-URI (sip:sip.test), not SIPp's default remote_ip:port, which
		# Switchboard refuses (RFC 3261 §22.4)
		spawn_sipp "$d" uac "127.0.0.1:$port" -sf "$SIPP_DIR/reg_auth.xml" -inf "$RUN/users.csv" -auth_uri sip.test \
			-p "$UAS_PORT" -m "$n" -r "$rate" -l 20000 "${common[@]}" -stf uac_stat.csv
	else
		spawn_sipp "$d" uac "127.0.0.1:$port" -sf "$SIPP_DIR/uac_call.xml" -inf "$RUN/callees.csv" \
			-p "$CLIENT_PORT" -m "$n" -r "$rate" -l $((rate * 10 + 100)) "${common[@]}" -stf uac_stat.csv
	fi
	[ "${scenario#tls-}" = "$scenario" ] && wait_sipp "$SPAWN_SUB" "$SPAWN_SIPP" $((DUR + 60))
	[ -n "$uas_sub" ] && wait_sipp "$uas_sub" "$uas_sipp" 20
	local alive=1
	kill -0 "${SERVER_PID[$s]}" 2>/dev/null || alive=0
	t1=$(cpu_ticks $pids)
	[ $jvm = 1 ] && [ $alive = 1 ] && thread_ticks "${SERVER_PID[$s]}" >"$d/threads1.tsv"
	[ "$g0" != NA ] && g1=$(pg_ticks)
	[ "${SERVER_JOURNAL[$s]}" = postgres ] && pg_sql switchboard "SELECT calls, rows, regexp_replace(query, '\s+', ' ', 'g')
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'switchboard') ORDER BY calls DESC" \
		>"$d/pg_statements.txt" 2>/dev/null
	i1=$(idle_s)
	w1=$EPOCHREALTIME
	resume_others

	local created ok fail retr achieved p50 p99 p50b=- p99b=- cnt rtd=reg sipp_cpu server_cpu=NA us sus mem=NA busy others
	local uok=- ufail=-
	created=$(stat_last "$d/uac_stat.csv" "OutgoingCall(C)")
	ok=$(stat_last "$d/uac_stat.csv" "SuccessfulCall(C)")
	fail=$(stat_last "$d/uac_stat.csv" "FailedCall(C)")
	retr=$(stat_last "$d/uac_stat.csv" "Retransmissions(C)")
	if [ "$scenario" = call ]; then
		rtd=setup
		uok=$(stat_last "$d/uas_stat.csv" "SuccessfulCall(C)")
		ufail=$(stat_last "$d/uas_stat.csv" "FailedCall(C)")
	fi
	local rtt
	rtt=$(ls "$d"/*_rtt.csv 2>/dev/null | head -1)
	if [ "${scenario#tls-}" != "$scenario" ]; then
		read -r created ok fail retr achieved p50 p99 p50b p99b uok ufail <<<"$(tls_figures "$d")"
	else
		read -r cnt p50 p99 achieved <<<"$(pctl "$rtt" $rtd)"
		[ "$scenario" = call ] && read -r _ p50b p99b _ <<<"$(pctl "$rtt" bye)"
	fi
	sipp_cpu=$(cat "$d"/*.cpu 2>/dev/null | awk '{s+=$1+$2} END{printf "%.2f", s}')
	if [ $alive = 1 ]; then
		server_cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" 'BEGIN{printf "%.2f", (b-a)/hz}')
		mem=$(mem_mb "$s")
	fi
	local tls_w=""
	if [ "${scenario#tls-}" != "$scenario" ]; then
		# TlsLoad samples the server's and its own CPU over the load window only (not its JVM start, the
		# handshakes, the priming REGISTERs, the unregistration)
		read -r tls_w <<<"$(tls_window "$d")"
		if [ -n "$tls_w" ]; then
			read -r _ server_cpu sipp_cpu _ <<<"$tls_w"
			[ $alive = 1 ] || server_cpu=NA
		fi
	fi
	us=$(awk -v c="$server_cpu" -v n="$ok" 'BEGIN{ if (n+0>0 && c!="NA") printf "%.0f", c*1e6/n; else print "NA"}')
	sus=$(awk -v c="$sipp_cpu" -v n="$ok" 'BEGIN{ if (n+0>0) printf "%.0f", c*1e6/n; else print "NA"}')
	# a JVM still compiling (JIT) during a step pays for it in that step: reported apart, and the CPU per op without it
	local jit=NA gc=NA usj=NA jvm_cpu=""
	if [ $jvm = 1 ] && [ -z "$tls_w" ]; then
		read -r jit gc <<<"$(jvm_split "$d")"
		usj=$(awk -v c="$server_cpu" -v j="$jit" -v n="$ok" 'BEGIN{ if (n+0>0 && c!="NA" && j!="NA") printf "%.0f", (c-j)*1e6/n; else print "NA"}')
		jvm_cpu=" (JIT ${jit}s, GC ${gc}s; ${usj} us/op without JIT)"
	fi
	# whole machine busy (100 = one core) over the step, and what was not ours (server under test + SIPp)
	read -r busy others <<<"$(awk -v i0="$i0" -v i1="$i1" -v w0="$w0" -v w1="$w1" -v n="$NCPU" -v sc="${server_cpu/NA/0}" -v pc="$sipp_cpu" \
		'BEGIN{dt=w1-w0; b=100*(n*dt-(i1-i0))/dt; o=b-100*(sc+pc)/dt; if(o<0)o=0; printf "%.0f %.0f", b, o}')"
	if [ -n "$tls_w" ]; then
		read -r busy others <<<"$(echo "$tls_w" | awk -v n="$NCPU" '{dt=$1; b=100*(n*dt-$4)/dt; sc=($2=="NA"?0:$2); o=b-100*(sc+$3)/dt; if(o<0)o=0; printf "%.0f %.0f", b, o}')"
	fi
	# requests the client sends per operation (REGISTER: two, with the digest; call: INVITE, ACK, BYE): more than
	# 1 % of them retransmitted means the server answers late, which a carrier sees as a failing step too
	local journal_ops=""
	if [ -s "$d/pg_statements.txt" ] && [ "$ok" -gt 0 ] 2>/dev/null; then
		journal_ops=$(awk -F'|' -v n="$ok" '$3 ~ /^insert into "event_journal"/ {i+=$1} $3 ~ /^select max/ || $3 ~ /\(select "sequence_number" from "event_journal"/ {m+=$1}
			$3 ~ /^BEGIN/ {b+=$1} END{printf "; journal per op: %.2f inserts, %.2f recovery reads, %.2f transactions", i/n, m/n, b/n}' "$d/pg_statements.txt")
		[ "$g1" != NA ] && [ "$g0" != NA ] && journal_ops+=$(awk -v a="$g0" -v b="$g1" -v hz="$HZ" -v n="$ok" \
			'BEGIN{printf ", PostgreSQL %.2fs CPU = %.0f us/op", (b-a)/hz, (b-a)/hz*1e6/n}')
	fi
	# why calls failed, from SIPp's error log: the unexpected responses by status (late 200 retransmissions among
	# them), and timeouts
	local why=""
	if [ "${fail:-0}" != 0 ] 2>/dev/null; then
		why=$(cat "$d"/*_errors.log 2>/dev/null | grep -oE "received 'SIP/2.0 [0-9]{3}|[Tt]imeout|Max-retrans" |
			sed "s/received 'SIP\/2.0 //" | sort | uniq -c | sort -rn | awk '{printf "%s%s x%s", (NR>1?", ":""), $2, $1}')
		[ -n "$why" ] && why=" (SIPp's unexpected messages: $why)"
	fi
	local per_op=3
	[ "${scenario%reg}" != "$scenario" ] && per_op=2
	awk -v c="$created" -v n="$n" -v f="$fail" -v a="$achieved" -v r="$rate" -v rt="$retr" -v k=$per_op \
		'BEGIN{exit !(c==n && f+0 < 0.001*c && a+0 >= 0.95*r && rt+0 <= 0.01*k*c)}' && VERDICT=PASS
	if [ $alive = 0 ]; then
		VERDICT=DIED
		SERVER_DEAD[$s]=1
		log "$s (pid ${SERVER_PID[$s]}) is gone; last lines of $RUN/$s.log:
$(tail -5 "$RUN/$s.log" 2>/dev/null | cut -c1-200)"
	fi
	printf '%s\t%s\t%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$s" "${SERVER_JOURNAL[$s]}" "$scenario" "$rate" "${achieved:-0}" "$created" "$ok" "$fail" "$retr" "$p50" "$p99" \
		"$p50b" "$p99b" "$server_cpu" "$us" "$sipp_cpu" "$sus" "$mem" "$busy" "$others" "$uok" "$ufail" "$VERDICT" \
		"$jit" "$gc" "$usj" >>"$SUMMARY"
	local extra=""
	[ "$scenario" = call ] || [ "$scenario" = tls-call ] && extra=", bye p50/p99 ${p50b}/${p99b} ms, uas ok/failed $uok/$ufail"
	log "$scenario $s @ $rate/s: ok $ok failed $fail$why retrans $retr, achieved ${achieved}/s, p50/p99 ${p50}/${p99} ms$extra; server ${server_cpu}s CPU = ${us} us/op${jvm_cpu}, SIPp ${sipp_cpu}s, mem ${mem} MB, machine ${busy}% (others ${others}%)${journal_ops} -> $VERDICT"
}

prime_contacts() { # prime_contacts SERVER N: register users 0..N-1 with the UAS port as contact, so calls reach it
	local s=$1 n=$2 d="$RUN/prime-$s"
	[ -n "${SERVER_DEAD[$s]:-}" ] && return 0
	mkdir -p "$d"
	settle_resumed
	spawn_sipp "$d" prime "127.0.0.1:${SERVER_PORT[$s]}" -sf "$SIPP_DIR/reg_auth.xml" -inf "$RUN/users.csv" -auth_uri sip.test \
		-p "$UAS_PORT" -m "$n" -r 1000 -l 5000 -i 127.0.0.1 -nostdin -timeout 60s -trace_stat -stf prime_stat.csv
	wait_sipp "$SPAWN_SUB" "$SPAWN_SIPP" 70
	log "$s: $(stat_last "$d/prime_stat.csv" "SuccessfulCall(C)") of $n callees registered with contact port $UAS_PORT"
}

# report SUMMARY SERVERS [SCENARIOS]: per scenario (default "reg call") and server, the highest passing rate and the figures there and at half,
# then the ratios Switchboard / Kamailio
report() {
	awk -F'\t' -v order="$2" -v scen="${3:-reg call}" '
	NR == 1 { next }
	{
		k = $3 SUBSEP $1; row[k, $4] = $0; jr[$1] = $2
		if ($23 == "PASS" && $4 + 0 > best[k] + 0) best[k] = $4
		if ($18 + 0 > mem[k] + 0) mem[k] = $18
		tested[k] = tested[k] " " $4
		if ($20 + 0 > oth[k] + 0) oth[k] = $20
		if ($23 == "DIED") died[k] = $4
	}
	END {
		ns = split(order, S, " ")
		printf "%-9s %-9s %-8s %7s %8s %13s %21s %9s %9s %9s %9s %8s %7s\n", "scenario", "server", "journal", "max/s", "achieved",
			"p50/p99 ms", "at half: p50/p99 (/s)", "srv CPU s", "srv us/op", "-JIT us", "SIPp CPU", "peak MB", "others%"
		nsc = split(scen, SC, " ")
		for (c = 1; c <= nsc; c++) {
			sc = SC[c]
			for (i = 1; i <= ns; i++) {
				s = S[i]; k = sc SUBSEP s
				if (!(k in tested)) { printf "%-9s %-9s %-8s %7s   (not measured)\n", sc, s, jr[s], "-"; continue }
				note = ((k in died) ? " [server died at " died[k] "/s]" : "")
				if (!(k in best)) {
					printf "%-9s %-9s %-8s %7s %8s   (no rate passed; tested:%s)%s\n", sc, s, jr[s], "none", "-", tested[k], note; continue
				}
				split(row[k, best[k]], r, "\t")
				hb = ""; n = split(tested[k], T, " ")
				for (j = 1; j <= n; j++) { split(row[k, T[j]], q, "\t"); if (q[23] == "PASS" && T[j] + 0 <= best[k] / 2 && T[j] + 0 > hb + 0) hb = T[j] }
				half = "-"
				if (hb != "") { split(row[k, hb], q, "\t"); half = q[10] "/" q[11] " (" hb ")" }
				printf "%-9s %-9s %-8s %7s %8s %13s %21s %9s %9s %9s %9s %8s %7s%s\n", sc, s, r[2], r[4], r[5], r[10] "/" r[11], half,
					r[14], r[15], (r[26] == "" ? "NA" : r[26]), r[16], mem[k], oth[k], note
			}
		}
		printf "\nSwitchboard / Kamailio (rate: higher is better; CPU per operation: lower is better, compared at the highest rate both passed)\n"
		for (c = 1; c <= nsc; c++) {
			sc = SC[c]; kk = sc SUBSEP "kamailio"
			if (!(kk in best)) continue
			for (i = 1; i <= ns; i++) {
				s = S[i]; if (s == "kamailio") continue; k = sc SUBSEP s
				if (!(k in tested)) continue
				rr = (k in best) ? sprintf("%.2f", best[k] / best[kk]) : "0"
				common = ""; n = split(tested[k], T, " ")
				for (j = 1; j <= n; j++) {
					if (!((kk, T[j]) in row)) continue
					split(row[k, T[j]], a, "\t"); split(row[kk, T[j]], b, "\t")
					if (a[23] == "PASS" && b[23] == "PASS" && T[j] + 0 > common + 0) common = T[j]
				}
				cr = "-"
				if (common != "") {
					split(row[k, common], a, "\t"); split(row[kk, common], b, "\t")
					if (a[15] + 0 > 0 && b[15] + 0 > 0) cr = sprintf("%.1fx at %s/s (%s vs %s us)", a[15] / b[15], common, a[15], b[15])
					if (a[26] + 0 > 0 && b[15] + 0 > 0) cr = cr sprintf("; %.1fx without the JIT compiling (%s us)", a[26] / b[15], a[26])
				}
				printf "  %-5s %-9s max rate %s (%s vs %s/s), CPU per op %s\n", sc, s, rr, (k in best ? best[k] : 0), best[kk], cr
			}
		}
	}' "$1"
}
