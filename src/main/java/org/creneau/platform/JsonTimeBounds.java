package org.creneau.platform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Every date and time read from a JSON body lies in the years 1900 to 9999, like those of query
 * parameters ({@link TimeParameter}): checked once while the body is read, so a year such as
 * +999999999 is a 400 naming the field, never an overflow further in.
 */
@Configuration(proxyBeanMethods = false)
class JsonTimeBounds {

    private static final Set<Class<?>> BOUNDED =
            Set.of(Instant.class, OffsetDateTime.class, ZonedDateTime.class, LocalDateTime.class, LocalDate.class);

    @Bean
    JacksonModule timeBounds() {
        SimpleModule module = new SimpleModule("creneau-time-bounds");
        module.setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyDeserializer(
                    DeserializationConfig config, BeanDescription.Supplier description, ValueDeserializer<?> found) {
                return BOUNDED.contains(description.getBeanClass()) ? new Bounded(found) : found;
            }
        });
        return module;
    }

    /** The usual deserializer of the type, then the range check. */
    static final class Bounded extends DelegatingDeserializer {

        Bounded(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new Bounded(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            Object value = super.deserialize(parser, context);
            if (value != null && !inRange(value)) {
                throw context.weirdStringException(
                        parser.getString(), value.getClass(), "must be between the years 1900 and 9999");
            }
            return value;
        }

        private static boolean inRange(Object value) {
            if (value instanceof Instant instant) {
                return within(instant);
            }
            if (value instanceof OffsetDateTime time) {
                return within(time.toInstant());
            }
            if (value instanceof ZonedDateTime time) {
                return within(time.toInstant());
            }
            if (value instanceof LocalDateTime time) {
                return TimeParameter.inRange(time.toLocalDate());
            }
            return !(value instanceof LocalDate date) || TimeParameter.inRange(date);
        }

        private static boolean within(Instant instant) {
            return !instant.isBefore(TimeParameter.EARLIEST) && instant.isBefore(TimeParameter.LATEST);
        }
    }
}
