package org.creneau.identity.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Passwords long enough to pass the length rule that people nevertheless really use (keyboard
 * walks, "motdepasse2024", names with years...), from {@code identity/common-passwords.txt}.
 * Compared case-insensitively: "MotDePasse2024" is as weak as "motdepasse2024".
 */
@Component
public class CommonPasswords {

    static final String RESOURCE = "identity/common-passwords.txt";

    private final Set<String> passwords;

    CommonPasswords() {
        Set<String> loaded = new HashSet<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new ClassPathResource(RESOURCE).getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    loaded.add(entry.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        this.passwords = Set.copyOf(loaded);
    }

    public boolean contains(String password) {
        return password != null && passwords.contains(password.toLowerCase(Locale.ROOT));
    }

    int size() {
        return passwords.size();
    }
}
