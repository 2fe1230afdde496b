package org.switchboard.node;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The flags of {@code bin/switchboard}; every one optional, each value flag overriding its configuration key.
 * {@code mode} says what to do: run the node, check its configuration, or print the version or the usage.
 */
public record CommandLine(Mode mode, Optional<Path> config, Optional<String> sipHost, Optional<Integer> sipPort,
                          Optional<Path> dataDir, Optional<Path> subscribers) {

    public enum Mode { RUN, CHECK_CONFIG, VERSION, HELP }

    static final String USAGE = """
            usage: switchboard [--config FILE] [--sip HOST:PORT] [--data DIR] [--subscribers FILE]
                   switchboard --check-config [--config FILE] [--sip HOST:PORT] [--data DIR] [--subscribers FILE]
                   switchboard --version | --help
              --config FILE        HOCON file over the defaults (modules/node/src/main/resources/reference.conf)
              --sip HOST:PORT      SIP listeners' address (switchboard.sip.host, switchboard.sip.port)
              --data DIR           data directory: H2 journal, generated cluster secret (switchboard.data-dir)
              --subscribers FILE   CSV of accounts imported at start (switchboard.subscribers-file)
              --check-config       check the configuration as a start would, print its switchboard { } tree
                                   (secrets masked) and exit: 0 valid, 2 not (each problem on stderr); starts nothing
              --version            print the version and the commit it was built from
              --help, -h           print this""";

    public static CommandLine parse(String... args) throws StartupException {
        Mode mode = Mode.RUN;
        Optional<Path> config = Optional.empty();
        Optional<String> host = Optional.empty();
        Optional<Integer> port = Optional.empty();
        Optional<Path> data = Optional.empty();
        Optional<Path> subscribers = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--help", "-h" -> {
                    return new CommandLine(Mode.HELP, config, host, port, data, subscribers);
                }
                case "--version" -> {
                    return new CommandLine(Mode.VERSION, config, host, port, data, subscribers);
                }
                case "--check-config" -> {
                    mode = Mode.CHECK_CONFIG;
                    continue;
                }
                default -> {
                    // a flag with a value, below
                }
            }
            if (i + 1 >= args.length) {
                throw new StartupException(2, "missing value after " + flag + "; " + firstLine());
            }
            String value = args[++i];
            switch (flag) {
                case "--config" -> config = Optional.of(Path.of(value));
                case "--data" -> data = Optional.of(Path.of(value));
                case "--subscribers" -> subscribers = Optional.of(Path.of(value));
                case "--sip" -> {
                    int colon = value.lastIndexOf(':');
                    if (colon <= 0 || colon == value.length() - 1) {
                        throw new StartupException(2, "--sip wants HOST:PORT, got '" + value + "'");
                    }
                    String h = value.substring(0, colon);
                    host = Optional.of(h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h);
                    port = Optional.of(parsePort(value.substring(colon + 1), value));
                }
                default -> throw new StartupException(2, "unknown flag " + flag + "; " + firstLine());
            }
        }
        return new CommandLine(mode, config, host, port, data, subscribers);
    }

    /** The synopsis of a node's start, for one-line errors (--help prints all of {@link #USAGE}). */
    private static String firstLine() {
        return USAGE.lines().findFirst().orElse(USAGE) + " (--help for all flags)";
    }

    private static int parsePort(String text, String whole) throws StartupException {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new StartupException(2, "--sip port must be 0-65535, got '" + whole + "'");
        }
    }
}
