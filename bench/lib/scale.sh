# Scale-out of bench/run (SCALE=1): does a call cost more CPU when the cluster has more core nodes? Sourced by
# bench/run after common.sh, not run by itself.
#
# For each N of SCALE_CORES, a cluster on this machine: one transport node (SIP on 127.0.0.1:SCALE_PORT) and N core
# nodes, all on loopback, Akka remoting over mutual TLS (a throw-away CA made with openssl, as deploy/local-cluster
# does), one journal: a fresh database switchboard of the bench's PostgreSQL. The same priming, warm-up and call
# steps as the single node's, then the cluster is stopped before the next one starts. The figures per step: CPU per
# call summed over all the cluster's JVMs, and split per node (transport, core-1..N), PostgreSQL's CPU per call.
# Every message crosses a node boundary here (transport -> the core node of the entity), which the single node
# with both roles never does: the first cluster's figure against the single node's is the price of that hop.

declare -A CLUSTER_NAMES=() # CLUSTER_PIDS: common.sh (server_pids reads it)
SCALE_SECRET=$(head -c 32 /dev/urandom | base64)

make_cluster_certs() { # make_cluster_certs DIR NAMES...: a CA and a certificate of it per node (CN=switchboard-cluster)
	local tls=$1 n
	shift
	command -v openssl >/dev/null || die "openssl is needed for the cluster's TLS"
	mkdir -p "$tls"
	[ -f "$tls/ca.crt" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=switchboard bench CA" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
		-keyout "$tls/ca.key" -out "$tls/ca.crt" >>"$tls/openssl.log" 2>&1 || die "openssl: $(tail -2 "$tls/openssl.log")"
	for n in "$@"; do
		[ -f "$tls/$n.crt" ] && continue
		printf '%s\n' basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature,keyEncipherment \
			extendedKeyUsage=serverAuth,clientAuth "subjectAltName=DNS:switchboard-cluster,IP:127.0.0.1" >"$tls/$n.ext"
		openssl req -new -newkey rsa:2048 -nodes -subj "/CN=switchboard-cluster" -keyout "$tls/$n.key" \
			-out "$tls/$n.csr" >>"$tls/openssl.log" 2>&1 &&
			openssl x509 -req -in "$tls/$n.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
				-extfile "$tls/$n.ext" -out "$tls/$n.crt" >>"$tls/openssl.log" 2>&1 || die "openssl: $(tail -2 "$tls/openssl.log")"
	done
}

fresh_journal() { # the database switchboard dropped and made again, so every cluster starts with an empty journal
	pg_sql postgres "DROP DATABASE IF EXISTS switchboard WITH (FORCE)" >/dev/null || die "cannot drop the database switchboard"
	pg_sql postgres "CREATE DATABASE switchboard" >/dev/null || die "cannot create the database switchboard"
	pg_sql switchboard "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1 || true
}

start_cluster_node() { # start_cluster_node CLUSTER NAME ROLE REMOTING_PORT
	local c=$1 name=$2 role=$3 rport=$4 d="$RUN/$1" conf
	conf="$d/$name.conf"
	{
		echo "# written by bench/run (SCALE=1)"
		echo "switchboard {"
		echo "  roles = [$role]"
		echo "  cluster-secret = \"$SCALE_SECRET\""
		echo "  cluster { host = \"127.0.0.1\", port = $rport, seed-nodes = [\"akka://switchboard@127.0.0.1:$((SCALE_REMOTING + 1))\"] }"
		echo "  security.cluster-tls { enabled = on, certificate = \"$d/tls/$name.crt\", private-key = \"$d/tls/$name.key\", ca = \"$d/tls/ca.crt\" }"
		echo "  security.trusted-peers = [\"127.0.0.0/8\"]"
		echo "  management.enabled = off"
		echo "  proxy.authenticate-callers = off"
		echo "  registrar.max-expires = 3600s"
		echo "  cluster.join-timeout = 180s"
		echo "  journal { dialect = postgres, url = \"jdbc:postgresql://127.0.0.1:$PG_PORT/switchboard\", user = postgres, password = \"\" }"
		echo "}"
		# every core node a member before any is Up: the subscribers' shards are spread from the start, not
		# rebalanced one every 2 s under the load
		echo "akka.cluster.role.core.min-nr-of-members = $SCALE_N"
		[ -n "${SB_EXTRA_CONFIG:-}" ] && echo "$SB_EXTRA_CONFIG"
	} >"$conf"
	local args=(--config "$conf" --data "$d/$name-data")
	[ "$role" = transport ] && args+=(--sip "127.0.0.1:$SCALE_PORT")
	[ "$name" = core-1 ] && args+=(--subscribers "$RUN/subscribers.csv")
	local cmd=(nice -n "$NICE" java $SCALE_JAVA_OPTS --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
		-cp "$NODE_DIR/switchboard-node-0.1.0-SNAPSHOT.jar:$NODE_DIR/lib/*" org.switchboard.node.Main "${args[@]}")
	echo "${cmd[*]}" >"$d/$name.cmd"
	"${cmd[@]}" >"$d/$name.log" 2>&1 &
	local pid=$!
	track $pid
	CLUSTER_PIDS[$c]="${CLUSTER_PIDS[$c]:-} $pid"
	CLUSTER_NAMES[$pid]=$name
	[ "$role" = transport ] && SERVER_PID[$c]=$pid
	return 0
}

start_cluster() { # start_cluster CLUSTER CORES: the core nodes at once (none is Up before all are members), then the transport
	local c=$1 cores=$2 i names=(transport) t0=$EPOCHREALTIME pid
	mkdir -p "$RUN/$c"
	for ((i = 1; i <= cores; i++)); do names+=("core-$i"); done
	make_cluster_certs "$RUN/$c/tls" "${names[@]}"
	fresh_journal
	CLUSTER_PIDS[$c]=""
	SCALE_N=$cores
	for ((i = 1; i <= cores; i++)); do start_cluster_node "$c" "core-$i" core $((SCALE_REMOTING + i)); done
	# the transport node (and its warm-up through the cores) once core-1 has imported the subscribers: a warm-up
	# beside the import of 10,000 accounts is slowed by it and leaves the cores half cold
	cluster_ready "$c"
	start_cluster_node "$c" transport transport "$SCALE_REMOTING"
	cluster_ready "$c"
	SERVER_PORT[$c]=$SCALE_PORT
	SERVER_JOURNAL[$c]=postgres
	log "$c: 1 transport + $cores core node(s) ready in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.0f", b - a}') s (pids${CLUSTER_PIDS[$c]}); $(grep -ho 'warm-up done.*' "$RUN/$c/transport.log")"
}

