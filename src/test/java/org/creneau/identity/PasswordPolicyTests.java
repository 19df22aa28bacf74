package org.creneau.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

@IntegrationTest
class PasswordPolicyTests {

    @LocalServerPort
    int port;

    Response register(String password) {
        return new ApiClient(port)
                .post(
                        "/api/v1/accounts",
                        Map.of(
                                "email", "p-" + UUID.randomUUID() + "@test.creneau.fr",
                                "phone", "+33 6 12 34 56 78",
                                "password", password,
                                "firstName", "Jeanne",
                                "lastName", "Testeuse",
                                "birthDate", "1985-04-12"));
    }

    @Test
    void aCommonPasswordIsRefusedAtRegistrationWhateverItsCase() {
        for (String common :
                List.of("motdepasse2024", "MotDePasse2024", "AZERTYUIOP123", "password1234", "123456789012")) {
            Response refused = register(common);
            assertThat(refused.status()).as(common).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.body().path("errors").get(0).path("field").asString())
                    .isEqualTo("password");
        }
    }

    @Test
    void aLongUncommonPasswordIsAccepted() {
        assertThat(register("Velo-sous-la-pluie-de-Brest").status()).isEqualTo(202);
    }

    @Test
    void aShortPasswordIsStillRefused() {
        Response refused = register("Court-2026!");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("errors").get(0).path("field").asString())
                .isEqualTo("password");
    }

    @Test
    void theListHoldsHundredsOfLowercaseEntriesThatPassTheLengthRule() throws IOException {
        List<String> entries = new ClassPathResource("identity/common-passwords.txt")
                .getContentAsString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
        assertThat(entries).hasSizeGreaterThan(300).doesNotHaveDuplicates();
        assertThat(entries).allMatch(e -> e.length() >= 12 && e.equals(e.toLowerCase()));
        assertThat(entries).contains("motdepasse123", "azertyuiop123", "1qaz2wsx3edc", "password1234");
    }
}
