package org.switchboard.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What an operator sees: columns that line up, no trailing blanks, nothing surprising for an empty list. */
class TableTest {
    @Test
    void columnsAreAsWideAsTheirWidestCellAndLinesHaveNoTrailingBlanks() {
        String text = Table.of("CALL-ID", "FROM", "AGE")
                .row("a84b4c76e66710@pc33.atlanta.com", "sip:alice@example.com", "5s")
                .row("x@y", "sip:bob@example.com", "1h02m")
                .render();
        assertEquals("""
                CALL-ID                          FROM                   AGE
                a84b4c76e66710@pc33.atlanta.com  sip:alice@example.com  5s
                x@y                              sip:bob@example.com    1h02m
                """, text);
    }

    @Test
    void anEmptyTableIsItsHeaderLineAlone() {
        assertEquals("CONTACT  Q  EXPIRES\n", Table.of("CONTACT", "Q", "EXPIRES").render());
    }

    @Test
    void anEmptyCellIsADashSoColumnsStayCountable() {
        assertEquals("A  B  C\nx  -  z\n", Table.of("A", "B", "C").row("x", "", "z").render());
    }

    @Test
    void cellsWithAccentsLineUpByCharacterNotByByte() {
        String text = Table.of("NAME", "X").row("Zoë", "1").row("Bob", "2").render();
        assertEquals("NAME  X\nZoë   1\nBob   2\n", text);
    }

    @Test
    void aRowOfTheWrongWidthIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> Table.of("A", "B").row("only one"));
    }

    @Test
    void fieldsAlignTheirValues() {
        assertEquals("""
                aor:       alice@example.com
                enabled:   yes
                bindings:  2
                """, Fields.of().with("aor", "alice@example.com").with("enabled", "yes").with("bindings", "2").render());
    }

    @Test
    void durationsReadAsAnOperatorSaysThem() {
        assertEquals("0s", Format.duration(0));
        assertEquals("59s", Format.duration(59));
        assertEquals("2m05s", Format.duration(125));
        assertEquals("1h02m", Format.duration(3720));
        assertEquals("3d04h", Format.duration(3 * 86400 + 4 * 3600 + 59));
        assertEquals("-", Format.duration(-1));
    }
}
