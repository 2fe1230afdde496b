# Registration storm of bench/run (STORM=1): STORM_USERS accounts that have never registered all register at once,
# against each server in turn (the others paused). Sourced by bench/run after common.sh, not run by itself.
#
# One SIPp reg_auth.xml run per server (REGISTER -> 401 -> REGISTER with digest -> 200, each user once), at the
# target rate STORM_RATE with at most STORM_LIMIT registrations in flight, bounded by STORM_TIMEOUT. The figures
# come from SIPp's files: the stat file (created / ok / failed / retransmissions) and the rtt file, one line per
# registration ("Date_ms;response_time_ms;reg": the 200's time since SIPp started, and first REGISTER -> 200), so
# first REGISTER sent = min(Date_ms - response_time) and last 200 received = max(Date_ms). -rtt_freq 1: SIPp writes
# the rtt file every -rtt_freq registrations and not the rest at exit (2013 users, -rtt_freq 50: 2000 lines).

#
# SIPp matches a response to its call by Call-ID only: a server that answers a retransmitted first REGISTER late
# sends a second 401 (Kamailio's stateless challenge: with a fresh nonce, so not a byte-identical retransmission)
# while SIPp already waits for the 200 of the REGISTER with credentials, and SIPp by default aborts the call on it
# (FailedUnexpectedMessage). A phone drops a response to a transaction it has finished (RFC 3261 17.1.3), so the
# storm runs SIPp with -default_behaviors all,-abortunexp (STORM_SIPP_BEHAVIORS): it ignores such a response and
# goes on; a registration still fails when its REGISTER with credentials gets no 200 (SIPp's 5 retransmissions).
STORM_SQL_DIR=${STORM_SQL_DIR:-/usr/share/kamailio/postgres}
STORM_SIPP_BEHAVIORS=${STORM_SIPP_BEHAVIORS:-all,-abortunexp}

# setup_kamailio_db: database kamailio in the bench cluster, with the tables of Debian's kamailio-postgres-modules
# (standard-create.sql: the version table; usrloc-create.sql: location, location_attrs and their versions), the
# same scripts kamdbctl runs; a fresh cluster per run, so the location table starts empty
setup_kamailio_db() {
	local f
	for f in standard-create.sql usrloc-create.sql; do
		[ -f "$STORM_SQL_DIR/$f" ] || die "no $STORM_SQL_DIR/$f (Debian's kamailio-postgres-modules ships it)"
	done
	pg_sql postgres "CREATE DATABASE kamailio" >/dev/null || die "cannot create the database kamailio"
	for f in standard-create.sql usrloc-create.sql; do
		runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d kamailio -v ON_ERROR_STOP=1 -q \
			-f "$STORM_SQL_DIR/$f" >>"$RUN/kamailio-pg-schema.log" 2>&1 ||
			die "cannot load $STORM_SQL_DIR/$f: $(tail -3 "$RUN/kamailio-pg-schema.log")"
	done
	log "kamailio-pg: database kamailio on 127.0.0.1:$PG_PORT, tables from $STORM_SQL_DIR/{standard,usrloc}-create.sql (location version $(pg_sql kamailio "SELECT table_version FROM version WHERE table_name='location'"))"
}

# storm_bindings SERVER: how many AORs the server holds a binding for, or "-" where it cannot be read while the
# server runs. Kamailio: usrloc's registered_users statistic (kamcmd); kamailio-pg: rows of the location table;
# sb-pg: distinct entities with a BindingSaved event in the journal; sb-h2: "-" (the node holds its H2 file)
storm_bindings() {
	local v=""
	case $1 in
	kamailio) v=$(kamcmd -s "${KAM_CTL[$1]}" stats.get_statistics registered_users 2>/dev/null | awk -F' = ' '/registered_users/{print $2; exit}') ;;
	kamailio-pg) v=$(pg_sql kamailio "SELECT count(*) FROM location" 2>/dev/null) ;;
	sb-pg) v=$(pg_sql switchboard "SELECT count(DISTINCT persistence_id) FROM event_journal WHERE event_ser_manifest LIKE '%BindingSaved%'" 2>/dev/null) ;;
	esac
	echo "${v:--}"
}

STORM_TSV_HEADER="$BASE_TSV_HEADER"'\tusers\tspan_s\tdb_cpu_s\tdb_us_per_op\tbindings_before\tbindings_after\n'

