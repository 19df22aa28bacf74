package org.creneau.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The container's own error paths in the one error format: the error page ({@code /error}, where
 * the container forwards a failure no controller answered), the firewall's refusals (an unknown
 * method is 405 with {@code Allow}; {@code //}, {@code ;}, encoded slashes are 400) and what
 * Tomcat refuses before any servlet runs (invalid characters in the request line), which its
 * error report valve would otherwise answer in HTML.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ContainerErrors {

    private static final Logger log = LoggerFactory.getLogger(ContainerErrors.class);

    /** The methods the firewall lets through, which is every method a route of ours answers. */
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, rejection) -> {
            String path = request.getRequestURI();
            if (!METHODS.contains(request.getMethod())) {
                log.warn("Refused by the firewall: a method that no route answers (405)");
                response.setHeader("Allow", ALLOW);
                ProblemWriter.write(response, path, 405, "This method is not allowed.");
                return;
            }
            // The rejected address may hold anything: only the method is logged.
            log.warn("Refused by the firewall: a malformed address on {} (400)", request.getMethod());
            ProblemWriter.write(response, path, 400, "The request address is not allowed.");
        };
    }

    /** Replaces Tomcat's HTML error report (and Spring Boot's copy of it) by {@link ProblemReportValve}. */
    @Bean
    ProblemReportInstaller problemReportValve() {
        return new ProblemReportInstaller();
    }

    static final class ProblemReportInstaller
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                    host.getPipeline().addValve(new ProblemReportValve());
                }
            });
        }

        @Override
        public int getOrder() {
            // After Spring Boot's own customizer, which adds its error report valve.
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** Where the container forwards an error; asked for directly, there is nothing there. */
    @Controller
    static class ErrorPage implements ErrorController {

        @RequestMapping("${server.error.path:/error}")
        void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            String path = uri instanceof String text
                    ? text.substring(request.getContextPath().length())
                    : request.getRequestURI();
            if (!(code instanceof Integer status)) {
                ProblemWriter.write(response, path, 404, "Not found.");
                return;
            }
            Throwable failure = unwrap((Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
            if (failure instanceof InvalidParameterException invalid) {
                status = invalid.getErrorCode() > 0 ? invalid.getErrorCode() : 400;
            } else if (failure instanceof BodyTooLargeException) {
                status = 413;
            }
            // A failure was logged with its stack trace where it happened (by the container): not again here.
            ProblemWriter.write(response, path, status, detail(status));
        }

        private static Throwable unwrap(Throwable failure) {
            Throwable current = failure;
            while (current instanceof ServletException && current.getCause() != null) {
                current = current.getCause();
            }
            return current;
        }
    }

    static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is malformed.";
            case 401 -> "Sign in first.";
            case 403 -> "This request is not allowed.";
            case 404 -> "Not found.";
            case 405 -> "This method is not allowed.";
            case 413 -> "The request is too large.";
            default -> status < 500 ? "The request was refused." : "The request could not be served.";
        };
    }

    /** Tomcat's error report, for what fails before any servlet: the same format, no server details. */
    public static class ProblemReportValve extends ErrorReportValve {

        public ProblemReportValve() {
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable failure) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            // A path Tomcat refused to decode (%2F, %00) has no decoded form: the raw one tells FHIR apart.
            String raw = request.getRequestURI();
            String path = ProblemWriter.isFhir(raw) || request.getDecodedRequestURI() == null
                    ? raw
                    : request.getDecodedRequestURI();
            try {
                response.setContentType(
                        ProblemWriter.isFhir(path) ? "application/fhir+json" : "application/problem+json");
                response.setCharacterEncoding("UTF-8");
                response.setHeader("Referrer-Policy", RequestEdge.REFERRER_POLICY);
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(ProblemWriter.body(path, status, detail(status)));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The connection is gone or the response already started: nothing more to say.
            }
        }
    }
}
