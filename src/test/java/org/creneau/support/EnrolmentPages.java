package org.creneau.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What tests read from the second-factor pages' HTML: the secret shown to type, the recovery codes shown once. */
public final class EnrolmentPages {

    private static final Pattern SECRET = Pattern.compile("id=\"secret\">([A-Z2-7 ]+)<");
    private static final Pattern RECOVERY_CODE =
            Pattern.compile("<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</li>");

    private EnrolmentPages() {}

    /** The base32 secret the page shows (grouped by four for reading), without its spaces. */
    public static String secretOf(String page) {
        Matcher secret = SECRET.matcher(page);
        assertThat(secret.find()).as("the page shows the secret").isTrue();
        return secret.group(1).replace(" ", "");
    }

    public static List<String> recoveryCodes(String page) {
        List<String> codes = new ArrayList<>();
        Matcher code = RECOVERY_CODE.matcher(page);
        while (code.find()) {
            codes.add(code.group(1));
        }
        return codes;
    }
}
