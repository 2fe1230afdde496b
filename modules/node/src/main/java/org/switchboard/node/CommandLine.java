package org.switchboard.node;

import java.nio.file.Path;
import java.util.Optional;

/** The flags of {@code bin/switchboard}; every one optional, each overriding its configuration key. */
public record CommandLine(Optional<Path> config, Optional<String> sipHost, Optional<Integer> sipPort,
                          Optional<Path> dataDir, Optional<Path> subscribers) {

    static final String USAGE = "usage: switchboard [--config FILE] [--sip HOST:PORT] [--data DIR] [--subscribers FILE]";

    public static CommandLine parse(String... args) throws StartupException {
        Optional<Path> config = Optional.empty();
        Optional<String> host = Optional.empty();
        Optional<Integer> port = Optional.empty();
        Optional<Path> data = Optional.empty();
        Optional<Path> subscribers = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new StartupException(2, USAGE);
            }
            if (i + 1 >= args.length) {
                throw new StartupException(2, "missing value after " + flag + "; " + USAGE);
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
                default -> throw new StartupException(2, "unknown flag " + flag + "; " + USAGE);
            }
        }
        return new CommandLine(config, host, port, data, subscribers);
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
