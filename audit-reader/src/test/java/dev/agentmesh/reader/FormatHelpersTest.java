package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatHelpersTest {

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters() {
        LineBuffer out = new LineBuffer();
        Json.quote("a\"b\\c\nd\re\tf\bg\fh\u0000i\u001f", out);

        assertThat(out.toString()).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0000i\\u001f\"");
    }

    @Test
    void jsonLeavesOtherCharactersAlone() {
        LineBuffer out = new LineBuffer();
        Json.quote("é 漢 / \u007f \uD83D\uDE00", out);

        assertThat(out.toString()).isEqualTo("\"é 漢 / \u007f \uD83D\uDE00\"");
    }

    @Test
    void jsonObjectKeepsMemberOrder() {
        assertThat(new Json().number("b", -1).string("a", "x").end()).isEqualTo("{\"b\":-1,\"a\":\"x\"}");
        assertThat(new Json().end()).isEqualTo("{}");
    }

    @Test
    void csvQuotesOnlyWhenNeeded() {
        assertThat(new Csv().field("plain").field("semi;colon").field("").field(42).end())
                .isEqualTo("plain,semi;colon,,42\r\n");
        assertThat(new Csv().field("a,b").field("say \"hi\"").field("two\nlines").field("cr\r").end())
                .isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n");
    }

    @Test
    void timesAreUtcWithMillisecondsAlways() {
        assertThat(IsoTime.of(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(IsoTime.of(1_740_821_400_007L)).isEqualTo("2025-03-01T09:30:00.007Z");
        assertThat(IsoTime.of(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
    }
}
