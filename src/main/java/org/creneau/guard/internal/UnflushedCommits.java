package org.creneau.guard.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The rate limiter's connections: each commit is made with {@code SET LOCAL synchronous_commit TO
 * off}, so it does not wait for the disk. A bucket is a count of recent requests; after a crash it
 * may have forgotten the last fraction of a second of them, which costs nothing, while waiting for a
 * flush on every request cost two disk writes per FHIR call. {@code SET LOCAL} ends with the
 * transaction, so the pooled connection goes back to durable commits for everyone else.
 */
final class UnflushedCommits implements DataSource {

    private final DataSource pool;

    UnflushedCommits(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(pool.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return wrap(pool.getConnection(user, password));
    }

    private static Connection wrap(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("commit") && !connection.getAutoCommit()) {
                try (Statement s = connection.createStatement()) {
                    s.execute("SET LOCAL synchronous_commit TO off");
                }
            }
            return call(connection, method, args);
        };
        return (Connection) Proxy.newProxyInstance(
                UnflushedCommits.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private static Object call(Connection connection, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(connection, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }
}
