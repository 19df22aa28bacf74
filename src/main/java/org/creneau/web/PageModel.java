package org.creneau.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.util.UriComponentsBuilder;

/** What every patient page's layout needs: the language links and whether a patient is signed in. */
@ControllerAdvice(basePackageClasses = PageModel.class)
class PageModel {

    private final AccessPolicy policy;

    PageModel(AccessPolicy policy) {
        this.policy = policy;
    }

    /** The same page in each offered language (for a page answered to a form, its address alone). */
    @ModelAttribute("languageLinks")
    Map<String, String> languageLinks(HttpServletRequest request) {
        Map<String, String> links = new LinkedHashMap<>();
        for (Locale language : Languages.OFFERED) {
            UriComponentsBuilder link = UriComponentsBuilder.fromPath(request.getRequestURI());
            if ("GET".equals(request.getMethod()) && request.getQueryString() != null) {
                link.query(request.getQueryString());
            }
            links.put(
                    language.getLanguage(),
                    link.replaceQueryParam(Languages.PARAMETER, language.getLanguage())
                            .build()
                            .toUriString());
        }
        return links;
    }

    @ModelAttribute("patientSignedIn")
    boolean patientSignedIn() {
        return policy.currentCaller() instanceof Caller.Patient;
    }
}