# scale_idle CLUSTER: CPU of all its nodes over SCALE_IDLE s [10] without load (cluster heartbeats, gossip, timers,
# a JIT still compiling): the part of a step's CPU per call that is not the calls'
scale_idle() {
	local c=$1 t0 t1 w0 w1
	t0=$(cpu_ticks ${CLUSTER_PIDS[$c]:-${SERVER_PID[$c]}})
	w0=$EPOCHREALTIME
	sleep "${SCALE_IDLE:-10}"
	t1=$(cpu_ticks ${CLUSTER_PIDS[$c]:-${SERVER_PID[$c]}})
	w1=$EPOCHREALTIME
	awk -v c="$c" -v n="${SCALE_SHAPE[$c]}" -v a="$t0" -v b="$t1" -v w0="$w0" -v w1="$w1" -v hz="$HZ" \
		'BEGIN{printf "%-6s %-22s idle: %.0f %% of a core for all its nodes together, before its steps\n", c, n, 100 * (b - a) / hz / (w1 - w0)}' |
		tee -a "$OUT/scale.txt" >&2
}

cluster_ready() { # every node started so far has logged its ready line
	local c=$1 pid
	for pid in ${CLUSTER_PIDS[$c]}; do
		wait_for "${SB_READY_WAIT:-240}" "$pid" grep -q "Switchboard ready" "$RUN/$c/${CLUSTER_NAMES[$pid]}.log" ||
			die "$c ${CLUSTER_NAMES[$pid]} did not become ready: $(tail -5 "$RUN/$c/${CLUSTER_NAMES[$pid]}.log")"
	done
}

