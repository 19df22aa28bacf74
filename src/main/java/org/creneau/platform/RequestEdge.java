package org.creneau.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What every request meets first: a cap on the size of its body ({@link #BODY_LIMIT}, under
 * {@code /fhir} {@link #FHIR_BODY_LIMIT}), answered 413 before anything reads it, and the
 * {@code Referrer-Policy} every response carries. Bad input the container finds while a later
 * filter reads the request (undecodable parameters) is answered here as a 400 and logged as a
 * warning, instead of reaching the container's log as a failure.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestEdge extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestEdge.class);

    /** JSON API bodies, sign-in and admin forms, token requests: all small. */
    static final long BODY_LIMIT = 64 * 1024;
    /** A FHIR resource an app creates or updates (an Appointment) is small too; a bundle is not accepted. */
    static final long FHIR_BODY_LIMIT = 256 * 1024;

    static final String REFERRER_POLICY = "same-origin";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Referrer-Policy", REFERRER_POLICY);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        long limit = ProblemWriter.isFhir(path) ? FHIR_BODY_LIMIT : BODY_LIMIT;
        if (request.getContentLengthLong() > limit) {
            tooLarge(request, response, path, limit);
            return;
        }
        try {
            chain.doFilter(new Capped(request, limit), response);
        } catch (InvalidParameterException e) {
            // Undecodable parameters (invalid UTF-8, too many) found by a filter before any controller.
            int status = e.getErrorCode() > 0 ? e.getErrorCode() : 400;
            log.warn("Refused unreadable parameters on {} {}: {}", request.getMethod(), path, status);
            if (!response.isCommitted()) {
                response.reset();
                ProblemWriter.write(response, path, status, "The request has parameters that cannot be read.");
            }
        } catch (BodyTooLargeException e) {
            if (!response.isCommitted()) {
                response.reset();
                tooLarge(request, response, path, limit);
            }
        }
    }

    private static void tooLarge(HttpServletRequest request, HttpServletResponse response, String path, long limit)
            throws IOException {
        log.warn("Refused a body over {} bytes on {} {}", limit, request.getMethod(), path);
        // Nothing reads the body: Tomcat discards it after the answer (up to server.tomcat.max-swallow-size,
        // beyond which it closes the connection), so the client can read the 413.
        ProblemWriter.write(response, path, 413, "The request body may hold at most " + limit + " bytes.");
    }

    /** The request with a body that refuses to be read past the cap (a chunked body has no length). */
    private static final class Capped extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;
        private BufferedReader reader;

        Capped(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CappedStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset;
                try {
                    charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("Content-Type", "names an unknown charset");
                }
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }
    }

    private static final class CappedStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private long read;

        CappedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
