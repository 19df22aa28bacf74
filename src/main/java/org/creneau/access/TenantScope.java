package org.creneau.access;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs work in a transaction that PostgreSQL knows the caller of: the organization, account, a
 * connected app's grant and the canary keeper's mark are set with {@code set_config(..., true)}, so
 * they vanish at commit and row-level security filters every statement by them (V1, V17). With no
 * caller set, tenant tables return no row. The history of appointments and patients (V43) reads the
 * same settings, with the application's clock and the connected app a platform change is made for.
 */
@Component
public class TenantScope {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate writing;
    private final TransactionTemplate reading;
    private final TransactionTemplate separate;

    TenantScope(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.writing = new TransactionTemplate(transactions);
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.reading.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public <T> T write(Caller caller, Supplier<T> work) {
        return run(writing, caller, work);
    }

    public void write(Caller caller, Runnable work) {
        run(writing, caller, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Work in a transaction of its own, whatever surrounds it: for what follows a commit (after-commit
     * listeners), where joining the finished transaction would write nothing durable.
     */
    public void writeSeparately(Caller caller, Runnable work) {
        separate.execute(status -> {
            apply(caller);
            work.run();
            return null;
        });
    }

    public <T> T read(Caller caller, Supplier<T> work) {
        return run(reading, caller, work);
    }

    /**
     * Within the current transaction, act as {@code caller} from now on: for a transaction that
     * creates the caller itself, such as a registration.
     */
    public void continueAs(Caller caller) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("continueAs needs a transaction");
        }
        apply(caller);
    }

    /** Forgets the transaction's caller when it ends, so the thread's next transaction starts blank. */
    private static final class UnbindCaller
            implements org.springframework.transaction.support.TransactionSynchronization {
        @Override
        public void afterCompletion(int status) {
            if (TransactionSynchronizationManager.hasResource(TenantScope.class)) {
                TransactionSynchronizationManager.unbindResource(TenantScope.class);
            }
        }
    }

    private <T> T run(TransactionTemplate template, Caller caller, Supplier<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // Joined work keeps the caller of the transaction it joins: a scope never widens another.
            // A transaction opened elsewhere (a module listener's) gets its caller here, once.
            if (!TransactionSynchronizationManager.hasResource(TenantScope.class)) {
                apply(caller);
            }
            return work.get();
        }
        return template.execute(status -> {
            apply(caller);
            return work.get();
        });
    }

    private void apply(Caller caller) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            if (TransactionSynchronizationManager.hasResource(TenantScope.class)) {
                TransactionSynchronizationManager.unbindResource(TenantScope.class);
            }
            TransactionSynchronizationManager.bindResource(TenantScope.class, caller);
            TransactionSynchronizationManager.registerSynchronization(new UnbindCaller());
        }
        UUID org = null;
        UUID account = null;
        UUID grant = null;
        boolean canaryKeeper = false;
        Caller.ForApp forApp = null;
        if (caller instanceof Caller.Patient p) {
            account = p.accountId();
        } else if (caller instanceof Caller.AccountOwner o) {
            account = o.accountId();
        } else if (caller instanceof Caller.Staff s) {
            org = s.organizationId();
            account = s.accountId();
        } else if (caller instanceof Caller.System s) {
            org = s.organizationId();
            forApp = s.forApp();
        } else if (caller instanceof Caller.App a) {
            org = a.organizationId();
            grant = a.grantId();
        } else if (caller instanceof Caller.CanaryKeeper k) {
            org = k.organizationId();
            canaryKeeper = true;
        }
        // Every setting every time: a caller changed within a transaction (continueAs) keeps nothing of the last.
        jdbc.sql("""
                        SELECT set_config('creneau.org_id', :org, true), set_config('creneau.account_id', :account, true),
                               set_config('creneau.grant_id', :grant, true),
                               set_config('creneau.canary_keeper', :canaryKeeper, true),
                               set_config('creneau.actor_app', :actorApp, true),
                               set_config('creneau.actor_grant', :actorGrant, true),
                               set_config('creneau.now', :now, true)
                        """)
                .param("org", org == null ? "" : org.toString())
                .param("account", account == null ? "" : account.toString())
                .param("grant", grant == null ? "" : grant.toString())
                .param("canaryKeeper", canaryKeeper ? "on" : "")
                .param("actorApp", forApp == null ? "" : forApp.appId().toString())
                .param("actorGrant", forApp == null ? "" : forApp.grantId().toString())
                .param("now", clock.instant().toString())
                .query()
                .singleRow();
    }
}
