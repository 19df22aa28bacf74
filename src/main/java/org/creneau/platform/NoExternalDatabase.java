package org.creneau.platform;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** True when no external PostgreSQL is configured through {@code spring.datasource.url}. */
public class NoExternalDatabase implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return !externalConfigured(context.getEnvironment());
    }

    /** Whether the application runs on an external PostgreSQL rather than its embedded one. */
    public static boolean externalConfigured(PropertyResolver environment) {
        return StringUtils.hasText(environment.getProperty("spring.datasource.url"));
    }
}
