package org.creneau.notifications.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders a message from its templates under {@code templates/mail/}: the plain text
 * ({@code <kind>.txt}), the HTML alternative when there is one ({@code <kind>.html}), and the
 * subject from the bundles ({@code mail.<kind>.subject}), in the recipient's language. Subjects take
 * no arguments: they say what kind of message it is, never about what (no motive, no specialty,
 * no practitioner), since they show on a lock screen.
 */
@Component
class MailTemplates {

    private static final String FOLDER = "templates/mail/";

    private final MessageSource messages;
    private final SpringTemplateEngine text;
    private final SpringTemplateEngine html;

    MailTemplates(MessageSource messages) {
        this.messages = messages;
        this.text = engine(messages, TemplateMode.TEXT, ".txt");
        this.html = engine(messages, TemplateMode.HTML, ".html");
    }

    record Rendered(String subject, String text, String html) {}

    Rendered render(MessageKind kind, Locale locale, Map<String, Object> model) {
        String name = name(kind);
        Context context = new Context(locale, model);
        String subject = messages.getMessage("mail." + name + ".subject", null, locale);
        String plain = text.process(name, context);
        String rich = new ClassPathResource(FOLDER + name + ".html").exists() ? html.process(name, context) : null;
        return new Rendered(subject, plain, rich);
    }

    /** The text of an SMS, from {@code templates/mail/sms-<kind>.txt}. */
    String sms(MessageKind kind, Locale locale, Map<String, Object> model) {
        return text.process("sms-" + name(kind), new Context(locale, model)).strip();
    }

    /** Whether the kind has an SMS text. */
    static boolean hasSms(MessageKind kind) {
        return new ClassPathResource(FOLDER + "sms-" + name(kind) + ".txt").exists();
    }

    /** A time as the recipient reads it: {@code mardi 5 janvier 2027 à 09:00}, {@code Tuesday 5 January 2027 at 09:00}. */
    String when(Instant instant, ZoneId zone, Locale locale) {
        String pattern = messages.getMessage("mail.when.pattern", null, locale);
        return DateTimeFormatter.ofPattern(pattern, locale).format(instant.atZone(zone));
    }

    String word(String key, Locale locale, Object... arguments) {
        return messages.getMessage(key, arguments, locale);
    }

    static String name(MessageKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static SpringTemplateEngine engine(MessageSource messages, TemplateMode mode, String suffix) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix(FOLDER);
        resolver.setSuffix(suffix);
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        engine.setTemplateEngineMessageSource(messages);
        return engine;
    }
}