# storm SERVER: the storm against one server, the others paused; appends a line to $SUMMARY (TSV_HEADER's columns:
# rate = STORM_RATE, achieved = registrations/s from the first REGISTER to the last 200; then users, span_s (first
# REGISTER sent -> last 200 received, s), db_cpu_s / db_us_per_op (the PostgreSQL cluster's CPU over the storm,
# servers on PostgreSQL only), bindings before / after)
storm() {
	local s=$1 n=$STORM_USERS rate=$STORM_RATE port=${SERVER_PORT[$1]} d="$RUN/storm-$1"
	begin_measure "$s" "$d" storm || return 0
	local before after pids t0 t1 w0 w1 i0 i1 g0=NA g1=NA ondb=0
	[ "${SERVER_JOURNAL[$s]}" = postgres ] && ondb=1
	before=$(storm_bindings "$s")
	log "storm $s: $n users, target $rate/s, at most $STORM_LIMIT in flight, ${STORM_TIMEOUT}s at most; bindings before: $before"
	pids=$(server_pids "$s")
	t0=$(cpu_ticks $pids)
	[ $ondb = 1 ] && g0=$(pg_ticks)
	i0=$(idle_s)
	w0=$EPOCHREALTIME
	spawn_sipp "$d" uac "127.0.0.1:$port" -sf "$SIPP_DIR/reg_auth.xml" -inf "$RUN/users.csv" -auth_uri sip.test \
		-p "$UAS_PORT" -m "$n" -r "$rate" -l "$STORM_LIMIT" -i 127.0.0.1 -nostdin -buff_size $SIPP_BUF \
		-max_recv_loops 10000 -max_sched_loops 10000 -trace_stat -fd 1 -trace_rtt -rtt_freq 1 -trace_err -trace_screen \
		-timeout "${STORM_TIMEOUT}s" -default_behaviors "$STORM_SIPP_BEHAVIORS" -stf uac_stat.csv
	wait_sipp "$SPAWN_SUB" "$SPAWN_SIPP" $((STORM_TIMEOUT + 30))
	local alive=1
	kill -0 "${SERVER_PID[$s]}" 2>/dev/null || alive=0
	t1=$(cpu_ticks $pids)
	[ $ondb = 1 ] && g1=$(pg_ticks)
	i1=$(idle_s)
	w1=$EPOCHREALTIME
	after=-
	[ $alive = 1 ] && after=$(storm_bindings "$s")
	resume_others

	local created ok fail retr rtt cnt p50 p99 span achieved server_cpu=NA us mem=NA sipp_cpu sus db_cpu=- dus=- busy others
	created=$(stat_last "$d/uac_stat.csv" "OutgoingCall(C)")
	ok=$(stat_last "$d/uac_stat.csv" "SuccessfulCall(C)")
	fail=$(stat_last "$d/uac_stat.csv" "FailedCall(C)")
	retr=$(stat_last "$d/uac_stat.csv" "Retransmissions(C)")
	rtt=$(ls "$d"/*_rtt.csv 2>/dev/null | head -1)
	read -r cnt p50 p99 _ <<<"$(pctl "$rtt" reg)"
	# first REGISTER sent -> last 200 received, over the registrations that completed
	span=$([ -n "$rtt" ] && awk -F';' '$3=="reg"{b=$1-$2; if(!n||b<f)f=b; if($1>l)l=$1; n++} END{if(n) printf "%.3f", (l-f)/1000; else print "NA"}' "$rtt" || echo NA)
	achieved=$(awk -v n="$ok" -v t="$span" 'BEGIN{ if (t+0>0) printf "%.0f", n/t; else print 0}')
	sipp_cpu=$(cat "$d"/*.cpu 2>/dev/null | awk '{s+=$1+$2} END{printf "%.2f", s}')
	if [ $alive = 1 ]; then
		server_cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" 'BEGIN{printf "%.2f", (b-a)/hz}')
		mem=$(mem_mb "$s")
	fi
	[ $ondb = 1 ] && [ "$g0" != NA ] && [ "$g1" != NA ] && db_cpu=$(awk -v a="$g0" -v b="$g1" -v hz="$HZ" 'BEGIN{printf "%.2f", (b-a)/hz}')
	us=$(awk -v c="$server_cpu" -v n="$ok" 'BEGIN{ if (n+0>0 && c!="NA") printf "%.0f", c*1e6/n; else print "NA"}')
	sus=$(awk -v c="$sipp_cpu" -v n="$ok" 'BEGIN{ if (n+0>0) printf "%.0f", c*1e6/n; else print "NA"}')
	[ "$db_cpu" != - ] && dus=$(awk -v c="$db_cpu" -v n="$ok" 'BEGIN{ if (n+0>0) printf "%.0f", c*1e6/n; else print "NA"}')
	read -r busy others <<<"$(awk -v i0="$i0" -v i1="$i1" -v w0="$w0" -v w1="$w1" -v n="$NCPU" -v sc="${server_cpu/NA/0}" -v pc="$sipp_cpu" -v dc="${db_cpu/-/0}" \
		'BEGIN{dt=w1-w0; b=100*(n*dt-(i1-i0))/dt; o=b-100*(sc+pc+dc)/dt; if(o<0)o=0; printf "%.0f %.0f", b, o}')"
	# PASS: every user registered, none failed, and the server held no binding for them before
	[ "$ok" = "$n" ] && [ "$fail" = 0 ] && { [ "$before" = - ] || [ "$before" = 0 ]; } && VERDICT=PASS
	if [ "$before" != - ] && [ "$before" != 0 ]; then
		log "storm $s: the server held $before bindings before the storm: not a fresh start"
	fi
	if [ $alive = 0 ]; then
		VERDICT=DIED
		SERVER_DEAD[$s]=1
		log "$s (pid ${SERVER_PID[$s]}) is gone; last lines of $RUN/$s.log:
$(tail -5 "$RUN/$s.log" 2>/dev/null | cut -c1-200)"
	fi
	# (SIPp's error log holds every late 200 to a retransmitted REGISTER: MBs in a storm)
	find "$d" \( -name '*_errors.log' -o -name '*_rtt.csv' \) -size +1M -exec gzip -q {} + 2>/dev/null
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$s" "${SERVER_JOURNAL[$s]}" storm "$rate" "$achieved" "$created" "$ok" "$fail" "$retr" "$p50" "$p99" \
		- - "$server_cpu" "$us" "$sipp_cpu" "$sus" "$mem" "$busy" "$others" - - "$VERDICT" \
		"$n" "$span" "$db_cpu" "$dus" "$before" "$after" >>"$SUMMARY"
	log "storm $s: $ok of $n registered (failed $fail, retrans $retr) in ${span}s = ${achieved}/s, p50/p99 ${p50}/${p99} ms; server ${server_cpu}s CPU = ${us} us/reg$([ $ondb = 1 ] && echo ", PostgreSQL ${db_cpu}s = ${dus} us/reg"), SIPp ${sipp_cpu}s, mem ${mem} MB, machine ${busy}% (others ${others}%); bindings after: $after -> $VERDICT"
}

# storm_report SUMMARY SERVERS: one line per server, then the ratios to Kamailio in memory (and Switchboard on
# PostgreSQL to Kamailio on PostgreSQL)
storm_report() {
	awk -F'\t' -v order="$2" '
	NR == 1 { next }
	$3 == "storm" { row[$1] = $0 }
	function cpu(r,  a) { split(r, a, "\t"); return (a[14] == "NA") ? "NA" : a[14] + (a[26] == "-" ? 0 : a[26]) }
	function per(r,  a, c) { split(r, a, "\t"); c = cpu(r); return (c == "NA" || a[7] + 0 == 0) ? "NA" : c * 1e6 / a[7] }
	function ratio(x, y) { return (x == "NA" || y == "NA" || y + 0 == 0) ? "-" : sprintf("%.2f", x / y) }
	function compare(s, k,  a, b) {
		split(row[s], a, "\t"); split(row[k], b, "\t")
		printf "  %-11s / %-11s  time to all registered %s, registrations/s %s, CPU per registration (with PostgreSQL) %s, peak MB %s\n",
			s, k, (a[7] == a[24] && b[7] == b[24]) ? ratio(a[25], b[25]) : "- (not all registered)", ratio(a[5], b[5]),
			ratio(per(row[s]), per(row[k])), ratio(a[18], b[18])
	}
	END {
		ns = split(order, S, " ")
		printf "%-11s %-8s %6s %9s %7s %13s %7s %8s %9s %8s %8s %9s %7s %7s %7s %s\n", "storm", "usrloc/", "users",
			"all reg s", "reg/s", "p50/p99 ms", "failed", "retrans", "srv CPU s", "srv us", "PG CPU s", "+PG us", "SIPp s",
			"peak MB", "others%", "bindings"
		printf "%-11s %-8s %6s %9s %7s %13s %7s %8s %9s %8s %8s %9s %7s %7s %7s %s\n", "server", "journal", "", "", "", "",
			"", "", "", "/reg", "", "/reg", "", "", "", "before/after"
		for (i = 1; i <= ns; i++) {
			s = S[i]
			if (!(s in row)) { printf "%-11s   (not measured)\n", s; continue }
			split(row[s], a, "\t")
			t = (a[7] == a[24]) ? a[25] : "-"
			note = (a[7] == a[24]) ? "" : sprintf(" [%d of %d registered; last 200 at %s s]", a[7], a[24], a[25])
			if (a[23] == "DIED") note = note " [server died]"
			pg = (a[26] == "-") ? "-" : a[26]
			pu = per(row[s]); pu = (a[26] == "-" || pu == "NA") ? "-" : sprintf("%.0f", pu)
			printf "%-11s %-8s %6s %9s %7s %13s %7s %8s %9s %8s %8s %9s %7s %7s %7s %s%s\n", s, a[2], a[24], t, a[5],
				a[10] "/" a[11], a[8], a[9], a[14], a[15], pg, pu, a[16], a[18], a[20], a[28] "/" a[29], note
		}
		if ("kamailio" in row) {
			printf "\nratios to Kamailio in memory (time, CPU, memory: lower is better; registrations/s: higher is better)\n"
			for (i = 1; i <= ns; i++) if (S[i] != "kamailio" && (S[i] in row)) compare(S[i], "kamailio")
		}
		if (("sb-pg" in row) && ("kamailio-pg" in row)) {
			printf "\nboth on PostgreSQL\n"
			compare("sb-pg", "kamailio-pg")
		}
	}' "$1"
}
