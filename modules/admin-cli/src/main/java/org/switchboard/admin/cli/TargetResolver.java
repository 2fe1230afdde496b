package org.switchboard.admin.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the node's management URL and the admin token. Each is looked up on its own, the first found wins:
 * the URL from {@code --url}, {@code SWITCHBOARD_URL}, the node's {@code <data>/management-url}, else the
 * default port on loopback; the token from {@code --token}, {@code --token-file}, {@code SWITCHBOARD_TOKEN},
 * the node's {@code <data>/admin-token}. So on a node started with the defaults no flag is needed, as for
 * {@code bin/switchboard}.
 */
final class TargetResolver {
    static final String ENV_URL = "SWITCHBOARD_URL";
    static final String ENV_TOKEN = "SWITCHBOARD_TOKEN";
    static final String URL_FILE = "management-url";
    static final String TOKEN_FILE = "admin-token";
    static final String DEFAULT_URL = "http://127.0.0.1:8558";

    /** What the command line said; {@code dataDir} as given, resolved against the working directory. */
    record Flags(Optional<String> url, Optional<String> token, Optional<Path> tokenFile, Path dataDir, ClientTls tls) {
        Flags(Optional<String> url, Optional<String> token, Optional<Path> tokenFile, Path dataDir) {
            this(url, token, tokenFile, dataDir, ClientTls.NONE);
        }
    }

    private TargetResolver() {
    }

    static Target resolve(Flags flags, Map<String, String> env, Path workDir) {
        Path data = workDir.resolve(flags.dataDir());
        String url;
        String urlSource;
        Optional<String> envUrl = nonBlank(env.get(ENV_URL));
        Path urlFile = data.resolve(URL_FILE);
        if (flags.url().isPresent()) {
            url = flags.url().get().trim();
            urlSource = "--url";
        } else if (envUrl.isPresent()) {
            url = envUrl.get();
            urlSource = ENV_URL;
        } else if (Files.isRegularFile(urlFile)) {
            url = firstLine(urlFile, "the node's management-url file");
            urlSource = shown(flags.dataDir().resolve(URL_FILE));
        } else {
            url = DEFAULT_URL;
            urlSource = "the default; no " + shown(flags.dataDir().resolve(URL_FILE));
        }
        URI uri = parseUrl(url, urlSource);

        String token;
        String tokenSource;
        Optional<String> envToken = nonBlank(env.get(ENV_TOKEN));
        Path tokenFile = data.resolve(TOKEN_FILE);
        if (flags.token().isPresent()) {
            token = flags.token().get().trim();
            tokenSource = "--token";
        } else if (flags.tokenFile().isPresent()) {
            Path file = workDir.resolve(flags.tokenFile().get());
            token = firstLine(file, "--token-file " + flags.tokenFile().get());
            tokenSource = "--token-file " + flags.tokenFile().get();
        } else if (envToken.isPresent()) {
            token = envToken.get();
            tokenSource = ENV_TOKEN;
        } else if (Files.exists(tokenFile)) {
            token = firstLine(tokenFile, shown(flags.dataDir().resolve(TOKEN_FILE)));
            tokenSource = shown(flags.dataDir().resolve(TOKEN_FILE));
        } else if (flags.tls().hasClientCertificate()) {
            return new Target(uri, urlSource, Optional.empty(), "nowhere: the client certificate (--cert) stands in",
                    flags.tls());
        } else {
            throw AdminException.usage("no admin token: give --token-file FILE (or --token, or --cert and --key for a "
                    + "management port with mutual TLS), set " + ENV_TOKEN
                    + ", or run where the node keeps its data (no " + shown(flags.dataDir().resolve(TOKEN_FILE))
                    + "; --data DIR to point there)");
        }
        if (token.isEmpty()) {
            throw AdminException.usage("the admin token from " + tokenSource + " is empty");
        }
        return new Target(uri, urlSource, Optional.of(token), tokenSource, flags.tls());
    }

    private static URI parseUrl(String url, String source) {
        try {
            URI uri = new URI(url);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(url, "not http(s)://HOST[:PORT]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw AdminException.usage("the management URL '" + url + "' from " + source
                    + " is not http(s)://HOST:PORT");
        }
    }

    /** The file's first line; the files the node writes hold one line and may end with a newline. */
    private static String firstLine(Path file, String what) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return (end < 0 ? text : text.substring(0, end)).trim();
        } catch (NoSuchFileException e) {
            throw AdminException.usage("cannot read " + what + ": no such file " + file);
        } catch (AccessDeniedException e) {
            throw AdminException.usage("cannot read " + what + " (" + file + "): permission denied; the node keeps it "
                    + "readable by its own user only: run as that user, or give --token-file or " + ENV_TOKEN);
        } catch (IOException e) {
            throw AdminException.usage("cannot read " + what + " (" + file + "): " + e.getClass().getSimpleName());
        }
    }

    /** A relative data directory shown as the user typed it ("./data/admin-token"), which reads better than an absolute path. */
    private static String shown(Path path) {
        String text = path.toString();
        return path.isAbsolute() || text.startsWith("./") || text.startsWith("../") ? text : "./" + text;
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