stop_cluster() { # SIGTERM every node, then SIGKILL what is left after 30 s
	local c=$1 pid i
	for pid in ${CLUSTER_PIDS[$c]}; do kill -TERM "$pid" 2>/dev/null; done
	for pid in ${CLUSTER_PIDS[$c]}; do
		for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		untrack "$pid"
	done
}

# scale_step CLUSTER RATE: one call step with the CPU of each node and of PostgreSQL around it; a line in scale.txt
scale_step() {
	local c=$1 rate=$2 pid before=() after=() g0 g1 i=0 line split=""
	for pid in ${CLUSTER_PIDS[$c]:-${SERVER_PID[$c]}}; do before+=("$(cpu_ticks "$pid")"); done
	g0=$(pg_ticks)
	step call "$c" "$rate"
	g1=$(pg_ticks)
	for pid in ${CLUSTER_PIDS[$c]:-${SERVER_PID[$c]}}; do after+=("$(cpu_ticks "$pid")"); done
	line=$(awk -F'\t' -v s="$c" -v r="$rate" '$1 == s && $3 == "call" && $4 == r {l=$0} END{print l}' "$SUMMARY")
	local ok
	ok=$(echo "$line" | cut -f7)
	for pid in ${CLUSTER_PIDS[$c]:-${SERVER_PID[$c]}}; do
		split+=$(awk -v n="${CLUSTER_NAMES[$pid]:-node}" -v a="${before[$i]}" -v b="${after[$i]}" -v hz="$HZ" -v ok="$ok" \
			'BEGIN{printf " %s %.0f", n, (ok > 0 ? (b - a) / hz * 1e6 / ok : 0)}')
		i=$((i + 1))
	done
	echo "$line" | awk -F'\t' -v c="$c" -v nodecpu="$split" -v g0="$g0" -v g1="$g1" -v hz="$HZ" -v nodes="${SCALE_SHAPE[$c]}" '{
		pg = (g0 != "NA" && g1 != "NA" && $7 > 0) ? sprintf("%.0f", (g1 - g0) / hz * 1e6 / $7) : "NA"
		printf "%-6s %-22s %4d calls/s: ok %6s failed %4s retrans %5s p50/p99 %s/%s ms; CPU per call: all nodes %s us (%s ), PostgreSQL %s us -> %s\n",
			c, nodes, $4, $7, $8, $9, $10, $11, $15, substr(nodecpu, 2), pg, $23 }' | tee -a "$OUT/scale.txt" >&2
}
# scale_prime SERVER N: prime_contacts until all N callees are registered (at most 3 rounds; a REGISTER that a
# cluster still starting sheds is sent again), so that no step counts an unregistered callee's 480 as a failure
scale_prime() {
	local s=$1 n=$2 round got
	for round in 1 2 3; do
		prime_contacts "$s" "$n"
		got=$(stat_last "$RUN/prime-$s/prime_stat.csv" "SuccessfulCall(C)")
		[ "${got:-0}" -ge "$n" ] 2>/dev/null && return 0
		log "$s: priming round $round registered ${got:-0} of $n callees; again"
	done
	echo "$s: only ${got:-0} of $n callees registered after 3 rounds: its steps' 480s are callees without a binding" |
		tee -a "$OUT/scale.txt" >&2
}
declare -A SCALE_SHAPE=()
SCALE_N=1
