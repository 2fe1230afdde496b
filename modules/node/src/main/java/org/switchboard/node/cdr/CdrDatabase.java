package org.switchboard.node.cdr;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import com.typesafe.config.Config;

/**
 * Where the call detail records are kept: on PostgreSQL the journal's own database; on H2 a database file of its own
 * beside the journal's ({@code journal-cdr} next to {@code journal}, the same options).
 *
 * <p>Why apart on H2: an H2 database writes every commit under one store lock, whoever commits. The CDR writer's
 * commits hold a page of records (upserts into a table with three indexes), and while one was written the journal's
 * commits — the ones a 200 OK waits for — waited behind it: at 3,000 calls/s the median call setup took 52–208 ms
 * with the writer running and 8 ms with it idle, and 3,500 calls/s collapsed (bench/RESULTS.md, 2026-12-08). Nothing
 * needs the two in one transaction: the records are a projection of the journal, written with their own offset.
 *
 * @param postgres the journal's dialect is PostgreSQL (same database), else H2 (a file of its own)
 */
public record CdrDatabase(String url, String user, String password, boolean postgres) {
    /** The H2 database's name gets this suffix: {@code .../journal} holds the journal, {@code .../journal-cdr} the CDRs. */
    static final String H2_SUFFIX = "-cdr";

    /** @param journal the node's {@code switchboard.journal} section (its URL as the node derived it) */
    public static CdrDatabase of(Config journal) {
        String url = journal.getString("url");
        boolean postgres = journal.getString("dialect").equals("postgres");
        return new CdrDatabase(postgres ? url : h2Beside(url), journal.getString("user"), journal.getString("password"),
                postgres);
    }

    /** An H2 URL naming the database beside {@code journalUrl}'s: its name with {@link #H2_SUFFIX}, the same options. */
    static String h2Beside(String journalUrl) {
        int options = journalUrl.indexOf(';');
        return options < 0 ? journalUrl + H2_SUFFIX
                : journalUrl.substring(0, options) + H2_SUFFIX + journalUrl.substring(options);
    }

    /** Whether the records share the journal's database (PostgreSQL) rather than a file of their own (H2). */
    public boolean sharesJournal() {
        return postgres;
    }

    public Connection open() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
