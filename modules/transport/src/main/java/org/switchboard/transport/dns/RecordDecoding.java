package org.switchboard.transport.dns;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;

/**
 * The RDATA of the record types Netty leaves raw. The content of a raw record is a view of the whole response
 * at the RDATA's offset, so compressed names (pointers into the message) decode too.
 */
final class RecordDecoding {
    private RecordDecoding() {
    }

    /** RFC 3403 §4.1: ORDER, PREFERENCE, FLAGS, SERVICES, REGEXP, REPLACEMENT. */
    static NaptrRecord naptr(DnsRawRecord r) {
        ByteBuf in = r.content().duplicate();
        int order = in.readUnsignedShort();
        int preference = in.readUnsignedShort();
        String flags = characterString(in);
        String services = characterString(in);
        String regexp = characterString(in);
        String replacement = DefaultDnsRecordDecoder.decodeName(in);
        return new NaptrRecord(order, preference, flags, services, regexp, Rfc3263.stripDot(replacement));
    }

    /** RFC 2782: PRIORITY, WEIGHT, PORT, TARGET. */
    static SrvRecord srv(DnsRawRecord r) {
        ByteBuf in = r.content().duplicate();
        int priority = in.readUnsignedShort();
        int weight = in.readUnsignedShort();
        int port = in.readUnsignedShort();
        String target = DefaultDnsRecordDecoder.decodeName(in);
        return new SrvRecord(priority, weight, port, target.equals(".") ? "." : Rfc3263.stripDot(target));
    }

    private static String characterString(ByteBuf in) {
        int length = in.readUnsignedByte();
        String s = in.toString(in.readerIndex(), length, StandardCharsets.US_ASCII);
        in.skipBytes(length);
        return s;
    }
}
