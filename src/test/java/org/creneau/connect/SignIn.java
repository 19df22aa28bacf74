package org.creneau.connect;

import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.TestConfiguration;

/**
 * How these tests sign in staff and platform admins, in one place: when login gains a second
 * factor for them, only this class changes.
 */
final class SignIn {

    private SignIn() {}

    static ApiClient staff(int port, String email) {
        ApiClient client = new ApiClient(port, TestConfiguration.clock());
        client.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return client;
    }

    static ApiClient platformAdmin(int port, String email) {
        return staff(port, email);
    }
}
