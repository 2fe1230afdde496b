# TLS steps of bench/run (TLS=1): certificate, server settings and the load generator bench/tls/TlsLoad.java.
# Sourced by bench/run after common.sh, not run by itself.
#
# Debian's SIPp is built without OpenSSL, so the TLS steps are driven by TlsLoad (pure JDK): PHONES TLS connections,
# each an account of the same 10,000 (user0000/pw0000 ...), REGISTER with digest or calls between them through the
# server. It prints one "RESULT key=value ..." line; tls_figures turns it into the figures step() records.

# make_tls_cert DIR: a throw-away CA and a server certificate for 127.0.0.1 / sip.test, signed by it (RSA 2048,
# unencrypted PKCS#8 key): served by Kamailio and by Switchboard alike; TlsLoad trusts the CA and checks the name
make_tls_cert() {
	local d=$1
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=switchboard-bench-ca &&
			openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=sip.test &&
			printf 'subjectAltName=DNS:sip.test,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >ext.cnf &&
			openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf
	) >"$d/openssl.log" 2>&1 || die "cannot make the TLS certificate: $(tail -3 "$d/openssl.log")"
	chmod 600 "$d/server.key" "$d/ca.key"
	{
		echo "# written by bench/run: Kamailio's tls module serves the bench certificate; no client certificates"
		echo "[server:default]"
		echo "method = TLSv1.2+"
		echo "verify_certificate = no"
		echo "require_certificate = no"
		echo "private_key = $d/server.key"
		echo "certificate = $d/server.pem"
		echo
		echo "[client:default]"
		echo "method = TLSv1.2+"
		echo "verify_certificate = no"
		echo "require_certificate = no"
	} >"$d/kamailio-tls.cfg"
	TLS_DIR=$d
}

# build_tlsload DIR: compile the load generator once per run (javac, JDK only)
build_tlsload() {
	TLSLOAD_CP="$1/tlsload"
	mkdir -p "$TLSLOAD_CP"
	javac -d "$TLSLOAD_CP" "$ROOT/bench/tls/TlsLoad.java" 2>"$1/tlsload-javac.log" ||
		die "cannot compile bench/tls/TlsLoad.java: $(tail -5 "$1/tlsload-javac.log")"
}

# spawn_tlsload DIR NAME ARGS...: TlsLoad in the background (as spawn_sipp: its CPU seconds into DIR/NAME.cpu;
# its RESULT line into DIR/NAME.out). The JVM's PID is tracked, so cleanup() stops it.
spawn_tlsload() {
	local d=$1 name=$2 i
	shift 2
	echo "java -cp $TLSLOAD_CP TlsLoad $*" >"$d/$name.cmd"
	(
		cd "$d" || exit 1
		TIMEFORMAT='%U %S'
		{ time nice -n "$NICE" java $TLSLOAD_JAVA_OPTS -cp "$TLSLOAD_CP" TlsLoad "$@" >"$name.out" 2>"$name.err"; } 2>"$name.cpu"
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
	[ -n "$SPAWN_SIPP" ] && track "$SPAWN_SIPP"
}

wait_tlsload() { # wait_tlsload SUBSHELL JVM SECONDS: wait for it; past SECONDS stop it (SIGTERM)
	local sub=$1 jp=$2 lim=$(($3 * 5)) w=0
	while kill -0 "$sub" 2>/dev/null && [ $w -lt $lim ]; do sleep 0.2; w=$((w + 1)); done
	if kill -0 "$sub" 2>/dev/null; then
		log "TlsLoad pid $jp still running after $3 s: stopping it"
		stop_pid "$jp"
	fi
	wait "$sub" 2>/dev/null
	untrack "$sub"
	[ -n "$jp" ] && untrack "$jp"
}

# tls_load DIR SCENARIO(tls-reg|tls-call) SERVER RATE: one TlsLoad step against the server's TLS port
tls_load() {
	local d=$1 scenario=$2 s=$3 rate=$4 mode=reg phones=$TLS_REG_PHONES
	[ "$scenario" = tls-call ] && mode=call phones=$TLS_CALL_PHONES
	spawn_tlsload "$d" uac --mode $mode --server "127.0.0.1:${SERVER_TLS_PORT[$s]}" --ca "$TLS_DIR/ca.pem" \
		--phones "$phones" --rate "$rate" --duration "$DUR" --timeout 32 --warmup "$TLS_WARMUP" --server-pids "$(server_pids "$s" | tr -s ' \n' ',')"
	wait_tlsload "$SPAWN_SUB" "$SPAWN_SIPP" $((DUR + 120))
}

# tls_figures DIR: the RESULT line as "created ok failed retrans achieved p50 p99 p50b p99b uas_ok uas_failed"
tls_figures() {
	awk '/^RESULT /{for(i=2;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]}; f=1}
		END{if(!f){print "NA NA NA NA 0 NA NA - - - -"; exit}
			if(v["p50"]=="") v["p50"]=v["p99"]="NA"; if(v["uas_ok"]=="") v["uas_ok"]=v["uas_failed"]="-"
			printf "%s %s %s 0 %s %s %s %s %s %s %s\n", v["created"], v["ok"], v["failed"], v["achieved"], v["p50"], v["p99"],
				(v["p50b"]=="NA" ? "-" : v["p50b"]), (v["p99b"]=="NA" ? "-" : v["p99b"]), v["uas_ok"], v["uas_failed"]}' "$1/uac.out" 2>/dev/null ||
		echo "NA NA NA NA 0 NA NA - - - -"
}

# tls_window DIR: "window_s server_cpu_s self_cpu_s idle_s" of the load window, as TlsLoad measured it; empty if none
tls_window() {
	awk '/^RESULT /{for(i=2;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]}; if (v["window_s"]+0 > 0) printf "%s %s %s %s\n", v["window_s"], v["server_cpu_s"], v["self_cpu_s"], v["idle_s"]}' "$1/uac.out" 2>/dev/null
}
