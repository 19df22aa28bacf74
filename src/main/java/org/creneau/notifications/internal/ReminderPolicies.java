package org.creneau.notifications.internal;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each organization's choice of messages: reminders by channel (48 h by email and 24 h by SMS unless
 * it chose), and whether its emails' bodies name the motive (not unless it chose; never a subject
 * or an SMS).
 */
@Component
class ReminderPolicies {

    record Policy(Set<ReminderLead> email, Set<ReminderLead> sms, boolean motiveInEmail) {

        static final Policy DEFAULT =
                new Policy(EnumSet.of(ReminderLead.HOURS_48), EnumSet.of(ReminderLead.HOURS_24), false);

        Policy {
            email = email.isEmpty() ? EnumSet.noneOf(ReminderLead.class) : EnumSet.copyOf(email);
            sms = sms.isEmpty() ? EnumSet.noneOf(ReminderLead.class) : EnumSet.copyOf(sms);
        }
    }

    private final JdbcClient jdbc;
    private final TenantScope scope;

    ReminderPolicies(JdbcClient jdbc, TenantScope scope) {
        this.jdbc = jdbc;
        this.scope = scope;
    }

    Policy of(UUID organizationId) {
        return scope.read(
                new Caller.System(organizationId),
                () -> jdbc.sql("""
                        SELECT email_leads, sms_leads, motive_in_email FROM reminder_policy WHERE organization_id = :org
                        """)
                        .param("org", organizationId)
                        .query((rs, i) -> new Policy(
                                leads((String[]) rs.getArray("email_leads").getArray()),
                                leads((String[]) rs.getArray("sms_leads").getArray()),
                                rs.getBoolean("motive_in_email")))
                        .optional()
                        .orElse(Policy.DEFAULT));
    }

    /** Sets the caller's organization's choice (the caller is its admin). */
    Policy set(Caller.Staff admin, Policy policy) {
        scope.write(
                admin,
                () -> jdbc.sql("""
                        INSERT INTO reminder_policy (organization_id, email_leads, sms_leads, motive_in_email)
                        VALUES (:org, :email, :sms, :motive)
                        ON CONFLICT (organization_id) DO UPDATE
                           SET email_leads = :email, sms_leads = :sms, motive_in_email = :motive
                        """)
                        .param("org", admin.organizationId())
                        .param("email", names(policy.email()))
                        .param("sms", names(policy.sms()))
                        .param("motive", policy.motiveInEmail())
                        .update());
        return policy;
    }

    private static Set<ReminderLead> leads(String[] names) {
        Set<ReminderLead> leads = new HashSet<>();
        for (String name : names) {
            leads.add(ReminderLead.valueOf(name));
        }
        return leads;
    }

    private static String[] names(Set<ReminderLead> leads) {
        return leads.stream().map(Enum::name).sorted().toArray(String[]::new);
    }

    static Set<ReminderLead> parse(List<String> labels) {
        Set<ReminderLead> leads = EnumSet.noneOf(ReminderLead.class);
        if (labels != null) {
            labels.forEach(label -> leads.add(ReminderLead.of(label)));
        }
        return leads;
    }
}
