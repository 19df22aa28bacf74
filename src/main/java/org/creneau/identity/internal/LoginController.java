package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.SignedInAccount.Membership;
import org.creneau.access.StaffRole;
import org.creneau.access.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Session login for the JSON API and the pages: email and password give a session cookie. */
@RestController
@RequestMapping("/api/v1")
class LoginController {

    private static final Logger log = LoggerFactory.getLogger(LoginController.class);

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final PasswordEncoder passwords;
    private final SecurityContextRepository contexts;
    private final Clock clock;
    private final String dummyHash;

    LoginController(
            JdbcClient jdbc,
            TenantScope scope,
            PasswordEncoder passwords,
            SecurityContextRepository contexts,
            Clock clock) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.passwords = passwords;
        this.contexts = contexts;
        this.clock = clock;
        // Unknown addresses still pay for one hash check, so timing does not tell which exist.
        this.dummyHash = passwords.encode(UUID.randomUUID().toString());
    }

    record LoginRequest(
            @NotBlank @Size(max = 254) String email,
            @NotBlank @Size(max = 128) String password) {}

    record SignedIn(UUID accountId, AccountKind kind, List<MembershipView> memberships) {}

    record MembershipView(UUID organizationId, StaffRole role, UUID practitionerId) {}

    record CsrfView(String headerName, String token) {}

    @GetMapping("/auth/csrf")
    CsrfView csrf(CsrfToken token) {
        return new CsrfView(token.getHeaderName(), token.getToken());
    }

    @PostMapping("/auth/login")
    SignedIn login(@Valid @RequestBody LoginRequest body, HttpServletRequest request, HttpServletResponse response) {
        record Found(UUID id, String hash, String kind, boolean disabled) {}
        Optional<Found> found = scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT id, password_hash, kind, disabled FROM account_for_login(:email)")
                        .param("email", body.email().trim())
                        .query((rs, i) -> new Found(
                                rs.getObject("id", UUID.class),
                                rs.getString("password_hash"),
                                rs.getString("kind"),
                                rs.getBoolean("disabled")))
                        .optional());
        boolean matches =
                passwords.matches(body.password(), found.map(Found::hash).orElse(dummyHash));
        if (found.isEmpty() || !matches || found.get().disabled()) {
            log.info("Failed login");
            throw new BadCredentialsException("bad credentials");
        }
        UUID accountId = found.get().id();
        AccountKind kind = AccountKind.valueOf(found.get().kind());
        List<Membership> memberships = scope.read(
                new Caller.AccountOwner(accountId),
                () -> jdbc.sql("SELECT organization_id, role, practitioner_id FROM staff_member WHERE account_id = :id")
                        .param("id", accountId)
                        .query((rs, i) -> new Membership(
                                rs.getObject("organization_id", UUID.class),
                                StaffRole.valueOf(rs.getString("role")),
                                rs.getObject("practitioner_id", UUID.class)))
                        .list());
        SignedInAccount principal = new SignedInAccount(accountId, kind, memberships);
        // A new session id at login: a session fixed before login is worth nothing after it.
        HttpSession existing = request.getSession(false);
        if (existing != null) {
            request.changeSessionId();
        }
        request.getSession(true).setAttribute(SessionLifetime.SIGNED_IN_AT, clock.instant());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new SignedInAuthentication(principal));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        log.info("Login of account {}", accountId);
        return view(principal);
    }

    @PostMapping("/auth/logout")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    @GetMapping("/me")
    SignedIn me(org.springframework.security.core.Authentication authentication) {
        if (authentication == null || !(authentication.getPrincipal() instanceof SignedInAccount account)) {
            throw new BadCredentialsException("not signed in");
        }
        return view(account);
    }

    private static SignedIn view(SignedInAccount a) {
        return new SignedIn(
                a.accountId(),
                a.kind(),
                a.memberships().stream()
                        .map(m -> new MembershipView(m.organizationId(), m.role(), m.practitionerId()))
                        .toList());
    }
}
