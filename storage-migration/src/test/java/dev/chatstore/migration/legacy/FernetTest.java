package dev.chatstore.migration.legacy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fernet decryption with the JDK against tokens made by Python's cryptography package (the sample's). */
class FernetTest {

    private static final String SAMPLE_KEY = "n7f0bX2wq8oJ3m0Zt3S0xF9aVq1wC5r8u2yLk4dHj6E=";

    private static String sampleToken(String user) throws Exception {
        Path file = Path.of(Objects.requireNonNull(FernetTest.class.getClassLoader()
                .getResource("legacy-samples/seed001/user_data/" + user + ".json")).toURI());
        String json = Files.readString(file);
        int start = json.indexOf("gAAAAA");
        return json.substring(start, json.indexOf('"', start));
    }

    @Test
    void decryptsTheSampleTokensMadeByPython() throws Exception {
        Fernet f = new Fernet(SAMPLE_KEY);
        for (String user : new String[]{"user_0", "user_1", "user_2"}) {
            assertThat(f.decrypt(sampleToken(user))).isEqualTo("sk-test-" + user + "-openai");
        }
    }

    @Test
    void aWrongKeyFailsTheHmacBeforeAnythingIsDecrypted() throws Exception {
        Fernet wrong = new Fernet("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assertThatThrownBy(() -> wrong.decrypt(sampleToken("user_0"))).hasMessageContaining("HMAC mismatch");
    }

    @Test
    void anAlteredTokenIsRefused() throws Exception {
        String token = sampleToken("user_1");
        char[] c = token.toCharArray();
        c[40] = c[40] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> new Fernet(SAMPLE_KEY).decrypt(new String(c))).hasMessageContaining("HMAC mismatch");
        assertThatThrownBy(() -> new Fernet(SAMPLE_KEY).decrypt("not a token!")).hasMessageContaining("not a Fernet token");
        assertThatThrownBy(() -> new Fernet(SAMPLE_KEY).decrypt("AAAA")).hasMessageContaining("not a Fernet token");
    }

    @Test
    void aKeyThatIsNotThirtyTwoBytesIsRefused() {
        assertThatThrownBy(() -> new Fernet("c2hvcnQ=")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new Fernet("***")).hasMessageContaining("base64url");
    }
}
