package org.switchboard.admin.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code bin/switchboard-admin}: the admin HTTP API of a node (docs/admin-api.yaml) from a shell. The global
 * options are inherited, so they go before or after the subcommand. {@link #run} is the whole program without
 * {@code System.exit}, for tests and for embedding.
 */
@Command(name = "switchboard-admin", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Manages a Switchboard cluster through the admin API of any one of its nodes.",
            "",
            "Which node: --url, else $SWITCHBOARD_URL, else the management-url file a node writes into its data "
                    + "directory (--data, default ./data), else port 8558 on this machine.",
            "The token: --token, else --token-file, else $SWITCHBOARD_TOKEN, else the data directory's admin-token file. "
                    + "So on a node started with the defaults, run it from the node's directory with no flags.",
            "",
            "Examples:",
            "  switchboard-admin subscriber add alice@example.com --password",
            "  switchboard-admin --url http://10.0.0.5:8558 calls --watch",
            "  switchboard-admin --url https://sb1.example.net:8558 --cacert ca.crt --cert me.crt --key me.key cluster",
            "  switchboard-admin --json registrations alice@example.com | jq .bindings",
            "  switchboard-admin cdrs --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z --out cdrs.csv",
            ""},
        subcommands = {SubscriberCommand.class, RegistrationsCommand.class, CallsCommand.class, CallCommand.class,
            HangupCommand.class, ClusterCommand.class, CdrsCommand.class},
        // every attribute of this command is inherited by the subcommands (the help options, the exit codes),
        // a footer too: so the examples are part of this command's own description, which each subcommand replaces
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the node refused (its error on stderr), or could not be reached",
            "2:bad usage"})
public final class AdminCli implements Runnable {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL", order = 1,
            description = "the node's management address: http://HOST:PORT, or https://HOST:PORT when it uses TLS")
    Optional<String> url = Optional.empty();

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN", order = 2,
            description = "the admin token (visible to `ps` and kept in shell history: prefer --token-file or $SWITCHBOARD_TOKEN)")
    Optional<String> token = Optional.empty();

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE", order = 3, description = "a file whose first line is the admin token")
    Optional<Path> tokenFile = Optional.empty();

    @Option(names = "--data", scope = ScopeType.INHERIT, paramLabel = "DIR", order = 4, defaultValue = "data",
            description = "the node's data directory, where it writes management-url and admin-token (default: ./data)")
    Path dataDir = Path.of("data");

    @Option(names = "--json", scope = ScopeType.INHERIT, order = 5, description = "print the API's JSON answer (indented) instead of a table")
    boolean json;

    @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "FILE", order = 6,
            description = "PEM CA certificate(s) to trust for an https:// node (default: the JDK's trust store; $SWITCHBOARD_CACERT)")
    Optional<Path> caCertificates = Optional.empty();

    @Option(names = "--cert", scope = ScopeType.INHERIT, paramLabel = "FILE", order = 7,
            description = "PEM client certificate for a management port with mutual TLS, in place of the token ($SWITCHBOARD_CERT)")
    Optional<Path> certificate = Optional.empty();

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "FILE", order = 8,
            description = "its unencrypted PKCS#8 PEM private key ($SWITCHBOARD_KEY)")
    Optional<Path> privateKey = Optional.empty();

    @Spec
    CommandSpec spec;

    private final Context context;

    /**
     * What a run sees of the world outside its arguments: the environment, the directory that relative paths
     * (./data, FILE) start from, stdin (import -, --password-file -), and whether output goes to a terminal
     * (calls --watch then redraws the screen). The real one in {@link #main}, a made-up one in tests.
     */
    public record Context(Map<String, String> env, Path workDir, InputStream in, boolean terminal) {
        public Context {
            env = Map.copyOf(env);
        }
    }

    AdminCli(Context context) {
        this.context = context;
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err,
                new Context(System.getenv(), Path.of("").toAbsolutePath(), System.in, System.console() != null));
        System.exit(code);
    }

    /** Runs one command line against the node; returns the exit code (0 done, 1 refused or unreachable, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, new Context(env, Path.of("").toAbsolutePath(), System.in, false));
    }

    /** As {@link #run(String[], PrintStream, PrintStream, Map)}, with the working directory and stdin given too. */
    public static int run(String[] args, PrintStream out, PrintStream err, Context context) {
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cli = new CommandLine(new AdminCli(context))
                .setOut(outWriter)
                .setErr(errWriter)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    String message = e instanceof AdminException ? e.getMessage() : "unexpected " + e;
                    commandLine.getErr().println("switchboard-admin: " + message);
                    return e instanceof AdminException a ? a.exitCode() : AdminException.REFUSED;
                });
        try {
            return cli.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** No subcommand: that is a usage error, answered with the usage. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }

    Context context() {
        return context;
    }

    /** Resolved when a command first needs the node, so that --help and usage errors never read the token. */
    NodeClient node() {
        if (token.isPresent() && tokenFile.isPresent()) {
            throw new ParameterException(spec.commandLine(), "give --token or --token-file, not both");
        }
        ClientTls tls = new ClientTls(file(caCertificates, "SWITCHBOARD_CACERT"), file(certificate, "SWITCHBOARD_CERT"),
                file(privateKey, "SWITCHBOARD_KEY"));
        return new NodeClient(TargetResolver.resolve(new TargetResolver.Flags(url, token, tokenFile, dataDir, tls),
                context.env(), context.workDir()));
    }

    /** A file from its flag, else from the environment, relative to the working directory. */
    private Optional<Path> file(Optional<Path> flag, String env) {
        Optional<Path> given = flag.or(() -> Optional.ofNullable(context.env().get(env)).filter(v -> !v.isBlank()).map(Path::of));
        return given.map(context.workDir()::resolve);
    }
}
