# Functions of bench/run: processes, servers, load steps, figures. Sourced, not run.
STARTED=()
KPID=""
PG_DATA=""
PG_TMP=""
PG_BIN=""
HZ=$(getconf CLK_TCK)
SIPP_BUF=4194304
declare -A SERVER_PID=() SERVER_PORT=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
track() { STARTED+=("$1"); }

stop_pid() { # stop_pid PID [signal]: signal, wait up to 10 s, then SIGKILL
	local p=$1 sig=${2:-TERM} i
	[ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
	kill -"$sig" "$p" 2>/dev/null
	for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.2; done
	kill -KILL "$p" 2>/dev/null
}

children_of() { # the PIDs whose parent is $1
	local f s
	for f in /proc/[0-9]*/stat; do
		read -r -a s 2>/dev/null <"$f" || continue
		[ "${s[3]}" = "$1" ] && echo "${s[0]}"
	done
}

cleanup() {
	local p kids=""
	[ -n "$KPID" ] && kids=$(children_of "$KPID")
	for p in "${STARTED[@]+"${STARTED[@]}"}"; do stop_pid "$p"; done
	for p in $kids; do stop_pid "$p"; done
	if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1
	fi
	if [ -n "$PG_TMP" ] && [ -d "$PG_TMP" ]; then
		cp "$PG_TMP/postgres.log" "${RUN:-/tmp}/postgres.log" 2>/dev/null
		rm -rf "$PG_TMP"
	fi
}

install_tools() {
	local need=()
	command -v sipp >/dev/null || need+=(sip-tester)
	command -v kamailio >/dev/null || need+=(kamailio)
	case " $SERVERS " in *" sb-pg "*) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql) ;; esac
	if [ ${#need[@]} -gt 0 ]; then
		log "installing ${need[*]} (Debian packages)"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null ||
			die "cannot install ${need[*]}"
	fi
	log "$(kamailio -v | head -1) / $(sipp -v 2>&1 | grep -m1 -o 'SIPp v[^ ]*') / $(nproc) cores"
}

port_free() {
	! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && ! ss -uln 2>/dev/null | grep -q "127.0.0.1:$1 "
}

make_users() { # make_users DIR N: the same accounts for both servers, and SIPp's injection files
	local d=$1 n=$2 i
	{
		echo 'id(int,auto) key_name(string) key_type(int) value_type(int) key_value(string) expires(int) '
		for ((i = 0; i < n; i++)); do printf '%d:user%04d:0:0:pw%04d:0\n' $((i + 1)) $i $i; done
	} >"$d/credentials"
	mkdir -p "$d/dbtext"
	mv "$d/credentials" "$d/dbtext/credentials"
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

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: poll until the command succeeds
	local limit=$1 what=$2 i
	shift 2
	for ((i = 0; i < limit * 5; i++)); do "$@" && return 0; sleep 0.2; done
	die "timed out after ${limit}s waiting for $what"
}

start_kamailio() { # start_kamailio DIR PORT
	local d=$1 port=$2
	kamailio -DD -E -f "$ROOT/bench/kamailio/kamailio.cfg" -m 2048 -M 16 -P "$d/kamailio.pid" -Y "$d" \
		-A "LISTEN_UDP=udp:127.0.0.1:$port" -A "LISTEN_TCP=tcp:127.0.0.1:$port" \
		-A "DBURL=\"text://$d/dbtext\"" -A "CTLSOCK=\"unix:$d/kamailio_ctl\"" 2>"$d/kamailio.log" &
	KPID=$!
	track $KPID
	SERVER_PID[kamailio]=$KPID
	SERVER_PORT[kamailio]=$port
	wait_for 30 "Kamailio on UDP $port" sh -c "ss -uln | grep -q '127.0.0.1:$port '"
	log "kamailio pid $KPID on 127.0.0.1:$port"
}

start_postgres() { # start_postgres DIR PORT: Debian's server in a scratch cluster, fsync and synchronous commit on
	local d=$1 port=$2
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	# the cluster lives in a scratch directory of its own under /tmp: the postgres user must reach it, and the
	# checkout may sit under a directory it cannot enter
	local pg
	pg=$(mktemp -d /tmp/switchboard-bench-pg.XXXXXX)
	PG_TMP=$pg
	PG_DATA="$pg/data"
	mkdir -p "$PG_DATA"
	chown -R postgres "$pg"
	runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust >"$d/initdb.log" 2>&1 ||
		die "initdb failed: $(tail -3 "$d/initdb.log")"
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$pg/postgres.log" -w -o \
		"-p $port -k $pg -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=50" \
		start >/dev/null || die "postgres did not start: $(tail -5 "$pg/postgres.log")"
	runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE switchboard" >/dev/null ||
		die "cannot create the database"
	log "postgres $(cat "$PG_DATA/PG_VERSION") on 127.0.0.1:$port (fsync=on, synchronous_commit=on)"
}

start_switchboard() { # start_switchboard NAME DIR PORT JOURNAL
	local name=$1 d=$2 port=$3 journal=$4 conf="$2/$1.conf"
	{
		echo "switchboard.proxy.authenticate-callers = off  # the Kamailio reference authenticates REGISTER only"
		echo "switchboard.registrar.max-expires = 3600s"
		if [ "$journal" = postgres ]; then
			echo "switchboard.journal { dialect = postgres, url = \"jdbc:postgresql://127.0.0.1:$PG_PORT/switchboard\", user = postgres, password = \"\" }"
		fi
	} >"$conf"
	if [ ! -f "$ROOT/modules/node/target/switchboard-node-0.1.0-SNAPSHOT.jar" ]; then
		log "building Switchboard"
		(cd "$ROOT" && mvn -B -q -DskipTests package) >&2 || die "build failed"
	fi
	JAVA_OPTS="${SB_JAVA_OPTS:--Xms1g -Xmx2g}" "$ROOT/bin/switchboard" --sip "127.0.0.1:$port" --data "$d/$name-data" \
		--subscribers "$d/subscribers.csv" --config "$conf" >"$d/$name.log" 2>&1 &
	local pid=$!
	track $pid
	SERVER_PID[$name]=$pid
	SERVER_PORT[$name]=$port
	wait_for 180 "$name to be ready" grep -q "Switchboard ready" "$d/$name.log"
	log "$name pid $pid on 127.0.0.1:$port ($journal journal)"
}

cpu_ticks() { # utime+stime of a process and all its children threads/processes we know of
	local p total=0 s
	for p in "$@"; do
		read -r -a s 2>/dev/null </proc/"$p"/stat || continue
		total=$((total + s[13] + s[14]))
	done
	echo $total
}

server_pids() {
	local s=$1
	if [ "$s" = kamailio ]; then echo "$KPID $(children_of "$KPID")"; else echo "${SERVER_PID[$s]}"; fi
}

peak_rss_mb() { # VmHWM summed over the server's processes
	local p total=0 v
	for p in "$@"; do
		v=$(awk '/VmHWM/{print $2}' /proc/"$p"/status 2>/dev/null)
		total=$((total + ${v:-0}))
	done
	echo $((total / 1024))
}

stat_last() { # stat_last FILE COLUMN: that column in the last line of a SIPp -trace_stat file
	awk -F';' -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} {v=$k} END{print (k ? v : "NA")}' "$1"
}

