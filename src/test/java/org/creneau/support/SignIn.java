package org.creneau.support;

/**
 * How these tests sign in staff and platform admins, in one place: when login gains a second
 * factor for them, only this class changes.
 */
public final class SignIn {

    private SignIn() {}

    public static ApiClient staff(int port, String email) {
        ApiClient client = new ApiClient(port, TestConfiguration.clock());
        client.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return client;
    }

    public static ApiClient platformAdmin(int port, String email) {
        return staff(port, email);
    }
}
