package org.creneau.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Counts the SQL statements (and commits, and connections taken from the pool) the current thread
 * sends through the application's pool while {@link #count} runs: round trips per operation,
 * deterministic, with no timing. An HTTP request carrying {@link #HEADER} is counted the same way
 * on the server's thread ({@link #ofRequest}). Wraps the application's data source; threads not
 * counting pass through untouched.
 */
public class StatementCounter implements BeanPostProcessor {

    /** The header that asks for a request's statements to be counted, under the name it carries. */
    public static final String HEADER = "X-Count-Statements";

    private static final ThreadLocal<Counted> CURRENT = new ThreadLocal<>();
    private static final java.util.Map<String, Counted> REQUESTS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<String, java.util.concurrent.CountDownLatch> DONE =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final Set<String> EXECUTIONS =
            Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch");

    /** What one operation sent: each statement's SQL (first line), how many commits and checkouts. */
    public record Counted(List<String> statements, int[] commits, int[] checkouts) {
        Counted() {
            this(java.util.Collections.synchronizedList(new ArrayList<>()), new int[1], new int[1]);
        }

        public int commitCount() {
            return commits[0];
        }

        /** Connections taken from the pool. */
        public int checkoutCount() {
            return checkouts[0];
        }

        /** Statements plus commits: the round trips a transaction costs beyond opening it. */
        public int roundTrips() {
            return statements.size() + commits[0];
        }
    }

    public record Result<T>(T value, Counted counted) {}

    public static <T> Result<T> count(Supplier<T> work) {
        Counted counted = new Counted();
        CURRENT.set(counted);
        try {
            return new Result<>(work.get(), counted);
        } finally {
            CURRENT.remove();
        }
    }

    /**
     * What the request sent with {@link #HEADER} {@code name} cost, once the server is done with it
     * (its answer may reach the client a moment before the server's thread has finished).
     */
    public static Counted ofRequest(String name) throws InterruptedException {
        java.util.concurrent.CountDownLatch done =
                DONE.computeIfAbsent(name, n -> new java.util.concurrent.CountDownLatch(1));
        if (!done.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("request " + name + " was not counted");
        }
        DONE.remove(name);
        return REQUESTS.remove(name);
    }

    /** Counts, on the server's thread, each request that asks for it with {@link #HEADER}. */
    public static jakarta.servlet.Filter requestFilter() {
        return (request, response, chain) -> {
            String name =
                    request instanceof jakarta.servlet.http.HttpServletRequest http ? http.getHeader(HEADER) : null;
            if (name == null) {
                chain.doFilter(request, response);
                return;
            }
            Counted counted = new Counted();
            CURRENT.set(counted);
            try {
                chain.doFilter(request, response);
            } finally {
                CURRENT.remove();
                REQUESTS.put(name, counted);
                DONE.computeIfAbsent(name, n -> new java.util.concurrent.CountDownLatch(1))
                        .countDown();
            }
        };
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if ("dataSource".equals(beanName) && bean instanceof DataSource source) {
            return proxy(source, new Class<?>[] {DataSource.class, AutoCloseable.class}, (p, m, args) -> {
                Counted counting = CURRENT.get();
                if (counting != null && m.getName().equals("getConnection")) {
                    counting.checkouts()[0]++;
                }
                Object result = invoke(source, m, args);
                return result instanceof Connection c && m.getName().equals("getConnection") ? connection(c) : result;
            });
        }
        return bean;
    }

    private static Connection connection(Connection target) {
        return proxy(target, new Class<?>[] {Connection.class}, (p, m, args) -> {
            Counted counted = CURRENT.get();
            if (counted != null && m.getName().equals("commit")) {
                counted.commits()[0]++;
            }
            Object result = invoke(target, m, args);
            if (result instanceof Statement s) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
                Class<?> type = switch (m.getName()) {
                    case "prepareStatement" -> java.sql.PreparedStatement.class;
                    case "prepareCall" -> java.sql.CallableStatement.class;
                    default -> Statement.class;
                };
                return statement(s, type, sql);
            }
            return result;
        });
    }

    private static Statement statement(Statement target, Class<?> type, String preparedSql) {
        return proxy(target, new Class<?>[] {type}, (p, m, args) -> {
            Counted counted = CURRENT.get();
            if (counted != null && EXECUTIONS.contains(m.getName())) {
                String sql = preparedSql != null ? preparedSql : args != null && args.length > 0 ? args[0] + "" : "?";
                counted.statements().add(sql.strip().lines().findFirst().orElse(""));
            }
            return invoke(target, m, args);
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Object target, Class<?>[] types, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), types, handler);
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
