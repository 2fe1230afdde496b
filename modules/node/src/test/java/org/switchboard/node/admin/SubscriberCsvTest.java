package org.switchboard.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.auth.Digest;

class SubscriberCsvTest {
    @Test
    void quotedFieldsAnyColumnOrderAndTheUserAndRealmFromTheAor() {
        List<SubscriberCsv.Line> lines = SubscriberCsv.parse(
                "enabled,password,aor\n false ,\"a,b \"\"c\"\"\",sip:Alice@Example.COM\n");
        SubscriberCsv.Entry e = lines.get(0).entry().orElseThrow();
        assertEquals("sip:Alice@example.com", e.aor(), "the host in lower case, the user as written");
        assertEquals("Alice", e.username());
        assertEquals("example.com", e.realm());
        assertEquals(Digest.ha1(Digest.Algorithm.MD5, "Alice", "example.com", "a,b \"c\""), e.ha1Md5());
        assertEquals(Optional.of(false), e.enabled());
        assertEquals(2, lines.get(0).line());
    }

    @Test
    void everyBadLineSaysWhyAndTheOthersStand() {
        String md5 = Digest.ha1(Digest.Algorithm.MD5, "k", "x.org", "pw");
        List<SubscriberCsv.Line> lines = SubscriberCsv.parse("aor,password,ha1,ha1_sha256\n"
                + "a@x.org,pw,,\n"
                + "b@x.org,pw," + md5 + ",\n"
                + "c@x.org,,ABC,\n"
                + "d@x.org,,," + "f".repeat(64) + "\n"
                + ",pw,,\n"
                + "k@x.org,," + md5.toUpperCase() + ",\n");
        assertTrue(lines.get(0).entry().isPresent());
        assertEquals("both password and ha1: give one", lines.get(1).error());
        assertEquals("ha1 is not 32 hex digits", lines.get(2).error());
        assertEquals("neither password nor ha1", lines.get(3).error());
        assertEquals("no aor", lines.get(4).error());
        SubscriberCsv.Entry kam = lines.get(5).entry().orElseThrow();
        assertEquals(md5, kam.ha1Md5(), "hex in any case, kept in lower case");
        assertEquals("", kam.ha1Sha256(), "no SHA-256 digest: the account is challenged with MD5 only");
    }

    @Test
    void aFileWithoutAnAorColumnIsRefusedAsAWhole() {
        assertThrows(IllegalArgumentException.class, () -> SubscriberCsv.parse("user,password\nalice,pw\n"));
    }

    @Test
    void whatExportWritesImportReadsBack() {
        String md5 = Digest.ha1(Digest.Algorithm.MD5, "o'neil", "x.org", "pw");
        String csv = SubscriberCsv.write(List.of(new SubscriberCsv.Row("o'neil@x.org", "o'neil", "x.org", md5, "", false)));
        SubscriberCsv.Entry back = SubscriberCsv.parse(csv).get(0).entry().orElseThrow();
        assertEquals(new SubscriberCsv.Entry("sip:o'neil@x.org", "o'neil", "x.org", md5, "", Optional.of(false)), back);
    }
}
