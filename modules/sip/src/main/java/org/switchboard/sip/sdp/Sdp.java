package org.switchboard.sip.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.switchboard.sip.SipParseException;

/**
 * What a proxy reads of an SDP body (RFC 4566): the media lines with codecs, SRTP keys and direction. It only
 * reads; the body is forwarded untouched. Lines it does not need are skipped; a malformed {@code m=} line is a
 * {@link SipParseException} with the byte offset in the body.
 */
public record Sdp(List<Media> media) {
    /** RFC 3551 static payload types a proxy is likely to meet without an rtpmap. */
    private static final Map<Integer, Codec> STATIC = Map.of(
            0, new Codec(0, "PCMU", 8000), 3, new Codec(3, "GSM", 8000), 4, new Codec(4, "G723", 8000),
            8, new Codec(8, "PCMA", 8000), 9, new Codec(9, "G722", 8000), 18, new Codec(18, "G729", 8000),
            34, new Codec(34, "H263", 90000));

    public Sdp {
        media = List.copyOf(media);
    }

    public static Sdp parse(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        List<MediaBuilder> builders = new ArrayList<>();
        Optional<Direction> sessionDirection = Optional.empty();
        int offset = 0;
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            MediaBuilder current = builders.isEmpty() ? null : builders.get(builders.size() - 1);
            if (line.startsWith("m=")) {
                builders.add(MediaBuilder.parse(line.substring(2), offset + 2));
            } else if (line.startsWith("a=")) {
                String attr = line.substring(2);
                int colon = attr.indexOf(':');
                String name = colon < 0 ? attr : attr.substring(0, colon);
                String value = colon < 0 ? "" : attr.substring(colon + 1);
                Optional<Direction> direction = Direction.ofAttribute(name);
                if (current == null) {
                    sessionDirection = direction.isPresent() ? direction : sessionDirection;
                } else if (direction.isPresent()) {
                    current.direction = direction;
                } else if (name.equals("rtpmap")) {
                    current.rtpmap(value);
                } else if (name.equals("crypto")) {
                    current.crypto.add(value.trim());
                }
            }
            offset += raw.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        Direction session = sessionDirection.orElse(Direction.SENDRECV);
        return new Sdp(builders.stream().map(b -> b.build(session)).toList());
    }

    /** The first media line of a kind (audio, video). */
    public Optional<Media> first(String kind) {
        return media.stream().filter(m -> m.kind().equals(kind)).findFirst();
    }

    private static final class MediaBuilder {
        final String kind;
        final int port;
        final String protocol;
        final List<Integer> formats;
        final Map<Integer, Codec> mapped = new java.util.HashMap<>();
        final List<String> crypto = new ArrayList<>();
        Optional<Direction> direction = Optional.empty();

        private MediaBuilder(String kind, int port, String protocol, List<Integer> formats) {
            this.kind = kind;
            this.port = port;
            this.protocol = protocol;
            this.formats = formats;
        }

        /** {@code <media> <port>[/<n>] <proto> <fmt> ...} */
        static MediaBuilder parse(String value, int offset) {
            String[] f = value.trim().split(" +");
            if (f.length < 3) {
                throw new SipParseException(offset, "m=<media> <port> <proto> <fmt>...");
            }
            int port;
            try {
                port = Integer.parseInt(f[1].contains("/") ? f[1].substring(0, f[1].indexOf('/')) : f[1]);
            } catch (NumberFormatException e) {
                throw new SipParseException(offset + f[0].length() + 1, "media port");
            }
            List<Integer> formats = new ArrayList<>();
            for (int i = 3; i < f.length; i++) {
                try {
                    formats.add(Integer.parseInt(f[i]));
                } catch (NumberFormatException notRtp) {
                    // non-RTP formats (e.g. "webrtc-datachannel") carry no payload type
                }
            }
            return new MediaBuilder(f[0], port, f[2], formats);
        }

        /** {@code <pt> <name>/<rate>[/<params>]} */
        void rtpmap(String value) {
            String[] f = value.trim().split(" +", 2);
            if (f.length < 2) {
                return;
            }
            try {
                int pt = Integer.parseInt(f[0]);
                String[] enc = f[1].split("/");
                int rate = enc.length > 1 ? Integer.parseInt(enc[1].trim()) : 0;
                mapped.put(pt, new Codec(pt, enc[0], rate));
            } catch (NumberFormatException ignored) {
                // a malformed rtpmap names nothing: the payload type stays unnamed
            }
        }

        Media build(Direction session) {
            List<Codec> codecs = formats.stream()
                    .map(pt -> mapped.getOrDefault(pt, STATIC.getOrDefault(pt, new Codec(pt, "", 0)))).toList();
            return new Media(kind, port, protocol, codecs, crypto, direction.orElse(session));
        }
    }
}
