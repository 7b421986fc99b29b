package dev.huddle.ingest;

import dev.huddle.common.db.ConnectionFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a connection factory and counts, over every connection it opened, the connections and the
 * statements executed: the JDBC-level evidence of "one round trip per batch".
 */
final class CountingConnections implements ConnectionFactory {
    private final ConnectionFactory delegate;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger executions = new AtomicInteger();

    CountingConnections(ConnectionFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public Connection open() throws java.sql.SQLException {
        Connection connection = delegate.open();
        opened.incrementAndGet();
        return wrap(Connection.class, connection);
    }

    @SuppressWarnings("unchecked")
    private <T> T wrap(Class<T> type, T target) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                executions.incrementAndGet();
            }
            Object result = invoke(method, target, args);
            if (result instanceof PreparedStatement ps && method.getName().equals("prepareStatement")) {
                return wrap(PreparedStatement.class, ps);
            }
            if (result instanceof Statement st && method.getName().equals("createStatement")) {
                return wrap(Statement.class, st);
            }
            return result;
        });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
