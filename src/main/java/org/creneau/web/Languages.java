package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.SimpleLocaleContext;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The pages' languages: French by default, English by choice. The switch on every page is a plain
 * {@code ?lang=} link (no script needed) and the choice is remembered in a cookie; any other value
 * reads as French, so a page never looks for a bundle that does not exist.
 */
@Configuration(proxyBeanMethods = false)
class Languages implements WebMvcConfigurer {

    static final String PARAMETER = "lang";
    static final List<Locale> OFFERED = List.of(Locale.FRENCH, Locale.ENGLISH);

    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("creneau-lang") {
            @Override
            protected Locale parseLocaleValue(String value) {
                return offered(value);
            }

            @Override
            public void setLocaleContext(
                    HttpServletRequest request, HttpServletResponse response, LocaleContext context) {
                Locale asked = context == null ? null : context.getLocale();
                super.setLocaleContext(
                        request,
                        response,
                        new SimpleLocaleContext(offered(asked == null ? null : asked.getLanguage())));
            }
        };
        resolver.setDefaultLocale(Locale.FRENCH);
        resolver.setCookieMaxAge(Duration.ofDays(365));
        resolver.setCookieSameSite("Lax");
        resolver.setCookieHttpOnly(true);
        return resolver;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor change = new LocaleChangeInterceptor();
        change.setParamName(PARAMETER);
        change.setIgnoreInvalidLocale(true);
        registry.addInterceptor(change);
    }

    static Locale offered(String language) {
        return "en".equals(language) ? Locale.ENGLISH : Locale.FRENCH;
    }
}
