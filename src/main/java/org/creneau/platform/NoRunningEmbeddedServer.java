package org.creneau.platform;

import java.nio.file.Path;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** True unless an embedded PostgreSQL already runs on the configured data directory. */
class NoRunningEmbeddedServer implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String dir = context.getEnvironment().getProperty("creneau.database.embedded.data-dir", "data/postgres");
        boolean clean =
                Boolean.parseBoolean(context.getEnvironment().getProperty("creneau.database.embedded.clean", "false"));
        return clean || RunningServer.in(Path.of(dir).toAbsolutePath()).isEmpty();
    }
}
