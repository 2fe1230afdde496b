package org.switchboard.node.journal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.switchboard.node.metrics.MetricsContext;

import akka.persistence.jdbc.config.EventJournalTableConfiguration;
import akka.persistence.jdbc.config.JournalConfig;
import akka.persistence.jdbc.journal.dao.DefaultJournalDao;
import akka.persistence.jdbc.journal.dao.JournalTables.JournalAkkaSerializationRow;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.jdk.javaapi.OptionConverters;
import scala.concurrent.Future;
import scala.concurrent.Promise;
import scala.runtime.BoxedUnit;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * akka-persistence-jdbc's journal access ({@code jdbc-journal.dao}) with its writes paced: a write starts no
 * sooner than {@code switchboard.journal.commit-interval} after the one before it ({@link CommitPacing}). The
 * library already puts every event that waits into the next write, but its writes are quick, so under load each
 * held one or two events and each paid a commit: H2 writes every B-tree page a transaction touched, up to the
 * root, at its commit, and PostgreSQL flushes its log. Paced, a write holds what an interval brought. A persist
 * waits at most about one interval more per writer ({@code jdbc-journal.parallelism}), and only while writes come
 * faster than one per interval; a write asked for longer than an interval after the last one started is not
 * delayed at all.
 */
public final class GroupCommitJournalDao extends DefaultJournalDao {
    /** One timer thread for the JVM: tests start many actor systems, and it sleeps between writes. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "journal-pacer");
        thread.setDaemon(true);
        return thread;
    });

    private final long interval;
    private final Counter commits;
    private final Counter events;
    private final HighestSequenceNrReads highestReads;
    private long lastStart = Long.MIN_VALUE;

    public GroupCommitJournalDao(JdbcBackend.DatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
            Serialization serialization, ExecutionContext ec, Materializer mat) {
        super(db, profile, journalConfig, serialization, ec, mat);
        this.interval = mat.system().settings().config()
                .getDuration("switchboard.journal.commit-interval", TimeUnit.NANOSECONDS);
        MeterRegistry registry = MetricsContext.get(mat.system()).registry();
        this.commits = Counter.builder("switchboard.journal.commits")
                .description("Journal writes of this node (one transaction each)").register(registry);
        this.events = Counter.builder("switchboard.journal.events")
                .description("Events written to the journal by this node").register(registry);
        EventJournalTableConfiguration table = journalConfig.eventJournalTableConfiguration();
        this.highestReads = new HighestSequenceNrReads(() -> db.source().createConnection(),
                OptionConverters.toJava(table.schemaName()), table.tableName(),
                table.columnNames().persistenceId(), table.columnNames().sequenceNumber(),
                Counter.builder("switchboard.journal.recovery.reads")
                        .description("Statements that read where entities' recoveries start (many entities each)")
                        .register(registry));
    }

    /** Asked by every recovery, so once by every new call: read for many at a time ({@link HighestSequenceNrReads}). */
    @Override
    public Future<Object> highestSequenceNr(String persistenceId, long fromSequenceNr) {
        return highestReads.highest(persistenceId);
    }

    /** Called by the library's write stream, one call at a time. */
    @Override
    public Future<BoxedUnit> writeJournalRows(Seq<Tuple2<JournalAkkaSerializationRow, Set<String>>> rows) {
        commits.increment();
        events.increment(rows.size());
        long now = System.nanoTime();
        long start = CommitPacing.start(now, lastStart, interval);
        lastStart = start;
        if (start <= now) {
            return super.writeJournalRows(rows);
        }
        Promise<BoxedUnit> written = Promise.apply();
        TIMER.schedule(() -> {
            try {
                written.completeWith(super.writeJournalRows(rows));
            } catch (RuntimeException e) {
                written.tryFailure(e);
            }
        }, start - now, TimeUnit.NANOSECONDS);
        return written.future();
    }
}