percentiles() { # percentiles RTTFILE RTD: "p50 p99 count rate" (ms; rate = completions per second) from -trace_rtt
	awk -F';' -v r="$2" '$3==r{print $2, $1}' "$1" 2>/dev/null | sort -n |
		awk '{v[NR]=$1; if(NR==1||$2<f) f=$2; if($2>l) l=$2}
			END{if(!NR){print "NA NA 0 0"; exit}
			i=int(.5*NR+.999); j=int(.99*NR+.999); if(j>NR)j=NR
			printf "%s %s %d %.1f\n", v[i], v[j], NR, (l>f ? (NR-1)*1000/(l-f) : 0)}'
}

run_sipp() { # run_sipp DIR NAME ARGS...: SIPp bounded in time; its CPU seconds into DIR/NAME.cpu
	local d=$1 name=$2
	shift 2
	(
		cd "$d" || exit 1
		TIMEFORMAT='%U %S'
		{ time timeout $((DUR + 60)) sipp "$@" >"$name.out" 2>&1; } 2>"$name.cpu"
	)
}

VERDICT=""
step() { # step SCENARIO SERVER RATE: one bounded load step; appends a line to $SUMMARY
	local scenario=$1 s=$2 rate=$3 n=$(($3 * DUR)) port=${SERVER_PORT[$2]}
	local d="$RUN/$scenario-$s-$rate"
	mkdir -p "$d"
	local pids t0 t1 uas=""
	pids=$(server_pids "$s")
	t0=$(cpu_ticks $pids)
	local common=(-i 127.0.0.1 -nostdin -buff_size $SIPP_BUF -max_recv_loops 10000 -max_sched_loops 10000
		-trace_stat -fd 1 -trace_rtt -rtt_freq 50 -trace_err -timeout $((DUR + 40))s)
	if [ "$scenario" = reg ]; then
		# registered from the port the callee UAS listens on later, as the reference does: one contact per user
		run_sipp "$d" uac "127.0.0.1:$port" -sf "$ROOT/bench/sipp/reg_auth.xml" -inf "$RUN/users.csv" \
			-p $UAS_PORT -m $n -r "$rate" -l 20000 "${common[@]}" -stf uac_stat.csv
	else
		(cd "$d" && TIMEFORMAT='%U %S' && { time timeout $((DUR + 70)) sipp -sf "$ROOT/bench/sipp/uas_call.xml" \
			-p $UAS_PORT -m $n -i 127.0.0.1 -nostdin -buff_size $SIPP_BUF -max_recv_loops 10000 \
			-max_sched_loops 10000 -trace_stat -fd 1 -stf uas_stat.csv -trace_err -timeout $((DUR + 50))s \
			>uas.out 2>&1; } 2>uas.cpu) &
		uas=$!
		sleep 0.5
		run_sipp "$d" uac "127.0.0.1:$port" -sf "$ROOT/bench/sipp/uac_call.xml" -inf "$RUN/callees.csv" \
			-p $CLIENT_PORT -m $n -r "$rate" -l $((rate * 10 + 100)) "${common[@]}" -stf uac_stat.csv
		wait $uas
	fi
	t1=$(cpu_ticks $pids)
	local created ok fail retr achieved p50 p99 cnt rtd=reg sipp_cpu server_cpu us rss
	created=$(stat_last "$d/uac_stat.csv" "OutgoingCall(C)")
	ok=$(stat_last "$d/uac_stat.csv" "SuccessfulCall(C)")
	fail=$(stat_last "$d/uac_stat.csv" "FailedCall(C)")
	retr=$(stat_last "$d/uac_stat.csv" "Retransmissions(C)")
	[ "$scenario" = call ] && rtd=setup
	# achieved: completions per second while the load ran (from the first to the last response time sample)
	read -r p50 p99 cnt achieved <<<"$(percentiles "$(ls "$d"/*_rtt.csv 2>/dev/null | head -1)" $rtd)"
	sipp_cpu=$(cat "$d"/*.cpu 2>/dev/null | awk '{s+=$1+$2} END{printf "%.1f", s}')
	server_cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" 'BEGIN{printf "%.1f", (b-a)/hz}')
	us=$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v n="$ok" 'BEGIN{ if (n>0) printf "%.0f", (b-a)/hz*1e6/n; else print "NA"}')
	rss=$(peak_rss_mb $pids)
	VERDICT=FAIL
	awk -v c="$created" -v n="$n" -v f="$fail" -v a="$achieved" -v r="$rate" \
		'BEGIN{exit !(c==n && f+0 < 0.001*c && a+0 >= 0.95*r)}' && VERDICT=PASS
	printf '%s\t%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$scenario" "$rate" "${achieved:-0}" \
		"$created" "$ok" "$fail" "$retr" "$p50" "$p99" "$server_cpu" "$us" "$sipp_cpu" "$rss" "$VERDICT" >>"$SUMMARY"
	log "$scenario $s @ $rate/s: ok $ok failed $fail retrans $retr, achieved ${achieved}/s, p50/p99 ${p50}/${p99} ms, server ${us} us CPU/op, RSS ${rss} MB -> $VERDICT"
}

prime_contacts() { # registers every user with the UAS port as contact, so calls reach the SIPp callee
	local s=$1 d="$RUN/prime-$s"
	mkdir -p "$d"
	run_sipp "$d" prime "127.0.0.1:${SERVER_PORT[$s]}" -sf "$ROOT/bench/sipp/reg_auth.xml" -inf "$RUN/users.csv" \
		-p $UAS_PORT -m $NUSERS -r 1000 -l 5000 -i 127.0.0.1 -nostdin -timeout 60s -trace_stat -stf prime_stat.csv
	log "$s: contacts primed ($(stat_last "$d/prime_stat.csv" "SuccessfulCall(C)") of $NUSERS registered at port $UAS_PORT)"
}

report() { # report SUMMARY: per server and scenario, the highest passing rate and the figures there and at half
	printf "%-9s %-5s %9s %9s %12s %18s %10s %9s %8s\n" server test max/s achieved "p50/p99 ms" "@half: p50/p99 (rate)" "us CPU/op" "SIPp CPU" "RSS MB"
	awk -F'\t' '
	NR==1 {next}
	{ key=$1"\t"$2; rows[key, $3]=$0; if ($15=="PASS" && $3+0 > best[key]+0) best[key]=$3; rates[key]=rates[key]" "$3; keys[key]=1 }
	END {
		for (k in keys) {
			if (!(k in best)) { split(k, kk, "\t"); printf "%-9s %-5s %9s\n", kk[1], kk[2], "none"; continue }
			split(rows[k, best[k]], r, "\t")
			half = "-"; h = best[k] / 2; n = split(rates[k], rs, " ")
			for (i = 1; i <= n; i++) if (rs[i] + 0 <= h && rs[i] + 0 > hb + 0) { hb = rs[i] }
			if (hb != "") { split(rows[k, hb], q, "\t"); half = q[9] "/" q[10] " (" hb ")" }
			hb = ""
			printf "%-9s %-5s %9s %9s %12s %18s %10s %9s %8s\n", r[1], r[2], r[3], r[4], r[9] "/" r[10], half, r[12], r[13], r[14]
		}
	}' "$1" | sort
}
